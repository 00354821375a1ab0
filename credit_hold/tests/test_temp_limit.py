# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CreditHoldCommon


@tagged("post_install", "-at_install")
class TestTempLimit(CreditHoldCommon):
    """A temporary limit replaces the credit limit until the day before its
    end date; on the end date the nightly pass restores the credit limit."""

    def setUp(self):
        super().setUp()
        self.company.credit_hold_auto_release = True
        self.todo = self.env.ref("mail.mail_activity_data_todo")

    def _over_the_limit(self):
        """The customer owes 1,500 for a limit of 1,000 (not due before December)."""
        invoice = self._invoice(self.customer, 1500.0, post=False)
        invoice.invoice_date_due = date(2026, 12, 31)
        invoice.action_post()
        self.assertTrue(self.customer.on_hold)
        self.assertEqual(self.customer.credit_hold_reason_codes, "over_limit")

    def _grant(self, amount=2000.0, end="2026-03-10", reason="Seasonal orders", user=None):
        """What a controller does: the button of the Credit tab, then the wizard."""
        partner = self.customer.with_user(user or self.controller)
        action = partner.action_credit_temp_limit()
        wizard_model = self.env[action["res_model"]].with_user(user or self.controller)
        with Form(wizard_model.with_context(**action["context"])) as form:
            form.amount = amount
            form.end_date = end
            form.reason = reason
        return form.record.action_grant()

    def _run_cron(self):
        while self.env["res.partner"]._cron_evaluate_credit_hold():
            pass

    def _activities(self):
        return self.customer.activity_ids.filtered(lambda a: a.activity_type_id == self.todo)

    @freeze_time("2026-03-01")
    def test_grant_takes_the_customer_off_hold_and_releases_its_documents(self):
        self._over_the_limit()
        order = self._order(self.customer, 300.0, confirm=True)
        self.assertEqual(order.credit_status, "held")
        self._grant(2000.0)
        self.assertFalse(self.customer.on_hold)
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.customer.credit_limit, 1000.0)  # the permanent limit is kept
        self.assertEqual(self.customer.credit_effective_limit, 2000.0)
        self.assertTrue(self.customer.credit_temp_limit_active)
        self.assertEqual(self.customer.credit_temp_limit_uid, self.controller)
        self.assertEqual(self.customer.credit_temp_limit_reason, "Seasonal orders")
        note = self.customer.message_ids.filtered(lambda m: "Temporary credit limit of" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("Seasonal orders", note.body)

    @freeze_time("2026-03-01")
    def test_orders_are_checked_against_the_temporary_limit(self):
        self._grant(3000.0)
        order = self._order(self.customer, 2500.0, confirm=True)
        self.assertEqual(order.state, "sale")
        order_2 = self._order(self.customer, 600.0, confirm=True)  # 3,100 of 3,000
        self.assertEqual(order_2.credit_status, "held")
        self.assertIn("3,000.00", order_2.credit_held_reason)

    @freeze_time("2026-03-01")
    def test_threshold_applies_on_top_of_the_temporary_limit(self):
        self._over_the_limit()
        self.customer.with_user(self.controller).credit_threshold = 50.0
        self._grant(4000.0)
        self.assertEqual(self.customer.credit_effective_limit, 2000.0)
        self.assertFalse(self.customer.on_hold)
        self._grant(2900.0)  # 1,450 effective: 1,500 owed is over it
        self.assertTrue(self.customer.on_hold)

    def test_holds_again_on_the_end_date_restores_and_notifies_once(self):
        with freeze_time("2026-03-01"):
            self._over_the_limit()
            self._grant(2000.0, end="2026-03-10")
            self.assertFalse(self.customer.on_hold)
        with freeze_time("2026-03-09"):  # the last day of the temporary limit
            self._run_cron()
            self.assertFalse(self.customer.on_hold)
            self.assertEqual(self.customer.credit_temp_limit, 2000.0)
            self.assertFalse(self._activities())
        with freeze_time("2026-03-10"):  # the end date: the credit limit applies again
            self.env.invalidate_all()
            self.assertEqual(self.customer.credit_effective_limit, 1000.0)  # even before the nightly pass
            self._run_cron()
            self.assertTrue(self.customer.on_hold)
            self.assertEqual(self.customer.credit_hold_reason_codes, "over_limit")
            self.assertFalse(self.customer.credit_temp_limit)
            self.assertFalse(self.customer.credit_temp_limit_end)
            self.assertFalse(self.customer.credit_temp_limit_uid)
            self.assertEqual(self.customer.credit_limit, 1000.0)
            activity = self._activities()
            self.assertEqual(activity.user_id, self.controller)
            self.assertEqual(activity.summary, "Temporary credit limit ended")
            notes = self.customer.message_ids.filtered(lambda m: "ended on" in (m.body or ""))
            self.assertEqual(len(notes), 1)
            history = self.env["credit.hold.history"].search([("partner_id", "=", self.customer.id)], limit=1)
            self.assertTrue(history.on_hold)
            changes = self.env["credit.limit.history"].search(
                [("partner_id", "=", self.customer.id), ("field_name", "=", "credit_temp_limit")]
            )
            self.assertEqual(changes.mapped("new_value"), ["", "$\xa02,000.00"])
            self._run_cron()  # a second pass on the same day notifies nobody again
        with freeze_time("2026-03-11"):
            self._run_cron()
        self.assertEqual(len(self._activities()), 1)
        self.assertEqual(len(self.customer.message_ids.filtered(lambda m: "ended on" in (m.body or ""))), 1)

    @freeze_time("2026-03-01")
    def test_a_new_grant_replaces_the_previous_one(self):
        self._over_the_limit()
        self._grant(2000.0, end="2026-03-10", reason="First")
        self._grant(3000.0, end="2026-04-01", reason="Second")
        self.assertEqual(self.customer.credit_temp_limit, 3000.0)
        self.assertEqual(self.customer.credit_temp_limit_end, date(2026, 4, 1))
        note = self.customer.message_ids.filtered(lambda m: "Second" in (m.body or ""))
        self.assertIn("replaces the temporary limit of", note.body)
        self.assertIn("First", note.body)

    @freeze_time("2026-03-01")
    def test_ending_it_now(self):
        self._over_the_limit()
        self._grant(2000.0)
        self.customer.with_user(self.controller).action_credit_temp_limit_end()
        self.assertTrue(self.customer.on_hold)
        self.assertFalse(self.customer.credit_temp_limit_end)

    @freeze_time("2026-03-01")
    def test_per_company(self):
        company_2 = self.setup_other_company(name="Company Two")["company"]
        company_2.credit_hold_enabled = True
        other = self.customer.with_company(company_2)
        other.credit_limit = 1000.0
        self._grant(2000.0)
        self.assertFalse(other.credit_temp_limit)
        self.assertEqual(other.credit_effective_limit, 1000.0)
        self.assertEqual(self.customer.credit_effective_limit, 2000.0)

    @freeze_time("2026-03-01")
    def test_bad_input_names_the_field(self):
        cases = [
            ({"amount": -5.0}, "Temporary Limit cannot be negative"),
            ({"end": "2026-02-27"}, "Temporary Limit Until must be after today"),
            ({"end": "2026-03-01"}, "Temporary Limit Until must be after today"),
            ({"amount": 1000.0}, "must be higher than the Credit Limit"),
            ({"amount": 800.0}, "use the permanent limit instead"),
        ]
        for values, message in cases:
            with self.subTest(values=values), self.assertRaisesRegex(ValidationError, message):
                with self.env.cr.savepoint():
                    self._grant(**values)
        with self.assertRaisesRegex(UserError, "reason"):
            self.customer.with_user(self.controller)._credit_hold_grant_temp_limit(2000.0, date(2026, 3, 9), " ")
        no_limit = self.env["res.partner"].create({"name": "No Limit", "is_company": True})
        with self.assertRaisesRegex(ValidationError, "no Credit Limit"):
            no_limit.with_user(self.controller)._credit_hold_grant_temp_limit(2000.0, date(2026, 3, 9), "x")
        with self.assertRaisesRegex(UserError, "contact"):
            self.contact.with_user(self.controller)._credit_hold_grant_temp_limit(2000.0, date(2026, 3, 9), "x")
        self.assertFalse(self.customer.credit_temp_limit)

    @freeze_time("2026-03-01")
    def test_a_salesperson_cannot_grant(self):
        partner = self.customer.with_user(self.salesman)
        with self.assertRaises(AccessError):
            partner.write({"credit_temp_limit": 5000.0, "credit_temp_limit_end": "2026-03-09"})
        with self.assertRaises(AccessError):
            partner._credit_hold_grant_temp_limit(5000.0, date(2026, 3, 9), "please")
        with self.assertRaises(AccessError):
            partner.action_credit_temp_limit()
        with self.assertRaises(AccessError):
            self.env["credit.hold.temp.limit"].with_user(self.salesman).create(
                {"partner_id": self.customer.id, "amount": 5000.0, "end_date": "2026-03-09", "reason": "x"}
            )
        self.assertFalse(self.customer.credit_temp_limit)
        # the form shows the button to controllers only
        form = self.env["res.partner"].with_user(self.salesman).get_views([(False, "form")])["views"]["form"]
        self.assertIn("credit_temp_limit_end", form["arch"])
        self.assertNotIn("action_credit_temp_limit", form["arch"])
        form = self.env["res.partner"].with_user(self.controller).get_views([(False, "form")])["views"]["form"]
        self.assertIn("action_credit_temp_limit", form["arch"])
