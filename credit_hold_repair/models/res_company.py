# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_hold_prevent_repairs = fields.Boolean(
        string="Hold Repairs",
        help="Confirming a repair order of a customer on hold leaves it a draft, credit-held, "
        "for a credit controller to release. Repairs under warranty are never held.",
    )
