from . import spy
