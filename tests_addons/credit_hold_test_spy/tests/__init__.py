from . import test_chain
