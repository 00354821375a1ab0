from . import credit_hold_document
