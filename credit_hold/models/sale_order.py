# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount

from .res_partner import CONTROLLER_GROUP

# orders that went through the credit check of action_confirm in this transaction
CHECKED_KEY = "credit_hold_checked_orders"


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "credit.hold.mixin"]

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
        return self.partner_invoice_id.commercial_partner_id or self.partner_id.commercial_partner_id

    def _credit_hold_amount(self):
        # the same conversion as the exposure query: the order's own rate
        amount = self.amount_total / (self.currency_rate or 1.0)
        return self.company_id.currency_id.round(amount)

    def _credit_hold_is_enabled(self):
        company = self.company_id
        return company.credit_hold_enabled and company.credit_hold_prevent_orders and self.state in ("draft", "sent")

    def _credit_hold_adds_amount(self):
        return True

    def _credit_hold_exemption(self):
        currency = self.company_id.currency_id
        if (
            self.credit_status == "released"
            and currency.compare_amounts(self._credit_hold_amount(), self.credit_released_amount) <= 0
        ):
            return True
        # R18: paid in full online, no credit is at risk
        paid = sum(tx.amount for tx in self.sudo().transaction_ids if tx.state == "done")
        if self.amount_total > 0 and self.currency_id.compare_amounts(paid, self.amount_total) >= 0:
            return self.env._("Not credit-checked: the order is paid in full online.")
        return False

    def _credit_hold_carry_through(self):
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
    # Confirmation
    # ------------------------------------------------------------------

    def action_confirm(self):
        """Hold what must be held, confirm the rest (R10, R15).

        Each order is decided on its own; held orders stay quotations with
        their reason and the user gets a notification, not an exception that
        would roll the hold back.
        """
        held = self._credit_hold_stop_held()
        passing = self - held
        # orders checked here may be written state "sale" (see write); the mark
        # lives on the cursor, out of reach of RPC callers and context keys
        self.env.cr.cache.setdefault(CHECKED_KEY, set()).update(passing.ids)
        result = super(SaleOrder, passing).action_confirm() if passing else True
        if passing:
            passing._credit_hold_evaluate_exposure()
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
            quotations = self.filtered(lambda o: o.state in ("draft", "sent"))
            result = super().write(vals)
            quotations._credit_hold_refuse_unchecked()
            return result
        return super().write(vals)

    def _credit_hold_refuse_unchecked(self):
        """R15: an order set to "sale" other than through action_confirm (an
        import, a script, an RPC write) is checked too; if it would be held,
        the change is refused with the reason."""
        checked = self.env.cr.cache.get(CHECKED_KEY, set())
        unchecked = self.filtered(lambda o: o.id not in checked)
        if not unchecked or self.env.user.has_group(CONTROLLER_GROUP):
            return
        candidates = unchecked.filtered(
            lambda o: o.company_id.credit_hold_enabled and o.company_id.credit_hold_prevent_orders
        )
        if not candidates:
            return
        candidates._credit_hold_lock_partners()
        # the orders are already "sale" here: their amount is in the exposure
        reasons = candidates._credit_hold_get_hold_reasons()
        refused = candidates.filtered(lambda o: reasons.get(o.id))
        if refused:
            raise UserError(
                self.env._(
                    "%(orders)s cannot be confirmed: %(reason)s. Confirm it with the Confirm button "
                    "(it is then kept as a held quotation for a credit controller) or ask a credit controller.",
                    orders=", ".join(refused.mapped("name")),
                    reason="; ".join(reasons[refused[0].id]),
                )
            )

    def _action_cancel(self):
        res = super()._action_cancel()
        self._credit_hold_forget()
        self._credit_hold_evaluate_exposure()
        return res

    def _credit_hold_evaluate_exposure(self):
        """Confirmed or cancelled orders change the exposure of their customer."""
        companies = self.company_id.filtered(
            lambda c: c.credit_hold_enabled and c.credit_hold_limit_basis == "exposure"
        )
        for company in companies:
            orders = self.filtered(lambda o, company=company: o.company_id == company)
            orders.credit_partner_id._credit_hold_evaluate(company)

    # ------------------------------------------------------------------
    # R17: raising the amount of a confirmed order is checked again
    # ------------------------------------------------------------------

    def _credit_hold_guard_increase(self, change):
        """Run ``change`` and refuse it if it raises the amount of a
        confirmed order past what the customer's credit allows."""
        orders = self.filtered(
            lambda o: o.state == "sale" and o.company_id.credit_hold_enabled and o.company_id.credit_hold_prevent_orders
        )
        if not orders or self.env.su or self.env.user.has_group(CONTROLLER_GROUP):
            return change()
        before = {order.id: order.amount_total for order in orders}
        result = change()
        increased = orders.filtered(lambda o: o.currency_id.compare_amounts(o.amount_total, before[o.id]) > 0)
        if not increased:
            return result
        increased._credit_hold_lock_partners()
        reasons = increased._credit_hold_get_hold_reasons()
        refused = increased.filtered(lambda o: reasons.get(o.id))
        if refused:
            order = refused[0]
            raise UserError(
                self.env._(
                    "The amount of %(order)s cannot be raised from %(before)s to %(after)s: %(reason)s. "
                    "Ask a credit controller, or lower the amount.",
                    order=order.name,
                    before=format_amount(self.env, before[order.id], order.currency_id),
                    after=format_amount(self.env, order.amount_total, order.currency_id),
                    reason="; ".join(reasons[order.id]),
                )
            )
        return result

    def _credit_hold_amount_to_add(self):
        # a confirmed order already counts in the exposure (orders not invoiced)
        return 0.0 if self.state == "sale" else self._credit_hold_amount()

    @api.model
    def _get_credit_hold_documents(self, company, partner_ids):
        return self.search(
            [
                ("credit_status", "=", "held"),
                ("company_id", "=", company.id),
                ("credit_partner_id", "in", partner_ids),
                ("state", "in", ("draft", "sent")),
            ],
            order="id",  # first held, first re-checked
        )
