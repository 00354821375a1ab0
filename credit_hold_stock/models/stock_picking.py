# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.addons.credit_hold.decision import REASON_BLOCKED, text_to_codes
from odoo.exceptions import UserError
from odoo.tools import SQL

# what the warning banner reads (the mixin's also reads an amount_total that
# transfers have not)
WARNING_DEPENDS = ["company_id", "state", "partner_id", "credit_partner_id"]


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "credit.hold.mixin"]
    # button_validate decides before Odoo's own wizards (backorder...); every
    # other path that validates a transfer ends in _action_done
    _credit_hold_entry_points = {
        "button_validate": "_credit_hold_decide_validate",
        "_action_done": "_credit_hold_decide_done",
    }
    _credit_hold_partner_field = "credit_partner_id"
    _credit_hold_pending_states = ("draft", "waiting", "confirmed", "assigned")
    _credit_hold_document_type = "delivery"
    _credit_hold_document_index = 2
    _credit_hold_document_depends = ("name", "sale_id")

    credit_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Credit Customer",
        compute="_compute_credit_partner_id",
        store=True,
        index="btree_not_null",
        help="The customer whose credit this delivery uses: the one invoiced for its sales order, "
        "else the delivery's customer.",
    )
    credit_warning = fields.Boolean(depends=WARNING_DEPENDS, depends_context=["lang"])
    credit_warning_message = fields.Char(depends=WARNING_DEPENDS, depends_context=["lang"])

    @api.depends("sale_id.partner_invoice_id.commercial_partner_id", "partner_id.commercial_partner_id")
    def _compute_credit_partner_id(self):
        for picking in self:
            picking.credit_partner_id = picking._credit_hold_partner()

    # ------------------------------------------------------------------
    # credit.hold.mixin
    # ------------------------------------------------------------------

    def _credit_hold_order(self):
        """The delivery's sales order, read whatever the user's sales rights
        (a warehouse user may not see the order of another salesperson)."""
        return self.sudo().sale_id

    def _credit_hold_partner(self):
        partner = self._credit_hold_order().partner_invoice_id.commercial_partner_id
        return (partner or self.sudo().partner_id.commercial_partner_id).with_env(self.env)

    @api.model
    def _credit_hold_document_label(self):
        return self.env._("Delivery")

    @api.model
    def _credit_hold_document_row(self, alias):
        # the salesperson and the amount are the delivery's sales order's
        # (none: no salesperson, 0), converted as the order's own row
        a = SQL.identifier(alias)
        return {
            "name": SQL("%s.name", a),
            "user": SQL("(SELECT so.user_id FROM sale_order so WHERE so.id = %s.sale_id)", a),
            "amount": self._credit_hold_order_amount_sql(SQL("%s.sale_id", a)),
        }

    def _credit_hold_amount(self):
        # what the delivery's order is worth, converted as the order does
        order = self._credit_hold_order()
        return order._credit_hold_amount() if order else 0.0

    def _credit_hold_is_enabled(self):
        if self.state in ("done", "cancel") or not self._credit_hold_is_delivery():
            return False
        return self._credit_hold_deliveries_on()

    def _credit_hold_deliveries_on(self):
        """Whether the company (its root's settings) holds deliveries."""
        root = self.company_id._credit_hold_root()
        return root.credit_hold_enabled and root.credit_hold_prevent_deliveries

    def _credit_hold_is_delivery(self):
        """Goods leaving our stock for a customer. Receipts, internal
        transfers (the pick and pack steps), returns from the customer,
        returns to a vendor and dropship (from the vendor) are never held
        (rules R10), nor the deliveries of Point of Sale orders (sold at the
        counter, where Odoo validates them when the order is paid)."""
        self.ensure_one()
        if "pos_order_id" in self._fields and self.pos_order_id:
            return False
        return (
            self.picking_type_code == "outgoing"
            and self.location_dest_id.usage == "customer"
            and self.location_id.usage != "supplier"
            and bool(self._credit_hold_partner())
        )

    def _credit_hold_warning_field(self):
        return "picking_warn"

    def _credit_hold_exemption(self):
        return self._credit_hold_release_applies()

    def _credit_hold_get_hold_reasons(self, results):
        """R17: a delivery of an order a credit controller released is not
        held again for the reasons that were released; a reason that came
        after the release (the customer went overdue since) holds it. The
        delivery's own "Blocking Message" warning is not the order's: a
        released order does not lift it."""
        reasons = super()._credit_hold_get_hold_reasons(results)
        for picking in self:
            order = picking._credit_hold_order()
            if (
                reasons.get(picking.id)
                and order.credit_status == "released"
                and order.credit_released_partner_id == picking._credit_hold_partner()
            ):
                released = set(text_to_codes(order.credit_held_reason_codes)) - {REASON_BLOCKED}
                reasons[picking.id] = [entry for entry in reasons[picking.id] if entry["code"] not in released]
        return reasons

    def _credit_hold_go_through(self):
        # without the backorder question (what is not reserved goes to a
        # backorder, checked again when it is validated)
        result = self.with_context(skip_backorder=True, skip_sms=True).button_validate()
        not_done = self.filtered(lambda p: p.state != "done")
        if not_done:
            raise UserError(
                self.env._(
                    "%(pickings)s could not be validated: open the transfer, set the quantities and validate it.",
                    pickings=", ".join(not_done.mapped("display_name")),
                )
            )
        return result

    def _credit_hold_can_rehold(self):
        self.ensure_one()
        # a delivery that left cannot be stopped any more
        return self.state not in ("done", "cancel")

    def _credit_hold_back_to_draft(self):
        # a delivery not done keeps its reservation: nothing to undo
        return True

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------

    def _credit_hold_stop_deliveries(self):
        """Check the deliveries of ``self`` about to be validated and mark
        the held ones; return them (the caller goes on with the others)."""
        # nothing more to pay than reading the company's switches while off
        enabled = self.filtered(lambda p: p._credit_hold_deliveries_on())
        if not enabled:
            return self.browse()
        held, _results = enabled._credit_hold_unchecked()._credit_hold_stop_held()
        return held

    def _credit_hold_decide_validate(self, proceed):
        """``button_validate``, first of its chain: hold what must be held
        before Odoo's own wizards (backorder...) and every module's code,
        validate the rest (R10, R15); the user gets a notification, not an
        exception that would roll the hold back."""
        held = self._credit_hold_stop_deliveries()
        passing = self - held
        # checked just now: _action_done, reached from here, does not check again
        result = passing._credit_hold_proceed(proceed)
        if not held:
            return result
        validated = passing.filtered(lambda p: p.state == "done")
        notification = self._credit_hold_notification(held, validated)
        if not validated:
            notification["params"]["title"] = self.env._("Credit hold: not validated")
        if isinstance(result, dict):
            # Odoo's next step for the others (backorder wizard, printing)
            notification["params"]["next"] = result
        return notification

    def _credit_hold_decide_done(self, proceed):
        """``_action_done``, first of its chain: every path that validates a
        transfer ends here (button, backorder wizard, batch transfers, RPC,
        other modules); held deliveries stay as they are, reserved, and the
        others are done."""
        held = self._credit_hold_stop_deliveries()
        passing = self - held
        result = passing._credit_hold_proceed(proceed)
        # a delivery held earlier that passes now leaves the held list
        passing.filtered(lambda p: p.state == "done")._credit_hold_went_through()
        return result

    def write(self, vals):
        if vals.get("state") == "done":
            # done only by _action_done, through the check (R15)
            self.filtered(lambda p: p.state != "done")._credit_hold_refuse_unchecked()
        return super().write(vals)

    def _credit_hold_refuse_unchecked(self):
        """A delivery (or its moves) written "done" other than by validating
        it: refused with the reason if the check would hold it."""
        self._credit_hold_refuse_if_held(
            lambda picking: picking._credit_hold_is_enabled(),
            lambda names, reason: self.env._(
                "%(pickings)s cannot be set to done by writing its state: %(reason)s. Validate it (it is then "
                "kept as a held delivery for a credit controller) or ask a credit controller.",
                pickings=names,
                reason=reason,
            ),
        )

    def action_cancel(self):
        res = super().action_cancel()
        self.filtered(lambda p: p.state == "cancel")._credit_hold_forget(self.env._("Document cancelled"))
        return res
