# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer's side: the credit hold block of the portal home, of "My
Account" and of a held quotation's page (views/portal_templates.xml).

What is shown is computed as superuser, so it is computed only for the
visitor's own commercial partner (``request.env.user``), in the page's
company; a visitor who opened a held quotation with its access token learns
why that quotation is held and nothing of the customer's invoices."""

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.http import request


class CreditHoldCustomerPortal(CustomerPortal):
    def _credit_hold_visitor_status(self):
        """The logged-in visitor's own credit hold in the page's company, or None."""
        user = request.env.user
        if user._is_public():
            return None
        partner = user.partner_id.commercial_partner_id
        status = partner._credit_hold_portal_status(request.env.company)
        if status:
            status["pay_overdue_url"] = self._credit_hold_pay_overdue_url(status["invoices"])
        return status

    def _credit_hold_pay_overdue_url(self, invoices):
        """Odoo's own "pay overdue invoices" page pays the overdue invoices of
        the visitor's partner together: offered when it covers these invoices
        (invoiced to the visitor's partner, in one company and currency)."""
        partner = request.env.user.partner_id
        if (
            invoices
            and all(invoice.partner_id == partner for invoice in invoices)
            and len(invoices.company_id) == 1
            and len(invoices.currency_id) == 1
        ):
            return "/my/invoices/overdue"
        return False

    def _credit_hold_add_status(self, response):
        if getattr(response, "qcontext", None) is not None:
            response.qcontext["credit_hold_status"] = self._credit_hold_visitor_status()
        return response

    @http.route()
    def home(self, **kw):
        return self._credit_hold_add_status(super().home(**kw))

    @http.route()
    def account(self, **kwargs):
        # 18.0 takes ``redirect`` and the posted form, 19.0 only keyword arguments
        return self._credit_hold_add_status(super().account(**kwargs))

    def _get_page_view_values(self, document, access_token, values, session_history, no_breadcrumbs, **kwargs):
        values = super()._get_page_view_values(
            document, access_token, values, session_history, no_breadcrumbs, **kwargs
        )
        if document._name == "sale.order" and document.credit_status == "held":
            user = request.env.user
            own = not user._is_public() and user.partner_id.commercial_partner_id == document._credit_hold_partner()
            status = document._credit_hold_portal_status(with_invoices=own)
            if status:
                status["pay_overdue_url"] = self._credit_hold_pay_overdue_url(status["invoices"]) if own else False
            values["credit_hold_status"] = status
        return values
