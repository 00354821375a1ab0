# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

HELD_MOVE_TYPES = ("out_invoice", "out_receipt")


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "credit.hold.mixin"]
    # Held in _post, not in action_post: the auto-post cron and other modules
    # post through _post (R15).
    _credit_hold_entry_points = {"_post": "_credit_hold_decide_post"}
    _credit_hold_partner_field = "commercial_partner_id"
    _credit_hold_pending_states = ("draft",)
    _credit_hold_document_type = "invoice"
    _credit_hold_document_index = 1
    _credit_hold_document_depends = ("name", "invoice_user_id", "amount_total_signed")

    # ------------------------------------------------------------------
    # credit.hold.mixin
    # ------------------------------------------------------------------

    def _credit_hold_partner(self):
        return self.commercial_partner_id

    @api.model
    def _credit_hold_document_label(self):
        return self.env._("Customer Invoice")

    @api.model
    def _credit_hold_document_row(self, alias):
        a = SQL.identifier(alias)
        return {
            # a draft has no number yet: its name is Odoo's, in the reader's
            # language (display_name)
            "name": SQL("NULLIF(%s.name, '/')", a),
            "user": SQL("%s.invoice_user_id", a),
            "amount": SQL("ABS(%s.amount_total_signed)", a),
        }

    def _credit_hold_amount(self):
        return abs(self.amount_total_signed)

    def _credit_hold_authority_amount(self):
        # a draft invoice is not in the balance, but the lines invoicing a
        # confirmed order already are in the exposure (the order's amount not
        # invoiced): only the rest is added
        lines = self.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        total = sum(lines.mapped("price_total"))
        if not total:
            return 0.0
        # at most what the linked confirmed order lines still have to invoice
        # (a link to a small order line does not shrink a large invoice line)
        counted = 0.0
        for line in lines:
            sale_lines = line.sale_line_ids.filtered(lambda sol: sol.order_id.state == "sale")
            if sale_lines:
                counted += min(line.price_total, max(sum(sale_lines.mapped("amount_to_invoice")), 0.0))
        return self.company_id.currency_id.round(self._credit_hold_amount() * (total - counted) / total)

    def _credit_hold_is_enabled(self):
        # credit notes and vendor bills are never held (R10)
        if self.move_type not in HELD_MOVE_TYPES or self.state != "draft":
            return False
        root = self.company_id._credit_hold_root()
        return root.credit_hold_enabled and root.credit_hold_prevent_invoices

    def _credit_hold_warning_field(self):
        return "invoice_warn"

    def _credit_hold_exemption(self):
        if self._credit_hold_release_applies():
            return True
        # R17: the invoice of orders a controller released is not held again
        # for what was released and not invoiced yet
        orders = self.line_ids.sale_line_ids.order_id
        partner = self._credit_hold_partner()
        if orders and all(o.credit_status == "released" and o.credit_released_partner_id == partner for o in orders):
            currency = self.company_id.currency_id
            released = sum(orders.mapped("credit_released_amount"))
            already = sum(
                abs(move.amount_total_signed)
                for move in orders.invoice_ids
                if move != self and move.state == "posted" and move.move_type in HELD_MOVE_TYPES
            )
            if currency.compare_amounts(self._credit_hold_amount(), released - already) <= 0:
                return self.env._(
                    "Not credit-checked: invoice of %(orders)s, released by a credit controller.",
                    orders=", ".join(orders.mapped("name")),
                )
        return False

    def _credit_hold_go_through(self):
        return self._post(soft=False)

    def _credit_hold_carriable(self):
        if not self.env.su and not self.env.user.has_group("account.group_account_invoice"):
            return self.browse()  # posting is an accountant's (Odoo checks it in _post)
        return super()._credit_hold_carriable()

    def _credit_hold_can_rehold(self):
        self.ensure_one()
        return self.state == "posted" and self.payment_state == "not_paid"

    def _credit_hold_back_to_draft(self):
        self.filtered(lambda move: move.state == "posted").button_draft()

    # ------------------------------------------------------------------
    # Odoo's own credit warning: ours replaces it where credit hold is on
    # ------------------------------------------------------------------

    def _compute_partner_credit_warning(self):
        res = super()._compute_partner_credit_warning()
        self._credit_hold_silence_native_warning()
        return res

    # ------------------------------------------------------------------
    # Posting
    # ------------------------------------------------------------------

    def _credit_hold_decide_post(self, proceed):
        """``_post``, first of its chain: held invoices stay drafts and reach
        no other module's posting code; the rest are posted through every
        module's ``_post``."""
        unchecked = self._credit_hold_unchecked().filtered(lambda move: move.company_id._credit_hold_is_on())
        held = unchecked._credit_hold_stop_held()[0] if unchecked else self.browse()
        posted = (self - held)._credit_hold_proceed(proceed, default=self.browse())
        posted._credit_hold_went_through()
        # Posting changes the balance (invoices, credit notes, payments): R3.
        # (What a release carries through is evaluated by the release.)
        self.env["res.partner"]._credit_hold_evaluate_moves(posted & unchecked)
        return posted

    def write(self, vals):
        if vals.get("state") == "posted":
            # a customer invoice is posted by _post, where it is checked (R15):
            # not by writing its state
            direct = self._credit_hold_unchecked().filtered(
                lambda m: m.state != "posted" and m.move_type in HELD_MOVE_TYPES and m.company_id._credit_hold_is_on()
            )
            if direct:
                raise UserError(
                    self.env._(
                        "%(moves)s: a customer invoice is posted with the Confirm button, not by writing its state.",
                        moves=", ".join(direct.mapped("display_name")),
                    )
                )
        return super().write(vals)

    def action_post(self):
        result = super().action_post()
        held = self.filtered(lambda move: move.credit_status == "held" and move.state == "draft")
        if held:
            return self._credit_hold_notification(held, self.filtered(lambda move: move.state == "posted"))
        return result

    def button_draft(self):
        res = super().button_draft()
        self._credit_hold_forget(self.env._("Reset to draft"))
        enabled = self.filtered(lambda move: move.company_id._credit_hold_is_on())
        if enabled:
            self.env["res.partner"]._credit_hold_evaluate_moves(enabled)
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._credit_hold_forget(self.env._("Document cancelled"))
        enabled = self.filtered(lambda move: move.company_id._credit_hold_is_on())
        if enabled:
            self.env["res.partner"]._credit_hold_evaluate_moves(enabled)
        return res
