# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        lines = partials._credit_hold_receivable_lines()
        if lines:
            partials._credit_hold_first_payments()
            # A payment reconciled with an invoice is what makes it "paid" (R7).
            self.env["res.partner"]._credit_hold_evaluate_lines(
                lines, cause=self.env._("a payment reconciled by %(user)s", user=self.env.user.name)
            )
        return partials

    def _credit_hold_first_payments(self):
        """R14: a new customer's first reconciled payment lifts its new-customer hold."""
        for partial in self.sudo():
            line = partial.credit_move_id
            move = line.move_id
            if not (move.origin_payment_id or move.statement_line_id) or not line.partner_id:
                continue
            root = line.company_id._credit_hold_root()
            partner = line.partner_id.commercial_partner_id.with_company(root)
            if partner.credit_hold_awaiting_payment:
                partner.write({"credit_hold_awaiting_payment": False})

    def unlink(self):
        lines = self._credit_hold_receivable_lines()
        res = super().unlink()
        if lines:
            self.env["res.partner"]._credit_hold_evaluate_lines(lines.exists())
        return res

    def _credit_hold_receivable_lines(self):
        """The customers' receivable lines of these reconciliations, in
        companies where credit hold is on."""
        lines = (self.debit_move_id | self.credit_move_id).sudo()
        return lines.filtered(
            lambda line: line.account_type == "asset_receivable"
            and line.partner_id
            and line.company_id._credit_hold_is_on()
        )
