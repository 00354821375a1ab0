# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CreditHoldRelease(models.TransientModel):
    """Asks the credit controller why held documents are released (R21):
    one reason for all, each document released and logged on its own."""

    _name = "credit.hold.release"
    _inherit = "credit.hold.document.wizard"
    _description = "Release Credit-Held Documents"

    reason = fields.Text(required=True, help="Kept on each document's chatter with who and when.")

    @api.model
    def _action_title(self):
        return self.env._("Release Credit Hold")

    def action_release(self):
        self.ensure_one()
        documents = self._documents()
        if documents:
            # the group is checked before anything, not document by document
            documents[0]._credit_hold_check_controller()
        return self.env["credit.hold.mixin"]._credit_hold_bulk(
            documents, "credit_release", self.env._("released"), self.reason
        )
