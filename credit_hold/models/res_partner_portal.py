# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from ..decision import text_to_codes

# the customer invoices a customer can pay in the portal
PAYABLE_MOVE_TYPES = ("out_invoice", "out_receipt")


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _credit_hold_portal_status(self, company, entries=None, with_invoices=True):
        """What the portal shows a customer of its own credit hold in
        ``company`` (the page's company), or None when it shows nothing: the
        customer is not on hold there, or the company chose not to say.

        The caller has made sure that the visitor is this customer (or, for
        a held quotation opened with its access token, passes the quotation's
        reasons in ``entries`` and ``with_invoices=False``): everything is
        read as superuser here.

        :param list entries: the reasons to say (a held document's), instead
            of the customer's own
        :param bool with_invoices: list the customer's overdue invoices and
            held quotations
        :return: {"lines": [sentences], "invoices": overdue invoices (sudo),
            "orders": held quotations (sudo),
            "visibility": the company's setting, "currency"}
        """
        self.ensure_one()
        root = company._credit_hold_root().sudo()
        if not root.credit_hold_enabled:
            return None
        visibility = root.credit_hold_portal_visibility
        partner = self.commercial_partner_id.with_company(root).sudo()
        if entries is None:
            if visibility == "off" or not partner.on_hold:
                return None
            _figures, decision = partner._credit_hold_compute(root)[partner.id]
            if decision.on_hold:
                entries = decision.reason_entries()
            else:  # the stored hold is not re-decided yet: its reasons, without figures
                entries = [{"code": code, "figures": {}} for code in text_to_codes(partner.credit_hold_reason_codes)]
        invoices = self.env["account.move"].sudo()
        if with_invoices:
            invoices = (
                invoices.browse(partner._credit_hold_overdue_move_ids(root))
                .filtered(
                    lambda move: move.move_type in PAYABLE_MOVE_TYPES
                    and move.state == "posted"
                    and not move.currency_id.is_zero(move.amount_residual)
                )
                .sorted(lambda move: (move.invoice_date_due, move.id))
            )
        orders = self.env["sale.order"].sudo()
        if with_invoices:
            orders = orders._get_credit_hold_documents(root, partner.ids)
        return {
            "lines": self.env["credit.hold.reason"]._render_customer_words(entries, root.currency_id, visibility),
            "invoices": invoices,
            "orders": orders,
            "visibility": visibility,
            "currency": root.currency_id,
        }
