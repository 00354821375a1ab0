from . import res_company
from . import res_config_settings
from . import stock_picking
from . import credit_hold_document
