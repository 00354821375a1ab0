from . import credit_hold_document_wizard
from . import credit_hold_release
from . import credit_hold_escalate
from . import credit_hold_temp_limit
