# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..compat import SERIES


class CreditHoldLock(models.Model):
    """One row per customer that every credit check of that customer
    updates first (rule R16), so that concurrent checks serialize. Kept apart
    from res_partner so that ordinary edits of a customer never conflict."""

    _name = "credit.hold.lock"
    _description = "Credit Check Lock"
    _log_access = False
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)

    if SERIES >= 19:
        _partner_uniq = models.Constraint("unique(partner_id)", "One lock row per customer.")
    else:
        _sql_constraints = [
            ("partner_uniq", "unique(partner_id)", "One lock row per customer."),
        ]
