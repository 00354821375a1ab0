# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_amount

from ..decision import text_to_codes
from .credit_hold_reason import REASON_MANUAL
from .res_partner import CONTROLLER_GROUP


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "credit.hold.mixin"]
    _credit_hold_entry_points = {"action_confirm": "_credit_hold_decide_confirm"}
    _credit_hold_partner_field = "credit_partner_id"
    _credit_hold_pending_states = ("draft", "sent")
    _credit_hold_document_type = "order"
    _credit_hold_document_index = 0
    _credit_hold_document_depends = ("name", "user_id", "amount_total", "currency_rate")

    credit_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Credit Customer",
        related="partner_invoice_id.commercial_partner_id",
        store=True,
        index=True,
        help="The customer whose credit this order uses: the one who is invoiced.",
    )

    # ------------------------------------------------------------------
    # credit.hold.mixin
    # ------------------------------------------------------------------

    def _credit_hold_partner(self):
        # the order's own stored column: the customer's row is first read by
        # the check itself, with its settings (one statement)
        return self.credit_partner_id or self.partner_id.commercial_partner_id

    @api.model
    def _credit_hold_document_label(self):
        return self.env._("Sales Order")

    @api.model
    def _credit_hold_document_row(self, alias):
        a = SQL.identifier(alias)
        return {
            "name": SQL("%s.name", a),
            "user": SQL("%s.user_id", a),
            "amount": SQL("%s.amount_total / COALESCE(NULLIF(%s.currency_rate, 0), 1)", a, a),
        }

    def _credit_hold_amount(self):
        # the same conversion as the exposure query: the order's own rate
        amount = self.amount_total / (self.currency_rate or 1.0)
        return self.company_id.currency_id.round(amount)

    def _credit_hold_is_enabled(self):
        root = self.company_id._credit_hold_root()
        return root.credit_hold_enabled and root.credit_hold_prevent_orders and self.state in ("draft", "sent")

    def _credit_hold_document_amount(self):
        # a confirmed order already counts in the exposure (orders not invoiced)
        return 0.0 if self.state == "sale" else self._credit_hold_amount()

    def _credit_hold_warning_field(self):
        return "sale_warn"

    def _credit_hold_exemption(self):
        if self._credit_hold_release_applies():
            return True
        # R18: paid in full online, no credit is at risk. Only what a live
        # payment provider confirmed for this order alone, in its currency
        # (no provider live: nothing to read).
        if not self.env["payment.provider"]._credit_hold_any_enabled():
            return False
        paid = sum(
            tx.amount
            for tx in self.sudo().transaction_ids
            if tx.state == "done"
            and tx.provider_id.state == "enabled"
            and tx.currency_id == self.currency_id
            and tx.sale_order_ids == self
        )
        if self.amount_total > 0 and self.currency_id.compare_amounts(paid, self.amount_total) >= 0:
            return self.env._("Not credit-checked: the order is paid in full online.")
        return False

    def _credit_hold_go_through(self):
        return self.action_confirm()

    def _credit_hold_can_rehold(self):
        self.ensure_one()
        invoiced = self.invoice_ids.filtered(lambda move: move.state != "cancel")
        delivered = any(line.qty_delivered for line in self.order_line)
        return self.state == "sale" and not invoiced and not delivered

    def _credit_hold_back_to_draft(self):
        confirmed = self.filtered(lambda order: order.state == "sale")
        if confirmed:
            confirmed.with_context(disable_cancel_warning=True)._action_cancel()
            confirmed.action_draft()

    # ------------------------------------------------------------------
    # Odoo's own credit warning: ours replaces it where credit hold is on
    # ------------------------------------------------------------------

    def _compute_partner_credit_warning(self):
        res = super()._compute_partner_credit_warning()
        self._credit_hold_silence_native_warning()
        return res

    # ------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------

    def _credit_hold_decide_confirm(self, proceed):
        """``action_confirm``, first of its chain: hold what must be held,
        confirm the rest through every module's ``action_confirm`` (R10, R15).

        Each order is decided on its own; held orders stay quotations with
        their reason, reach no other module's confirmation code (no e-mail,
        no registration, no reward), and the user gets a notification, not an
        exception that would roll the hold back.
        """
        unchecked = self._credit_hold_unchecked()
        # Odoo's own refusals first: the user sees the real error, not a hold
        for order in unchecked.filtered(lambda o: o._credit_hold_is_enabled()):
            error = order._confirmation_error_message()
            if error:
                raise UserError(error)
        held, results = unchecked._credit_hold_stop_held()
        passing = self - held
        result = passing._credit_hold_proceed(proceed)
        passing.filtered(lambda o: o.state == "sale")._credit_hold_went_through()
        enabled = (passing & unchecked).filtered(lambda o: o.company_id._credit_hold_is_on())
        if enabled:
            enabled._credit_hold_after_check(results)
        if held:
            return self._credit_hold_notification(held, passing)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders.filtered(lambda o: o.state == "sale")._credit_hold_refuse_unchecked()
        return orders

    def write(self, vals):
        if vals.get("state") == "sale":
            # any state to "sale" (a cancelled order included): checked unless confirmed here
            changing = self.filtered(lambda o: o.state != "sale")
            result = super().write(vals)
            changing._credit_hold_refuse_unchecked()
            return result
        return super().write(vals)

    def _credit_hold_refuse_unchecked(self):
        """R15: an order set to "sale" other than through action_confirm (an
        import, a script, an RPC write) is checked too; if it would be held,
        the change is refused with the reason (the order is already "sale"
        here: its amount is in the exposure)."""
        self._credit_hold_refuse_if_held(
            lambda o: o.company_id._credit_hold_is_on() and o.company_id._credit_hold_root().credit_hold_prevent_orders,
            lambda names, reason: self.env._(
                "%(orders)s cannot be confirmed: %(reason)s. Confirm it with the Confirm button "
                "(it is then kept as a held quotation for a credit controller) or ask a credit controller.",
                orders=names,
                reason=reason,
            ),
        )

    def _action_cancel(self):
        res = super()._action_cancel()
        self._credit_hold_forget(self.env._("Document cancelled"))
        exposure = self.filtered(lambda o: o.company_id._credit_hold_root().credit_hold_limit_basis == "exposure")
        for root in exposure.company_id.root_id.filtered("credit_hold_enabled"):
            orders = exposure.filtered(lambda o, root=root: o.company_id._credit_hold_root() == root)
            orders.credit_partner_id._credit_hold_evaluate(root)
        return res

    def action_draft(self):
        res = super().action_draft()
        self._credit_hold_forget(self.env._("Reset to quotation"))
        return res

    # ------------------------------------------------------------------
    # R17: raising the amount of a confirmed order is checked again
    # ------------------------------------------------------------------

    def _credit_hold_guard_increase(self, change):
        """Run ``change`` and refuse it if it raises the amount of a
        confirmed order past what the customer's credit allows."""
        orders = self.filtered(
            lambda o: o.state == "sale"
            and o.company_id._credit_hold_is_on()
            and o.company_id._credit_hold_root().credit_hold_prevent_orders
        )
        if not orders or self.env.su:
            return change()
        before = {order.id: order.amount_total for order in orders}
        result = change()
        increased = orders.filtered(lambda o: o.currency_id.compare_amounts(o.amount_total, before[o.id]) > 0)
        if not increased:
            return result
        results = increased._credit_hold_customer_results(lock=True)
        reasons = increased._credit_hold_get_hold_reasons(results)
        refused = increased.filtered(lambda o: reasons.get(o.id))
        user = self.env.user
        if refused and user.has_group(CONTROLLER_GROUP):
            # a controller raises it within their release authority (without
            # Release Authority: always), as they would release it
            roots = refused._credit_hold_authority_roots()
            refused = refused.filtered(
                lambda o: o.company_id._credit_hold_root() in roots
                and not user._credit_release_covers(
                    o.company_id, results[o.company_id._credit_hold_root()][o._credit_hold_partner().id][1].exposure
                )
            )
        if refused:
            order = refused[0]
            raise UserError(
                self.env._(
                    "The amount of %(order)s cannot be raised from %(before)s to %(after)s: %(reason)s. "
                    "Ask a credit controller, or lower the amount.",
                    order=order.name,
                    before=format_amount(self.env, before[order.id], order.currency_id),
                    after=format_amount(self.env, order.amount_total, order.currency_id),
                    reason=self.env["credit.hold.reason"]._render_entries(reasons[order.id], order.currency_id),
                )
            )
        return result

    # ------------------------------------------------------------------
    # The customer's side: the held quotation in the portal
    # ------------------------------------------------------------------

    def _has_to_be_signed(self):
        # a held quotation is not signed in the portal (signing would only
        # hold it again): paying it in full online still lets it through (R18)
        return super()._has_to_be_signed() and self.credit_status != "held"

    def _credit_hold_customer_template(self):
        return self.env.ref("credit_hold.mail_template_credit_hold_customer_order")

    def _credit_hold_portal_entries(self):
        """Why this held quotation is held, decided now (the customer may have
        paid since), else as it was held; a controller's hold is kept."""
        self.ensure_one()
        order = self.sudo()
        entries = order._credit_hold_get_hold_reasons(order._credit_hold_customer_results()).get(order.id)
        entries = list(entries or order.credit_held_reasons or [])
        codes = {entry.get("code") for entry in entries}
        if REASON_MANUAL in text_to_codes(order.credit_held_reason_codes) and REASON_MANUAL not in codes:
            entries.insert(0, {"code": REASON_MANUAL, "figures": {}})
        return entries

    def _credit_hold_portal_status(self, with_invoices=False):
        """What the portal page of this held quotation says (see
        ``res.partner._credit_hold_portal_status``); None when it is not held.
        ``with_invoices`` only for a visitor who is this customer."""
        self.ensure_one()
        if self.credit_status != "held":
            return None
        order = self.sudo()
        return order._credit_hold_partner()._credit_hold_portal_status(
            order.company_id, entries=order._credit_hold_portal_entries(), with_invoices=with_invoices
        )
