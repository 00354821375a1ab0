# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CreditLimitHistory(models.Model):
    """Every change of a customer's limit settings in a company (credit
    limit, threshold, grace days, hold type, temporary limit): who, when,
    old and new value. One row per field changed, written with one
    ``create()`` per write; the chatter tracks the same changes."""

    _name = "credit.limit.history"
    _description = "Credit Limit History"
    _order = "create_date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    field_name = fields.Selection(
        selection=[
            ("credit_limit", "Credit Limit"),
            ("credit_threshold", "Threshold (%)"),
            ("credit_hold_grace_override", "Own Grace Days"),
            ("credit_hold_grace_days", "Grace Days"),
            ("on_hold_type", "Hold Type"),
            ("credit_temp_limit", "Temporary Limit"),
            ("credit_temp_limit_end", "Temporary Limit Until"),
        ],
        string="Changed",
        required=True,
    )
    old_value = fields.Char(string="Before")
    new_value = fields.Char(string="After")
