# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CreditHoldHistory(models.Model):
    """Every change of a customer's hold (rule R13): when, on or off, why,
    and who or what made it.

    A light record rather than a chatter message: the first nightly pass
    after go-live can put tens of thousands of customers on hold, and one
    ``create()`` per batch records them all; a chatter message per customer
    would cost several times the evaluation itself. Changes made by a person
    are also noted in the customer's chatter.
    """

    _name = "credit.hold.history"
    _description = "Credit Hold History"
    _order = "create_date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    on_hold = fields.Boolean()
    reason_codes = fields.Char(help="The reasons as stored codes (see the customer's Hold Reason).")
    reason = fields.Char(compute="_compute_reason")
    origin = fields.Selection(
        selection=[
            ("nightly", "Nightly pass"),
            ("event", "Invoice, payment or order"),
            ("person", "Changed by a user"),
        ],
        required=True,
        default="event",
    )

    @api.depends_context("lang")
    @api.depends("reason_codes")
    def _compute_reason(self):
        reasons = self.env["credit.hold.reason"]
        for record in self:
            record.reason = reasons._render_codes(record.reason_codes)
