# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # Posting changes the balance (invoices, credit notes, payments): R3.
        self.env["res.partner"]._credit_hold_evaluate_moves(posted)
        return posted

    def button_draft(self):
        res = super().button_draft()
        self.env["res.partner"]._credit_hold_evaluate_moves(self)
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self.env["res.partner"]._credit_hold_evaluate_moves(self)
        return res
