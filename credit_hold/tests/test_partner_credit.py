# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import CreditHoldCommon


@tagged("post_install", "-at_install")
class TestPartnerCredit(CreditHoldCommon):
    def test_posted_invoice_raises_total_balance(self):
        invoice = self._invoice(self.customer, 400.0)
        self.assertEqual(self.customer.total_balance, 400.0)
        self.assertFalse(self.customer.on_hold)
        self.assertEqual(self.customer.credit_available, 600.0)
        self._invoice(self.customer, 600.0)
        self.assertEqual(self.customer.total_balance, 1000.0)
        # balance >= limit: held at the moment of posting, with the reason in words
        self.assertTrue(self.customer.on_hold)
        self.assertEqual(self.customer.credit_hold_reason, "Over credit limit")
        self.assertTrue(invoice.exists())

    def test_draft_invoice_counts_nothing(self):
        self._invoice(self.customer, 5000.0, post=False)
        self.customer.action_evaluate_credit_hold()
        self.assertEqual(self.customer.total_balance, 0.0)
        self.assertEqual(self.customer.credit_exposure, 0.0)
        self.assertFalse(self.customer.on_hold)

    def test_registered_payment_lowers_balance_and_lifts_hold(self):
        invoice = self._invoice(self.customer, 1200.0)
        self.assertTrue(self.customer.on_hold)
        self._register_payment(invoice, amount=500.0)
        self.assertEqual(self.customer.total_balance, 700.0)
        self.assertFalse(self.customer.on_hold)
        self.assertFalse(self.customer.credit_hold_reason)

    def test_payment_on_account_lowers_balance(self):
        self._invoice(self.customer, 1100.0)
        self.assertTrue(self.customer.on_hold)
        self._payment_on_account(self.customer, 300.0)
        self.assertEqual(self.customer.total_balance, 800.0)
        self.assertFalse(self.customer.on_hold)

    def test_credit_note_lowers_balance(self):
        self._invoice(self.customer, 1000.0)
        self.assertTrue(self.customer.on_hold)
        self._invoice(self.customer, 250.0, move_type="out_refund")
        self.assertEqual(self.customer.total_balance, 750.0)
        self.assertFalse(self.customer.on_hold)

    def test_reset_to_draft_and_cancel_lower_balance(self):
        invoice = self._invoice(self.customer, 1500.0)
        self.assertTrue(self.customer.on_hold)
        invoice.button_draft()
        self.assertFalse(self.customer.on_hold)
        invoice.action_post()
        self.assertTrue(self.customer.on_hold)
        invoice.button_draft()
        invoice.button_cancel()
        self.assertEqual(self.customer.total_balance, 0.0)
        self.assertFalse(self.customer.on_hold)

    def test_unreconciled_payment_stays_on_account_and_keeps_the_customer_clear(self):
        invoice = self._invoice(self.customer, 1000.0)
        self._register_payment(invoice)
        self.assertFalse(self.customer.on_hold)
        invoice.line_ids.remove_move_reconcile()
        # the payment is now on account: nothing owed overall
        self.assertEqual(self.customer.total_balance, 0.0)
        self.assertFalse(self.customer.on_hold)

    def test_overdue_only_after_due_date_plus_grace(self):
        self.company.credit_hold_grace_days = 5
        self.customer.sudo().credit_limit = 0.0  # no limit: only the overdue rule
        with freeze_time("2026-01-10"):
            self._invoice(self.customer, 100.0, due="2026-01-31")
        with freeze_time("2026-02-05"):  # due + 5 days = today: not overdue yet
            self.env["res.partner"]._cron_evaluate_credit_hold()
            self.assertFalse(self.customer.on_hold)
            self.assertEqual(self.customer.overdue_amount, 0.0)
        with freeze_time("2026-02-06"):  # one day later, with no write on the invoice
            self.env.invalidate_all()
            self.env["res.partner"]._cron_evaluate_credit_hold()
            self.assertTrue(self.customer.on_hold)
            self.assertEqual(self.customer.credit_hold_reason, "Overdue invoices")
            self.assertEqual(self.customer.overdue_amount, 100.0)
            self.assertEqual(self.customer.credit_overdue_count, 1)

    def test_invoice_not_yet_due_is_not_overdue(self):
        with freeze_time("2026-03-01"):
            self._invoice(self.customer, 100.0, due="2026-03-01")
            self.assertEqual(self.customer.overdue_amount, 0.0)
            self.assertFalse(self.customer.on_hold)

    def test_paid_overdue_invoice_is_not_overdue(self):
        with freeze_time("2026-01-01"):
            invoice = self._invoice(self.customer, 100.0, due="2026-01-02")
        with freeze_time("2026-02-01"):
            self.env["res.partner"]._cron_evaluate_credit_hold()
            self.assertTrue(self.customer.on_hold)
            self._register_payment(invoice)
            self.assertFalse(self.customer.on_hold)
            self.assertEqual(self.customer.overdue_amount, 0.0)

    def test_overdue_minimum_amount(self):
        self.company.credit_hold_overdue_min_amount = 10.0
        with freeze_time("2026-01-01"):
            invoice = self._invoice(self.customer, 100.0, due="2026-01-02")
        with freeze_time("2026-02-01"):
            self._register_payment(invoice, amount=90.01)
            self.env["res.partner"]._cron_evaluate_credit_hold()
            self.assertEqual(self.customer.overdue_amount, 9.99)
            self.assertFalse(self.customer.on_hold)  # cents left over hold nobody
            self._invoice(self.customer, 0.01, due="2026-01-02")
            self.assertEqual(self.customer.overdue_amount, 10.0)
            self.assertTrue(self.customer.on_hold)

    def test_customer_grace_days_override(self):
        self.company.credit_hold_grace_days = 0
        self.customer.with_user(self.controller).write(
            {"credit_hold_grace_override": True, "credit_hold_grace_days": 30}
        )
        with freeze_time("2026-01-01"):
            self._invoice(self.customer, 100.0, due="2026-01-02")
        with freeze_time("2026-01-20"):
            self.env["res.partner"]._cron_evaluate_credit_hold()
            self.assertFalse(self.customer.on_hold)
        with freeze_time("2026-02-02"):
            self.env.invalidate_all()
            self.env["res.partner"]._cron_evaluate_credit_hold()
            self.assertTrue(self.customer.on_hold)

    def test_global_switch_off_holds_nobody(self):
        self._invoice(self.customer, 2000.0)
        self.assertTrue(self.customer.on_hold)
        self.company.credit_hold_enabled = False
        self.assertFalse(self.customer.on_hold)  # switching off lifts every hold
        self._invoice(self.customer, 2000.0)
        self.assertFalse(self.customer.on_hold)
        self.assertEqual(self.customer.total_balance, 4000.0)  # figures still shown
        # switching on changes nobody by itself (R1) ...
        self.company.credit_hold_enabled = True
        self.assertFalse(self.customer.on_hold)
        # ... the next evaluation does
        self.customer.action_evaluate_credit_hold()
        self.assertTrue(self.customer.on_hold)

    def test_hold_types(self):
        customer = self.customer.with_user(self.controller)
        customer.action_credit_hold_enforce_on()
        self.assertTrue(self.customer.on_hold)
        self.assertEqual(self.customer.credit_hold_reason, "Put on hold by a credit controller")
        self._invoice(self.customer, 5000.0)
        customer.action_credit_hold_enforce_off()
        self.assertFalse(self.customer.on_hold)  # over the limit, but enforced off
        customer.action_credit_hold_automatic()
        self.assertTrue(self.customer.on_hold)
        self.assertEqual(self.customer.credit_hold_reason, "Over credit limit")

    def test_threshold_and_warning(self):
        self.company.credit_hold_warning_percent = 90.0
        self._invoice(self.customer, 900.0)
        self.assertTrue(self.customer.credit_warning)
        self.assertFalse(self.customer.on_hold)
        self.customer.with_user(self.controller).credit_threshold = 90.0
        self.assertEqual(self.customer.credit_effective_limit, 900.0)
        self.assertTrue(self.customer.on_hold)
        # on hold for it: not "near" the limit any more (one banner, the true one)
        self.assertFalse(self.customer.credit_warning)
        self.customer.with_user(self.controller).credit_threshold = 120.0
        self.assertFalse(self.customer.on_hold)
        self.assertFalse(self.customer.credit_warning)  # 900 < 90 % of 1,200

    def test_hold_overdue_switch_both_ways(self):
        """Hold Overdue Customers off: an overdue invoice holds nobody; on: it does."""
        self.company.credit_hold_overdue = False
        self._invoice(self.customer, 100.0, due=fields.Date.today() - timedelta(days=10))
        self.assertFalse(self.customer.on_hold)
        self.company.credit_hold_overdue = True
        self.customer.with_user(self.controller).action_evaluate_credit_hold()
        self.assertTrue(self.customer.on_hold)
        self.assertEqual(self.customer.credit_hold_reason_codes, "overdue")

    def test_hold_over_limit_switch_both_ways(self):
        """Hold Over-Limit Customers off: a balance over the limit holds nobody
        (nor an order over it); on: it does."""
        self.company.credit_hold_over_limit = False
        self._invoice(self.customer, 1500.0)
        self.assertFalse(self.customer.on_hold)
        order = self._order(self.customer, 500.0, confirm=True)
        self.assertEqual(order.state, "sale")
        self.company.credit_hold_over_limit = True
        self.customer.with_user(self.controller).action_evaluate_credit_hold()
        self.assertTrue(self.customer.on_hold)
        self.assertEqual(self.customer.credit_hold_reason_codes, "over_limit")

    def test_threshold_zero_shows_the_company_default(self):
        self.company.credit_hold_default_threshold = 95.0
        self.assertEqual(self.customer.credit_threshold, 0.0)
        self.assertEqual(self.customer.credit_threshold_default, 95.0)

    def test_raising_the_limit_lifts_the_hold(self):
        self._invoice(self.customer, 1000.0)
        self.assertTrue(self.customer.on_hold)
        self.customer.credit_limit = 1500.0
        self.assertFalse(self.customer.on_hold)

    def test_no_limit_never_over_limit(self):
        self.customer.credit_limit = 0.0
        self._invoice(self.customer, 10**6)
        self.assertFalse(self.customer.on_hold)
        self.assertFalse(self.customer.credit_has_limit)

    def test_exposure_basis_counts_confirmed_orders(self):
        self.company.credit_hold_limit_basis = "exposure"
        product = self.env["product.product"].create(
            {"name": "Svc", "type": "service", "list_price": 100.0, "invoice_policy": "order", "taxes_id": []}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 7})],
            }
        )
        order.action_confirm()
        self._invoice(self.customer, 300.0)
        self.assertEqual(self.customer.credit_uninvoiced, 700.0)
        self.assertEqual(self.customer.credit_exposure, 1000.0)
        self.assertTrue(self.customer.on_hold)

    def test_contacts_follow_their_company(self):
        self._invoice(self.contact, 1200.0)  # invoiced to the contact, owed by the company
        self.assertTrue(self.customer.on_hold)
        self.assertTrue(self.contact.on_hold)
        self.assertEqual(self.contact.credit_hold_reason, "Over credit limit")
        self.assertEqual(self.contact.total_balance, 1200.0)
        self.assertEqual(self.contact.credit_effective_limit, 1000.0)
        new_contact = self.env["res.partner"].create({"name": "New Contact", "parent_id": self.customer.id})
        self.assertTrue(new_contact.on_hold)
        self.customer.credit_limit = 5000.0
        self.assertFalse(self.contact.on_hold)
        self.assertFalse(new_contact.on_hold)

    def test_multi_company_separation(self):
        company_2 = self.setup_other_company(name="Company B")["company"]
        company_2.credit_hold_enabled = True
        self.customer.with_company(company_2).credit_limit = 100.0
        self._invoice(self.customer, 500.0, company=company_2)
        customer_b = self.customer.with_company(company_2)
        self.assertTrue(customer_b.on_hold)
        self.assertEqual(customer_b.total_balance, 500.0)
        # company A sees none of company B's lines and keeps its own decision
        customer_a = self.customer.with_company(self.company)
        self.assertFalse(customer_a.on_hold)
        self.assertEqual(customer_a.total_balance, 0.0)
        self.assertEqual(customer_a.credit_limit, 1000.0)
        # a hold type chosen in A does not leak into B
        customer_a.with_user(self.controller).action_credit_hold_enforce_on()
        self.assertTrue(customer_a.on_hold)
        self.assertEqual(customer_b.on_hold_type, "automatic")

    def test_foreign_currency_invoice_counts_at_company_residual(self):
        other = self.setup_other_currency("EUR")  # 2 EUR = 1 company currency today
        invoice = self._invoice(self.customer, 1000.0, currency=other)
        self.assertEqual(invoice.amount_residual_signed, 500.0)
        self.assertEqual(self.customer.total_balance, 500.0)
        self.assertFalse(self.customer.on_hold)
        self._invoice(self.customer, 1000.0, currency=other)
        self.assertEqual(self.customer.total_balance, 1000.0)
        self.assertTrue(self.customer.on_hold)

    def test_tracking_logs_the_change(self):
        # a customer created in its own transaction, as in real life: records
        # created with tracking off stay untracked until the next commit
        tracked_env = self.env(context={**self.env.context, "tracking_disable": False, "mail_notrack": False})
        customer = tracked_env["res.partner"].create({"name": "Tracked", "is_company": True, "credit_limit": 10.0})
        self.env.cr.flush()
        self.env.cr.precommit.clear()
        self._invoice(customer, 10.0, post=False).with_env(tracked_env).action_post()
        self.env.cr.flush()  # tracking messages are written at commit time
        values = customer.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "on_hold")
        self.assertEqual(values.mapped("new_value_integer"), [1])
        notes = customer.message_ids.filtered(lambda m: "Put on credit hold" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("Over credit limit", notes.body)
        history = self.env["credit.hold.history"].search([("partner_id", "=", customer.id)])
        self.assertEqual(history.mapped("reason_codes"), ["over_limit"])
        self.assertEqual(history.origin, "event")

    def test_form_shows_the_credit_section(self):
        self._invoice(self.customer, 1000.0)
        with Form(self.customer.with_user(self.salesman)) as form:
            self.assertTrue(form.on_hold)
            self.assertEqual(form.credit_hold_reason, "Over credit limit")
            self.assertEqual(form.total_balance, 1000.0)
            form.phone = "+1 555 0100"  # saving unchanged credit fields is allowed


@tagged("post_install", "-at_install")
class TestBadInput(CreditHoldCommon):
    def assertRejected(self, record, vals, field_label):
        with self.assertRaises(ValidationError) as caught:
            record.write(vals)
            record.env.flush_all()
        self.assertIn(field_label, str(caught.exception))

    def test_negative_credit_limit(self):
        self.assertRejected(self.customer, {"credit_limit": -1.0}, "Credit Limit")

    def test_threshold_bounds(self):
        customer = self.customer.with_user(self.controller)
        self.assertRejected(customer, {"credit_threshold": -5.0}, "Threshold (%)")
        self.assertRejected(customer, {"credit_threshold": 1000.5}, "at most 1000")
        customer.credit_threshold = 1000.0  # the bound itself is allowed
        customer.credit_threshold = 0.0  # empty: company default

    def test_company_settings_bounds(self):
        self.assertRejected(self.company, {"credit_hold_grace_days": -1}, "Grace Days")
        self.assertRejected(self.company, {"credit_hold_overdue_min_amount": -0.01}, "Minimum Overdue Amount")
        self.assertRejected(self.company, {"credit_hold_default_threshold": 0.0}, "Default Threshold")
        self.assertRejected(self.company, {"credit_hold_default_threshold": 5000.0}, "Default Threshold")
        self.assertRejected(self.company, {"credit_hold_warning_percent": 0.0}, "between 1 and 100")
        self.assertRejected(self.company, {"credit_hold_warning_percent": 101.0}, "between 1 and 100")

    def test_customer_grace_days(self):
        self.assertRejected(self.customer.with_user(self.controller), {"credit_hold_grace_days": -3}, "Grace Days")

    def test_bad_hold_type(self):
        with self.assertRaises(ValueError):
            self.customer.with_user(self.controller).write({"on_hold_type": "sometimes"})

    def test_settings_form(self):
        with self.assertRaises(ValidationError) as caught:
            self.env["res.config.settings"].create({"credit_hold_warning_percent": 150.0}).execute()
        self.assertIn("Warning at", str(caught.exception))
