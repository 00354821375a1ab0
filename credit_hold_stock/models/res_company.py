# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_hold_prevent_deliveries = fields.Boolean(
        string="Hold Deliveries",
        help="Validating a delivery to a customer on hold leaves it as it is (reserved, not done), "
        "credit-held, for a credit controller to release.",
    )
