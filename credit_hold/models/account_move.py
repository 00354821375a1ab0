# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

HELD_MOVE_TYPES = ("out_invoice", "out_receipt")


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "credit.hold.mixin"]

    # ------------------------------------------------------------------
    # credit.hold.mixin
    # ------------------------------------------------------------------

    def _credit_hold_partner(self):
        return self.commercial_partner_id

    def _credit_hold_amount(self):
        return abs(self.amount_total_signed)

    def _credit_hold_is_enabled(self):
        # credit notes and vendor bills are never held (R10)
        company = self.company_id
        return (
            self.move_type in HELD_MOVE_TYPES
            and self.state == "draft"
            and company.credit_hold_enabled
            and company.credit_hold_prevent_invoices
        )

    def _credit_hold_exemption(self):
        currency = self.company_id.currency_id
        amount = self._credit_hold_amount()
        if self.credit_status == "released" and currency.compare_amounts(amount, self.credit_released_amount) <= 0:
            return True
        # R17: the invoice of orders a controller released is not held again for that amount
        orders = self.line_ids.sale_line_ids.order_id
        if orders and all(order.credit_status == "released" for order in orders):
            released = sum(orders.mapped("credit_released_amount"))
            if currency.compare_amounts(amount, released) <= 0:
                return self.env._(
                    "Not credit-checked: invoice of %(orders)s, released by a credit controller.",
                    orders=", ".join(orders.mapped("name")),
                )
        return False

    def _credit_hold_carry_through(self):
        return self.action_post()

    def _credit_hold_can_rehold(self):
        self.ensure_one()
        return self.state == "posted" and self.payment_state == "not_paid"

    def _credit_hold_back_to_draft(self):
        self.filtered(lambda move: move.state == "posted").button_draft()

    @api.model
    def _get_credit_hold_documents(self, company, partner_ids):
        return self.search(
            [
                ("credit_status", "=", "held"),
                ("company_id", "=", company.id),
                ("commercial_partner_id", "in", partner_ids),
                ("state", "=", "draft"),
            ],
            order="id",  # first held, first re-checked
        )

    # ------------------------------------------------------------------
    # Posting
    # ------------------------------------------------------------------

    def _post(self, soft=True):
        # Held here, not in action_post: the auto-post cron and other modules
        # post through _post (R15).
        held = self._credit_hold_stop_held()
        to_post = self - held
        posted = super(AccountMove, to_post)._post(soft=soft) if to_post else self.browse()
        # Posting changes the balance (invoices, credit notes, payments): R3.
        self.env["res.partner"]._credit_hold_evaluate_moves(posted)
        return posted

    def action_post(self):
        result = super().action_post()
        held = self.filtered(lambda move: move.credit_status == "held" and move.state == "draft")
        if held:
            return self._credit_hold_notification(held, self.filtered(lambda move: move.state == "posted"))
        return result

    def button_draft(self):
        res = super().button_draft()
        self.env["res.partner"]._credit_hold_evaluate_moves(self)
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._credit_hold_forget()
        self.env["res.partner"]._credit_hold_evaluate_moves(self)
        return res
