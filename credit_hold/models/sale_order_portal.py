# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from ..decision import text_to_codes
from .credit_hold_reason import REASON_MANUAL


class SaleOrder(models.Model):
    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

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
