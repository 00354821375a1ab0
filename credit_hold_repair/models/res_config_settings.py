# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # a branch shares the credit settings of its root company
    credit_hold_prevent_repairs = fields.Boolean(
        related="company_id.root_id.credit_hold_prevent_repairs", readonly=False
    )
