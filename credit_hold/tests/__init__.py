from . import test_partner_credit
from . import test_partner_access
from . import test_evaluation_scale
