from . import test_partner_credit
from . import test_partner_access
from . import test_evaluation_scale
from . import test_sale_hold
from . import test_invoice_hold
from . import test_concurrency
from . import test_cron
from . import test_workspace
