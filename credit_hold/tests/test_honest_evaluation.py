# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .common import CreditHoldCommon, hold_writes


@tagged("post_install", "-at_install")
class TestReasonCodes(CreditHoldCommon):
    """Reasons are stored as codes and shown in the reader's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.french_controller = cls.controller.copy({"login": "ch_controller_fr", "lang": "fr_FR"})
        cls.customers = cls.customer | cls.env["res.partner"].create(
            {"name": "Second Customer", "is_company": True, "credit_limit": 500.0}
        )

    def test_evaluating_in_another_language_writes_nothing(self):
        self._invoice(self.customer, 1500.0)
        self._invoice(self.customers[1], 800.0)
        self.assertEqual(self.customers.mapped("credit_hold_reason_codes"), ["over_limit", "over_limit"])
        for user in (self.french_controller, self.controller, self.french_controller):
            with hold_writes(self.env) as written:
                self.customers.with_user(user).action_evaluate_credit_hold()
            self.assertEqual(written, [], f"evaluated as {user.login}")
        self.assertEqual(self.customers.mapped("credit_hold_reason_codes"), ["over_limit", "over_limit"])

    def test_words_follow_the_reader_filters_and_groups_do_not(self):
        self._invoice(self.customer, 1500.0)
        order = self._order(self.customers[1], 900.0)
        order.action_confirm()
        english = self.env["res.partner"].with_context(lang="en_US")
        french = self.env["res.partner"].with_context(lang="fr_FR")
        self.assertEqual(english.browse(self.customer.id).credit_hold_reason, "Over credit limit")
        domain = [("credit_hold_reason_codes", "ilike", "over_limit")]
        self.assertEqual(english.search(domain), french.search(domain))
        self.assertIn(self.customer, english.search(domain))
        groups_en = english._read_group([("id", "in", self.customers.ids)], ["credit_hold_reason_codes"], ["__count"])
        groups_fr = french._read_group([("id", "in", self.customers.ids)], ["credit_hold_reason_codes"], ["__count"])
        self.assertEqual(groups_en, groups_fr)
        self.assertIn(("over_limit", 1), groups_en)
        # the held list groups by the code, whatever the amounts in the words
        big = self._order(self.customers[1], 950.0)
        big.action_confirm()
        rows = self.env["credit.hold.document"].search([("partner_id", "=", self.customers[1].id)])
        self.assertEqual(len(rows), 2)
        self.assertNotEqual(rows[0].credit_held_reason, rows[1].credit_held_reason)  # different figures
        groups = self.env["credit.hold.document"]._read_group(
            [("partner_id", "=", self.customers[1].id)], ["reason_code"], ["__count"]
        )
        self.assertEqual(groups, [("over_limit", 2)])
        # the words of a held document in each language
        self.assertIn("Over credit limit", order.with_context(lang="en_US").credit_held_reason)
        self.assertEqual(order.credit_held_reason_codes, "over_limit")

    def test_search_by_words_finds_the_codes(self):
        self._invoice(self.customer, 1500.0)
        found = self.env["res.partner"].search([("credit_hold_reason", "ilike", "credit limit")])
        self.assertIn(self.customer, found)
        self.assertNotIn(self.customers[1], found)


@tagged("post_install", "-at_install")
class TestBranches(CreditHoldCommon):
    """A branch counts in its root company's figures, as Odoo's ``credit`` does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"child_ids": [Command.create({"name": "Branch North"})]})
        cls.env.cr.precommit.run()  # load the chart of accounts of the branch
        cls.branch = cls.company.child_ids

    def test_invoice_posted_in_a_branch_holds_the_customer(self):
        self._invoice(self.customer, 1500.0, company=self.branch)
        # Odoo's own figure counts the branch
        self.assertEqual(self.customer.with_company(self.company).credit, 1500.0)
        self.assertEqual(self.customer.with_company(self.company).total_balance, 1500.0)
        self.assertEqual(self.customer.with_company(self.branch).total_balance, 1500.0)
        self.assertTrue(self.customer.with_company(self.company).on_hold)
        # shown on hold in the branch too, with the same reason
        self.assertTrue(self.customer.with_company(self.branch).on_hold)
        self.assertEqual(self.customer.with_company(self.branch).credit_hold_reason_codes, "over_limit")

    def test_order_confirmed_in_a_branch_is_held(self):
        self._invoice(self.customer, 600.0)
        order = (
            self.env["sale.order"]
            .with_company(self.branch)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.branch.id,
                    "order_line": [Command.create({"product_id": self.service.id, "price_unit": 500.0})],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_status, "held")
        self.assertEqual(order.credit_held_reason_codes, "over_limit")

    def test_limit_set_in_a_branch_applies_to_the_family(self):
        self.customer.with_company(self.branch).credit_limit = 200.0
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 200.0)
        self._invoice(self.customer, 300.0)
        self.assertTrue(self.customer.with_company(self.branch).on_hold)


@tagged("post_install", "-at_install")
class TestOneDefinitionOfOverdue(CreditHoldCommon):
    @freeze_time("2026-03-01")
    def test_two_instalments_only_the_first_overdue(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "Half now, half in 60 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 50.0, "nb_days": 10}),
                    Command.create({"value": "percent", "value_amount": 50.0, "nb_days": 60}),
                ],
            }
        )
        self.customer.credit_limit = 0.0
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-02-01",
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [Command.create({"name": "S", "price_unit": 400.0, "tax_ids": []})],
            }
        )
        invoice.action_post()
        self.assertEqual(self.customer.total_balance, 400.0)
        self.assertEqual(self.customer.overdue_amount, 200.0)  # the first instalment only
        self.assertEqual(self.customer.credit_overdue_count, 1)
        self.assertTrue(self.customer.on_hold)
        action = self.customer.action_view_overdue_invoices()
        self.assertEqual(self.env["account.move"].search(action["domain"]), invoice)
        # a contact's button lists its company's
        action = self.contact.action_view_overdue_invoices()
        self.assertEqual(self.env["account.move"].search(action["domain"]), invoice)

    @freeze_time("2026-03-01")
    def test_nothing_overdue_lists_nothing(self):
        self._invoice(self.customer, 100.0, due="2026-03-10")
        self.assertEqual(self.customer.credit_overdue_count, 0)
        action = self.customer.action_view_overdue_invoices()
        self.assertFalse(self.env["account.move"].search(action["domain"]))


@tagged("post_install", "-at_install")
class TestOrdersNotInvoiced(CreditHoldCommon):
    def test_down_payment_is_owed_once(self):
        self.company.credit_hold_limit_basis = "exposure"
        self.customer.credit_limit = 0.0
        order = self._order(self.customer, 1000.0, confirm=True)
        self.assertEqual(self.customer.credit_uninvoiced, 1000.0)
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids, active_id=order.id)
            .create({"advance_payment_method": "percentage", "amount": 30.0})
        )
        wizard.create_invoices()
        order = order.with_env(self.env)
        down_payment = order.invoice_ids
        down_payment.action_post()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.total_balance, 300.0)
        self.assertEqual(self.customer.credit_uninvoiced, 700.0)
        self.assertEqual(self.customer.credit_exposure, 1000.0)
        # the final invoice deducts the down payment: still owed once
        final = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids, active_id=order.id)
            .create({"advance_payment_method": "delivered"})
        )
        final.create_invoices()
        (order.invoice_ids - down_payment).action_post()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.total_balance, 1000.0)
        self.assertEqual(self.customer.credit_uninvoiced, 0.0)
        self.assertEqual(self.customer.credit_exposure, 1000.0)

    def test_draft_invoice_does_not_count_as_invoiced(self):
        # Odoo's amount to invoice counts posted invoices only
        self.customer.credit_limit = 0.0
        order = self._order(self.customer, 400.0, confirm=True)
        order._create_invoices()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.credit_uninvoiced, 400.0)
        self.assertEqual(self.customer.total_balance, 0.0)


@tagged("post_install", "-at_install")
class TestQuotationWarning(CreditHoldCommon):
    def test_warning_follows_what_is_typed(self):
        self.company.account_use_credit_limit = True  # Odoo's own warning would show too
        self._invoice(self.customer, 800.0)
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True, "credit_limit": 10000.0})
        with Form(self.env["sale.order"].with_user(self.salesman)) as form:
            form.partner_id = self.customer
            form.user_id = self.salesman
            with form.order_line.new() as line:
                line.product_id = self.service
                line.price_unit = 50.0
            # 800 + 50 = 85 % of the limit: nothing to say
            self.assertFalse(form.credit_warning)
            with form.order_line.edit(0) as line:
                line.price_unit = 120.0
            # 920: past the 90 % warning
            self.assertTrue(form.credit_warning)
            self.assertIn("920.00", form.credit_warning_message)
            with form.order_line.edit(0) as line:
                line.price_unit = 300.0
            # 1,100: it would be held
            self.assertIn("would hold it", form.credit_warning_message)
            self.assertFalse(form.partner_credit_warning)  # one banner, ours
            form.partner_id = other
            self.assertFalse(form.credit_warning)
        # with credit hold off, Odoo's own banner is back
        self.company.credit_hold_enabled = False
        order = self._order(self.customer, 300.0)
        self.assertFalse(order.credit_warning)
        self.assertTrue(order.partner_credit_warning)
