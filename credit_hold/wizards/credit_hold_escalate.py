# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CreditHoldEscalate(models.TransientModel):
    """Hands the review of held documents beyond the user's release authority
    to a credit controller whose authority covers them, with a note."""

    _name = "credit.hold.escalate"
    _inherit = "credit.hold.document.wizard"
    _description = "Escalate Credit-Held Documents"

    note = fields.Text(required=True, help="Logged on each document and given to the controller who takes it over.")

    @api.model
    def _action_title(self):
        return self.env._("Escalate Credit Review")

    def action_escalate(self):
        self.ensure_one()
        # the group is checked before anything, not document by document
        self.env["credit.hold.mixin"]._credit_hold_check_controller()
        return self.env["credit.hold.mixin"]._credit_hold_bulk(
            self._documents(),
            "credit_escalate",
            self.env._("escalated"),
            self.note,
            detail=lambda document, assigned: self.env._("to %(user)s", user=assigned[document.id].name),
        )
