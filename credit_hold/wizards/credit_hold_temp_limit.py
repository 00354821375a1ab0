# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CreditHoldTempLimit(models.TransientModel):
    """Grants a customer a temporary credit limit in the current company:
    amount, end date (excluded) and reason."""

    _name = "credit.hold.temp.limit"
    _description = "Grant a Temporary Credit Limit"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    credit_limit = fields.Float(compute="_compute_credit_limit")
    amount = fields.Monetary(string="Temporary Limit", required=True)
    end_date = fields.Date(
        string="Until",
        required=True,
        help="The temporary limit applies up to the day before; on this date the credit limit applies again.",
    )
    reason = fields.Text(required=True, help="Kept in the customer's chatter with who and when.")

    @api.depends("partner_id", "company_id")
    def _compute_credit_limit(self):
        for wizard in self:
            partner = wizard.partner_id.with_company(wizard.company_id).sudo()
            wizard.credit_limit = partner.credit_limit

    def action_grant(self):
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        partner._credit_hold_grant_temp_limit(self.amount, self.end_date, self.reason)
        return {"type": "ir.actions.act_window_close"}
