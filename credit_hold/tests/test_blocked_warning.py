# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.credit_hold.compat import PARTNER_BLOCKING_WARNINGS
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditHoldCommon

if PARTNER_BLOCKING_WARNINGS:

    @tagged("post_install", "-at_install")
    class TestBlockedWarning(CreditHoldCommon):
        """Odoo's "Blocking Message" partner warning is enforced on the server
        while credit hold is on (reason code ``blocked``), on every path. Odoo
        19.0 has no Blocking Message (``compat.PARTNER_BLOCKING_WARNINGS``): these
        cases exist on 18.0 only (written in the class itself: Odoo's runner
        runs no inherited test method), and 19.0 has its own below."""

        def _block(self, field, message="Legal dispute, do not deliver"):
            self.customer.write({field: "block", f"{field}_msg": message})

        def _rpc_order(self, partner, amount):
            """A quotation created the way an import or an RPC call does (the
            form's onchange would refuse the blocked customer)."""
            return (
                self.env["sale.order"]
                .with_user(self.salesman)
                .create(
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            (0, 0, {"product_id": self.service.id, "product_uom_qty": 1, "price_unit": amount})
                        ],
                    }
                )
            )

        def test_blocked_order_held_by_the_button(self):
            self._block("sale_warn")
            order = self._rpc_order(self.customer, 100.0)
            result = order.with_user(self.salesman).action_confirm()
            self.assertEqual(order.state, "draft")
            self.assertEqual(order.credit_status, "held")
            self.assertEqual(order.credit_held_reason_codes, "blocked")
            self.assertEqual(
                order.credit_held_reason, "Blocked by the customer's warning: Legal dispute, do not deliver"
            )
            self.assertEqual(result["tag"], "display_notification")
            # the customer itself is not on hold: the warning holds documents only
            self.assertFalse(self.customer.on_hold)

        def test_blocked_order_refused_by_write_and_copy(self):
            order = self._order(self.customer, 100.0)
            self._block("sale_warn")
            # an RPC write of the state, the way around the onchange
            with self.assertRaisesRegex(UserError, "Blocked by the customer's warning"):
                order.with_user(self.salesman).write({"state": "sale"})
            # a copy of an order of a blocked customer is held when confirmed
            copy = order.with_user(self.salesman).copy()
            copy.with_user(self.salesman).action_confirm()
            self.assertEqual(copy.credit_status, "held")

        def test_warning_on_the_contact_or_the_company(self):
            # Odoo reads the contact's warning, then its parent's
            self.contact.write({"sale_warn": "block", "sale_warn_msg": "Contact blocked"})
            order = self._rpc_order(self.contact, 100.0)
            order.with_user(self.salesman).action_confirm()
            self.assertEqual(order.credit_status, "held")
            self.assertIn("Contact blocked", order.credit_held_reason)
            # a plain warning does not hold
            self.contact.sale_warn = "warning"
            other = self._rpc_order(self.contact, 100.0)
            other.with_user(self.salesman).action_confirm()
            self.assertEqual(other.state, "sale")

        def test_blocked_customer_on_hold_shows_both_reasons(self):
            self._block("sale_warn")
            self.customer.with_user(self.controller).action_credit_hold_enforce_on()
            order = self._rpc_order(self.customer, 100.0)
            order.with_user(self.salesman).action_confirm()
            self.assertEqual(order.credit_held_reason_codes, "enforced,blocked")

        def test_no_hold_while_credit_hold_is_off(self):
            self._block("sale_warn")
            self.company.credit_hold_enabled = False
            order = self._rpc_order(self.customer, 100.0)
            order.with_user(self.salesman).action_confirm()
            self.assertEqual(order.state, "sale")

        def test_release_confirms_and_clearing_the_warning_carries_through(self):
            self._block("sale_warn")
            first, second = self._rpc_order(self.customer, 100.0), self._rpc_order(self.customer, 200.0)
            (first | second).with_user(self.salesman).action_confirm()
            self.assertEqual((first | second).mapped("credit_status"), ["held", "held"])
            first.with_user(self.controller).credit_release("Dispute settled for this one")
            self.assertEqual(first.state, "sale")
            # clearing the warning lets auto-release carry the other through
            self.customer.with_user(self.salesman).write({"sale_warn": "no-message"})
            self.assertEqual(second.state, "sale")
            self.assertEqual(second.credit_status, "none")

        def test_clearing_the_warning_does_not_release_a_customer_hold(self):
            self._block("sale_warn")
            self.customer.with_user(self.controller).action_credit_hold_enforce_on()
            order = self._rpc_order(self.customer, 100.0)
            order.with_user(self.salesman).action_confirm()
            self.customer.write({"sale_warn": "no-message"})
            self.assertEqual(order.state, "draft")
            self.assertEqual(order.credit_held_reason_codes, "enforced")

        def test_blocked_invoice_held_on_every_posting_path(self):
            self.company.credit_hold_prevent_invoices = True
            self._block("invoice_warn", "Invoices on hold: insolvency")
            invoice = self._invoice(self.customer, 100.0, post=False)
            invoice.action_post()
            self.assertEqual(invoice.state, "draft")
            self.assertEqual(invoice.credit_held_reason_codes, "blocked")
            self.assertIn("insolvency", invoice.credit_held_reason)
            # _post, as the auto-post cron does
            other = self._invoice(self.customer, 50.0, post=False)
            other._post(soft=True)
            self.assertEqual(other.state, "draft")
            self.assertEqual(other.credit_status, "held")
            # the sale warning alone does not hold invoices
            self.customer.invoice_warn = "no-message"
            self.assertEqual(invoice.state, "posted")
            self.customer.sale_warn = "block"
            third = self._invoice(self.customer, 10.0)
            self.assertEqual(third.state, "posted")

        def test_blocked_invoice_not_held_when_hold_invoices_is_off(self):
            self._block("invoice_warn")
            invoice = self._invoice(self.customer, 100.0)
            self.assertEqual(invoice.state, "posted")


else:

    @tagged("post_install", "-at_install")
    class TestWarningMessages(CreditHoldCommon):
        """Odoo 19.0's partner warnings are messages only (``sale_warn_msg``,
        ``picking_warn_msg``; no Blocking Message): they never hold a
        document, and no ``blocked`` reason is ever given."""

        def test_warning_messages_hold_nothing(self):
            self.company.credit_hold_prevent_invoices = True
            self.customer.write({"sale_warn_msg": "Legal dispute, do not deliver"})
            order = self._order(self.customer, 100.0)
            order.with_user(self.salesman).action_confirm()
            self.assertEqual(order.state, "sale")
            self.assertEqual(order.credit_status, "none")
            invoice = self._invoice(self.customer, 100.0)
            self.assertEqual(invoice.state, "posted")
            self.assertEqual(invoice.credit_status, "none")
            self.assertFalse(order.credit_held_reason_codes)
            self.assertFalse(self.customer.on_hold)
            self.customer.write({"picking_warn_msg": "Do not ship: dispute"})
            self.assertFalse(self.customer.on_hold)
