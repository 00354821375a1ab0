# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # like credit_hold's settings: a branch edits its root company's
    credit_hold_prevent_deliveries = fields.Boolean(
        related="company_id.root_id.credit_hold_prevent_deliveries", readonly=False
    )
