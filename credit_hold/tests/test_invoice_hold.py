# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import CreditHoldCommon


@tagged("post_install", "-at_install")
class TestInvoiceHold(CreditHoldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_hold_prevent_invoices = True

    def test_invoice_of_customer_on_hold_stays_draft(self):
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        invoice = self._invoice(self.customer, 100.0, post=False)
        result = invoice.action_post()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.credit_status, "held")
        self.assertEqual(result["tag"], "display_notification")
        # the auto-post cron and other modules post through _post
        invoice._post(soft=True)
        self.assertEqual(invoice.state, "draft")

    def test_held_invoice_posted_later_leaves_the_list(self):
        self.company.credit_hold_auto_release = False
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        invoice = self._invoice(self.customer, 100.0)
        self.assertEqual(invoice.credit_status, "held")
        self.customer.with_user(self.controller).action_credit_hold_automatic()
        self.assertEqual(invoice.state, "draft")
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.credit_status, "none")
        self.assertFalse(invoice.activity_ids)

    def test_invoices_go_on_when_the_switch_is_off(self):
        self.company.credit_hold_prevent_invoices = False
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        invoice = self._invoice(self.customer, 100.0)
        self.assertEqual(invoice.state, "posted")

    def test_invoice_of_customer_not_on_hold_is_posted(self):
        invoice = self._invoice(self.customer, 900.0)
        self.assertEqual(invoice.state, "posted")
        # this one takes the customer over its limit, but it was not on hold: posted (R10: invoicing goes on)
        invoice = self._invoice(self.customer, 500.0)
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(self.customer.on_hold)
        # the next one is held
        third = self._invoice(self.customer, 10.0)
        self.assertEqual(third.state, "draft")
        self.assertIn("Over credit limit: balance", third.credit_held_reason)
        self.assertIn("1,400.00 >= limit", third.credit_held_reason)

    def test_credit_note_and_vendor_bill_never_held(self):
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        refund = self._invoice(self.customer, 100.0, move_type="out_refund")
        self.assertEqual(refund.state, "posted")
        bill = self._invoice(self.customer, 100.0, move_type="in_invoice")
        self.assertEqual(bill.state, "posted")
        self.assertEqual((refund | bill).mapped("credit_status"), ["none", "none"])

    def test_release_posts_the_invoice(self):
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        invoice = self._invoice(self.customer, 100.0)
        invoice.with_user(self.controller).credit_release("Agreed payment plan")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.credit_status, "released")
        # re-hold while unpaid: back to draft
        invoice.with_user(self.controller).action_credit_hold()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.credit_status, "held")

    def test_invoice_of_released_order_is_not_held_again(self):
        order = self._order(self.customer, 1500.0)
        order.with_user(self.salesman).action_confirm()
        order.with_user(self.controller).credit_release("Big deal approved")
        self.assertEqual(order.state, "sale")
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.credit_status, "none")
        self.assertTrue(invoice.message_ids.filtered(lambda m: "released by a credit controller" in (m.body or "")))
        # the customer is now over its limit: a new invoice for it is held
        other = self._invoice(self.customer, 10.0)
        self.assertEqual(other.state, "draft")

    def test_auto_post_cron_path_holds(self):
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        invoice = self._invoice(self.customer, 100.0, post=False)
        invoice.auto_post = "at_date"
        self._run_cron_job("account.ir_cron_auto_post_draft_entry")
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.credit_status, "held")
