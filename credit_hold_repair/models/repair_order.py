# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.addons.credit_hold.models.res_partner import CONTROLLER_GROUP
from odoo.tools import SQL

# the states of a repair that has gone past its confirmation
CONFIRMED_STATES = ("confirmed", "under_repair", "done")
# what the warning banner reads (the mixin's also reads an amount_total that
# repair orders have not)
WARNING_DEPENDS = ["company_id", "state", "partner_id", "under_warranty"]


class RepairOrder(models.Model):
    _name = "repair.order"
    _inherit = ["repair.order", "credit.hold.mixin"]
    _credit_hold_entry_points = {
        "_action_repair_confirm": "_credit_hold_decide_confirm",
        "action_repair_start": "_credit_hold_decide_start",
    }
    _credit_hold_partner_field = "credit_partner_id"
    _credit_hold_pending_states = ("draft",)
    _credit_hold_document_type = "repair"
    _credit_hold_document_index = 3
    _credit_hold_document_depends = ("name", "user_id", "sale_order_id")

    credit_partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Credit Customer",
        related="partner_id.commercial_partner_id",
        store=True,
        index="btree_not_null",
        help="The customer whose credit this repair uses.",
    )
    credit_warning = fields.Boolean(depends=WARNING_DEPENDS, depends_context=["lang"])
    credit_warning_message = fields.Char(depends=WARNING_DEPENDS, depends_context=["lang"])

    # ------------------------------------------------------------------
    # credit.hold.mixin
    # ------------------------------------------------------------------

    def _credit_hold_partner(self):
        return self.partner_id.commercial_partner_id

    @api.model
    def _credit_hold_document_label(self):
        return self.env._("Repair")

    @api.model
    def _credit_hold_document_row(self, alias):
        # a repair has no price of its own: the amount is its sales order's
        # (0 without one), converted as the order's own row
        a = SQL.identifier(alias)
        return {
            "name": SQL("%s.name", a),
            "user": SQL("%s.user_id", a),
            "amount": self._credit_hold_order_amount_sql(SQL("%s.sale_order_id", a)),
        }

    def _credit_hold_amount(self):
        # a repair order has no price of its own in Odoo 18: what the customer
        # pays for it is its sales order (none: nothing)
        order = self.sudo().sale_order_id
        return order._credit_hold_amount() if order else 0.0

    def _credit_hold_applies(self):
        """Whether the company stops this repair, whatever its state: a
        customer's repair not under warranty, while credit hold and Hold
        Repairs are on (rules R1, R10)."""
        self.ensure_one()
        if not self.partner_id or self.under_warranty:
            return False
        root = self.company_id._credit_hold_root()
        return root.credit_hold_enabled and root.credit_hold_prevent_repairs

    def _credit_hold_is_enabled(self):
        return self.state == "draft" and self._credit_hold_applies()

    def _credit_hold_document_amount(self):
        # Only the customer's hold matters, as for an invoice: the repair has
        # no amount, and its sales order is checked when it is confirmed
        # (and counts in the exposure from then on).
        return None

    def _credit_hold_exemption(self):
        return self._credit_hold_release_applies()

    def _credit_hold_go_through(self):
        return self._action_repair_confirm()

    def _credit_hold_can_rehold(self):
        self.ensure_one()
        # started, repaired or invoiced: too late to stop it
        invoiced = self.sudo().sale_order_id.invoice_ids.filtered(lambda move: move.state != "cancel")
        return self.state == "confirmed" and not invoiced

    def _credit_hold_back_to_draft(self):
        confirmed = self.filtered(lambda repair: repair.state == "confirmed")
        if confirmed:
            confirmed.action_repair_cancel()
            confirmed.action_repair_cancel_draft()

    # ------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------

    def _credit_hold_decide_confirm(self, proceed):
        """``_action_repair_confirm``, first of its chain: hold what must be
        held, confirm the rest (R10, R15).

        Every path that confirms a repair comes here (the Confirm button
        through ``action_validate``, the insufficient-quantity wizard,
        Start Repair on a draft, the repair's sales order, RPC). Held repairs
        stay drafts with their reason; a hold is never an exception, which
        would roll it back.

        :return: Odoo's result, or a notification of what was held (which
            ``action_validate`` and the wizard hand to the user)
        """
        unchecked = self._credit_hold_unchecked()
        drafts = unchecked.filtered(lambda repair: repair.state == "draft")
        held, results = drafts._credit_hold_stop_held()
        passing = self - held
        # repairs passing here may be written state "confirmed" (see write)
        result = passing._credit_hold_proceed(proceed)
        confirmed = (drafts - held).filtered(lambda repair: repair.state == "confirmed")
        enabled = confirmed.filtered(lambda repair: repair.company_id._credit_hold_is_on())
        if enabled:
            enabled._credit_hold_after_check(results)
        # a repair held earlier that passes now leaves the held list
        confirmed._credit_hold_went_through()
        if held:
            return self._credit_hold_notification(held, confirmed)
        return result

    def _credit_hold_decide_start(self, proceed):
        """``action_repair_start``, first of its chain: Odoo confirms the
        drafts there, then writes them "under repair"; a draft held on the
        way stays a draft and reaches no other module's code."""
        drafts = self.filtered(lambda repair: repair.state == "draft")
        result = drafts._action_repair_confirm() if drafts else True
        held = drafts.filtered(lambda repair: repair.state == "draft" and repair.credit_status == "held")
        passing = self - held
        if passing:
            result = proceed(passing)
        if held:
            return self._credit_hold_notification(held, passing)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        repairs = super().create(vals_list)
        repairs.filtered(lambda repair: repair.state in CONFIRMED_STATES)._credit_hold_refuse_unchecked()
        return repairs

    def write(self, vals):
        changing = self.browse()
        if vals.get("state") in CONFIRMED_STATES:
            # a draft or cancelled repair confirmed other than by
            # _action_repair_confirm (an import, a script, an RPC write)
            changing = self.filtered(lambda repair: repair.state not in CONFIRMED_STATES)
        if "under_warranty" in vals and not vals["under_warranty"]:
            # warranty is no switch: a confirmed or started repair that
            # leaves warranty is checked as if it were confirmed now (a
            # credit controller may, as they may release it)
            if not self.env.user.has_group(CONTROLLER_GROUP):
                changing |= self.filtered(lambda repair: repair.under_warranty and repair.state in CONFIRMED_STATES)
        result = super().write(vals)
        changing._credit_hold_refuse_unchecked()
        return result

    def _credit_hold_refuse_unchecked(self):
        """R15: a repair confirmed without the check (a write of its state)
        is checked now; if it would be held, the change is refused with the
        reason."""
        self._credit_hold_refuse_if_held(
            lambda repair: repair._credit_hold_applies(),
            lambda names, reason: self.env._(
                "%(repairs)s cannot be confirmed: %(reason)s. Confirm it with the Confirm Repair button "
                "(it is then kept as a held draft for a credit controller) or ask a credit controller.",
                repairs=names,
                reason=reason,
            ),
        )

    def action_repair_cancel(self):
        result = super().action_repair_cancel()
        self.filtered(lambda repair: repair.state == "cancel")._credit_hold_forget(self.env._("Document cancelled"))
        return result
