# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each way around a hold that was found by acting as a user of each group,
tried again the way the web client or RPC would: it is refused or held, and
nothing else is lost."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CreditHoldCommon


@tagged("post_install", "-at_install")
class TestNoWayAround(CreditHoldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain = new_test_user(
            cls.env,
            login="ch_plain",
            groups="base.group_user,base.group_partner_manager",
            company_id=cls.company.id,
        )
        cls.other = cls.env["res.partner"].create({"name": "Other Customer", "is_company": True})

    def _run_cron(self):
        while self.env["res.partner"]._cron_evaluate_credit_hold():
            pass

    # --- high --------------------------------------------------------------

    def _held_order_that_cannot_be_confirmed(self):
        invoice = self._invoice(self.customer, 1500.0)
        order = self._order(self.customer, 100.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.credit_status, "held")
        # a line without a product: Odoo accepts it on a quotation, refuses to confirm it
        order.with_user(self.salesman).write(
            {"order_line": [Command.create({"name": "To be defined", "price_unit": 1})]}
        )
        return invoice, order

    def test_unconfirmable_order_does_not_break_a_payment_or_the_nightly_pass(self):
        invoice, order = self._held_order_that_cannot_be_confirmed()
        payment = self._register_payment(invoice.with_user(self.billing))
        self.assertEqual(payment.state, "paid")
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertFalse(self.customer.on_hold)
        self._run_cron()  # the pass carries the order through: Odoo refuses, the pass goes on
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_status, "held")
        self.assertTrue(order.message_ids.filtered(lambda m: "could not be carried through" in (m.body or "")))

    def test_unconfirmable_order_does_not_break_a_limit_change(self):
        _invoice, order = self._held_order_that_cannot_be_confirmed()
        self.customer.with_user(self.controller).credit_limit = 5000.0
        self.assertEqual(self.customer.credit_limit, 5000.0)
        self.assertFalse(self.customer.on_hold)
        self.assertEqual(order.credit_status, "held")
        self.assertTrue(order.message_ids.filtered(lambda m: "could not be carried through" in (m.body or "")))

    def test_odoo_refusal_comes_before_a_hold(self):
        self._invoice(self.customer, 1500.0)
        order = self._order(self.customer, 100.0)
        order.write({"order_line": [Command.create({"name": "To be defined", "price_unit": 1})]})
        with self.assertRaises(UserError):
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.credit_status, "none")

    def test_cancelled_order_cannot_be_written_to_sale(self):
        self._invoice(self.customer, 1500.0)
        order = self._order(self.customer, 100.0)
        as_salesman = order.with_user(self.salesman)
        as_salesman.action_confirm()
        as_salesman.action_cancel()
        with self.assertRaises(UserError):
            as_salesman.write({"state": "sale"})
        self.assertEqual(order.state, "cancel")

    def test_held_invoice_cannot_be_written_to_posted(self):
        self.company.credit_hold_prevent_invoices = True
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        invoice = self._invoice(self.customer, 100.0, post=False)
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.credit_status, "held")
        with self.assertRaises(UserError):
            invoice.with_user(self.billing).write({"state": "posted"})
        self.assertEqual(invoice.state, "draft")

    def test_a_release_is_cleared_by_cancel_and_another_customer_is_checked_again(self):
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        self.other.with_user(self.controller).action_credit_hold_enforce_on()
        order = self._order(self.customer, 500.0)
        order.with_user(self.salesman).action_confirm()
        order.with_user(self.controller).credit_release("known customer")
        self.assertEqual(order.state, "sale")
        as_salesman = order.with_user(self.salesman).with_context(disable_cancel_warning=True)
        as_salesman.action_cancel()
        as_salesman.action_draft()
        self.assertEqual(order.credit_status, "none")
        as_salesman.write({"partner_id": self.other.id, "partner_invoice_id": self.other.id})
        as_salesman.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_status, "held")

    # --- medium ------------------------------------------------------------

    def test_billing_user_cannot_change_the_limit_while_credit_hold_is_on(self):
        order = self._order(self.customer, 1500.0)
        order.action_confirm()
        for vals in ({"credit_limit": 0.0}, {"credit_limit": 99999.0}, {"use_partner_credit_limit": False}):
            with self.assertRaises(AccessError):
                self.customer.with_user(self.billing).write(vals)
        self.assertEqual(self.customer.credit_limit, 1000.0)
        self.assertEqual(order.credit_status, "held")
        self.customer.with_user(self.controller).credit_limit = 2000.0
        self.assertEqual(order.state, "sale")  # a controller's raise carries it through
        self.company.credit_hold_enabled = False
        self.customer.with_user(self.billing).credit_limit = 3000.0  # Odoo's own rules again
        self.assertEqual(self.customer.credit_limit, 3000.0)

    def test_evaluate_is_for_controllers(self):
        for user in (self.plain, self.salesman, self.billing):
            with self.assertRaises(AccessError):
                self.customer.with_user(user).action_evaluate_credit_hold()
        self.customer.with_user(self.controller).action_evaluate_credit_hold()

    def test_no_context_key_leaves_a_document_behind(self):
        invoice = self._invoice(self.customer, 1500.0)
        order = self._order(self.customer, 100.0)
        order.action_confirm()
        ctx = {"credit_hold_retrying": True, "credit_hold_cron": True, "credit_hold_skip": True}
        self._register_payment(invoice.with_context(**ctx))
        self.assertFalse(self.customer.on_hold)
        self.assertEqual(order.state, "sale")

    def test_what_the_user_cannot_post_is_left_to_the_nightly_pass(self):
        self.company.write({"credit_hold_limit_basis": "exposure", "credit_hold_prevent_invoices": True})
        self._order(self.customer, 600.0, confirm=True)
        big = self._order(self.customer, 500.0)
        big.with_user(self.salesman).action_confirm()
        big.with_user(self.controller).credit_release("one-off")
        self.assertTrue(self.customer.on_hold)  # exposure 1,100
        invoice = self._invoice(self.customer, 50.0, post=False)
        invoice.action_post()
        self.assertEqual(invoice.credit_status, "held")
        # the salesperson cancels the big order: the hold lifts, but posting
        # invoices is not theirs to do, and nothing is done as superuser
        big.with_user(self.salesman).with_context(disable_cancel_warning=True).action_cancel()
        self.assertFalse(self.customer.on_hold)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.credit_status, "held")
        self._run_cron()
        self.assertEqual(invoice.state, "posted")

    def test_partner_from_contacts_gets_the_new_customer_hold(self):
        self.company.credit_hold_new_customers = True
        partner = self.env["res.partner"].with_user(self.plain).create({"name": "From Contacts", "is_company": True})
        self.assertEqual(partner.customer_rank, 0)
        order = self._order(partner, 10.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.credit_status, "held")
        self.assertEqual(order.credit_held_reason_codes, "new_customer")
        self.assertTrue(partner.on_hold)

    def test_first_invoice_makes_a_new_customer(self):
        self.company.credit_hold_new_customers = True
        partner = self.env["res.partner"].with_user(self.plain).create({"name": "Invoiced First", "is_company": True})
        self._invoice(partner, 10.0)
        self.assertTrue(partner.on_hold)
        self.assertEqual(partner.credit_hold_reason_codes, "new_customer")

    def test_contact_cannot_be_detached_from_a_held_company(self):
        self._invoice(self.customer, 1500.0)
        self.assertTrue(self.contact.on_hold)
        for user in (self.salesman, self.plain, self.billing):
            with self.assertRaises(AccessError):
                self.contact.with_user(user).write({"parent_id": False})
            with self.assertRaises(AccessError):
                self.contact.with_user(user).write({"parent_id": self.other.id})
        self.contact.with_user(self.salesman).write({"phone": "+1 555 0101"})  # other edits go on
        self.contact.with_user(self.controller).write({"parent_id": False})
        self.assertFalse(self.contact.parent_id)

    def test_a_hand_made_payment_transaction_exempts_nothing(self):
        self._invoice(self.customer, 1500.0)
        order = self._order(self.customer, 100.0)
        method = self.env.ref("payment.payment_method_unknown")
        provider = self.env["payment.provider"].create(
            {"name": "Hand", "code": "none", "state": "test", "payment_method_ids": [Command.set(method.ids)]}
        )
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": self.customer.id,
                "reference": "HAND-1",
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        with self.assertRaises(AccessError):
            tx.with_user(self.billing).write({"state": "done"})
        tx.sudo()._set_done()  # even done, a test provider proves nothing
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.credit_status, "held")

    def test_moving_a_line_into_a_confirmed_order_is_checked(self):
        confirmed = self._order(self.customer, 100.0, confirm=True)
        self.assertEqual(confirmed.state, "sale")
        quotation = self._order(self.customer, 5000.0)
        with self.assertRaises(UserError):
            quotation.order_line.with_user(self.salesman).write({"order_id": confirmed.id})
        self.assertEqual(confirmed.amount_total, 100.0)

    # --- low -----------------------------------------------------------------

    def test_a_release_covers_its_amount_once(self):
        self.company.credit_hold_prevent_invoices = True
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        order = self._order(self.customer, 1000.0).with_env(self.env)
        order.action_confirm()
        order.with_user(self.controller).credit_release("deal approved")
        invoices = self.env["account.move"]
        for _i in range(2):
            wizard = (
                self.env["sale.advance.payment.inv"]
                .with_context(active_model="sale.order", active_ids=order.ids, active_id=order.id)
                .create({"advance_payment_method": "fixed", "fixed_amount": 600.0})
            )
            wizard.create_invoices()
            invoice = order.invoice_ids - invoices
            invoices |= invoice
            invoice.action_post()
        self.assertEqual(invoices.mapped("credit_status"), ["none", "held"])
        self.assertEqual(invoices.mapped("state"), ["posted", "draft"])

    def test_figures_are_for_accounting_and_sales(self):
        self._invoice(self.customer, 500.0)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.plain).read(["total_balance"])
        self.assertEqual(self.customer.with_user(self.salesman).total_balance, 500.0)
        self.assertEqual(self.customer.with_user(self.billing).total_balance, 500.0)
        # the badge and the reason stay visible to everyone
        self.assertFalse(self.customer.with_user(self.plain).on_hold)

    def test_release_by_a_controller_without_email(self):
        quiet = new_test_user(
            self.env,
            login="ch_quiet_controller",
            groups="base.group_user,sales_team.group_sale_salesman,credit_hold.group_credit_controller",
            company_id=self.company.id,
        )
        quiet.partner_id.email = False
        order = self._order(self.customer, 1500.0)
        order.action_confirm()
        order.with_user(quiet).credit_release("approved by phone")
        self.assertEqual(order.state, "sale")

    def test_switching_off_leaves_held_documents_held(self):
        order = self._order(self.customer, 1500.0)
        order.action_confirm()
        self._invoice(self.customer, 1200.0)
        self.assertTrue(self.customer.on_hold)
        self.company.credit_hold_enabled = False
        self.assertFalse(self.customer.on_hold)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_status, "held")
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.credit_hold_held_count, 1)
