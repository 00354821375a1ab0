# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.addons.credit_hold.models.res_partner import ResPartner
from odoo.tests import tagged

from .common import CreditHoldCommon, hold_writes


@tagged("post_install", "-at_install")
class TestCron(CreditHoldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # four overdue customers, created with credit hold off so that nothing is decided yet
        cls.company.credit_hold_enabled = False
        with freeze_time("2026-01-01"):
            cls.late = cls.env["res.partner"].create([{"name": f"Late {i}", "is_company": True} for i in range(4)])
            moves = cls.env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": "2026-01-01",
                        "invoice_date_due": "2026-01-10",
                        "invoice_line_ids": [Command.create({"name": "S", "price_unit": 100.0, "tax_ids": []})],
                    }
                    for partner in cls.late
                ]
            )
            moves.action_post()
        cls.company.credit_hold_enabled = True

    def _run_cron(self, batch_size=5000):
        calls = 0
        while True:
            calls += 1
            if not self.env["res.partner"]._cron_evaluate_credit_hold(batch_size=batch_size):
                return calls

    def _history(self, partners=None):
        return self.env["credit.hold.history"].search([("partner_id", "in", (partners or self.late).ids)])

    @freeze_time("2026-02-01")
    def test_overdue_customers_put_on_hold_by_the_nightly_run(self):
        self.assertFalse(any(self.late.mapped("on_hold")))
        self._run_cron()
        self.assertTrue(all(self.late.mapped("on_hold")))
        self.assertEqual(set(self.late.mapped("credit_hold_reason_codes")), {"overdue"})
        self.assertEqual(set(self.late.mapped("credit_hold_reason")), {"Overdue invoices"})
        # each change is in the credit history, none in the chatter (no tracking, no note)
        history = self._history()
        self.assertEqual(len(history), 4)
        self.assertEqual(set(history.mapped("origin")), {"nightly"})
        self.assertEqual(set(history.mapped("reason_codes")), {"overdue"})
        for partner in self.late:
            self.assertFalse(partner.message_ids.filtered(lambda m: "credit hold" in (m.body or "").lower()))
            self.assertFalse(partner.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "on_hold"))

    @freeze_time("2026-02-01")
    def test_only_enabled_companies(self):
        company_2 = self.setup_other_company(name="Company Off")["company"]
        partner = self.env["res.partner"].create({"name": "B customer", "is_company": True})
        self._invoice(partner, 100.0, due="2026-01-02", company=company_2)
        self.assertFalse(company_2.credit_hold_enabled)
        self._run_cron()
        self.assertFalse(partner.with_company(company_2).on_hold)
        self.assertTrue(all(self.late.mapped("on_hold")))  # the enabled company was evaluated

    @freeze_time("2026-02-01")
    def test_batches_and_resume_after_a_failure(self):
        # batch 1 (2 customers) goes through and is kept ...
        remaining = self.env["res.partner"]._cron_evaluate_credit_hold(batch_size=2)
        self.assertEqual(remaining, 2)
        self.assertEqual(self.late.mapped("on_hold"), [True, True, False, False])
        # ... batch 2 crashes mid-run: the cron runner rolls back that call only
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            with patch.object(ResPartner, "_credit_hold_on_transition", side_effect=RuntimeError("boom")):
                self.env["res.partner"]._cron_evaluate_credit_hold(batch_size=2)
        self.env.invalidate_all()
        self.assertEqual(self.late.mapped("on_hold"), [True, True, False, False])
        self.assertEqual(self.env["credit.hold.queue"].search_count([]), 2)
        # the next run continues where the pass stopped and completes it
        self.assertEqual(self._run_cron(batch_size=2), 1)
        self.assertTrue(all(self.late.mapped("on_hold")))
        self.assertFalse(self.env["credit.hold.queue"].search_count([]))

    def test_a_pass_left_over_from_an_earlier_day_is_gathered_again(self):
        # a pass cut short on 5 January, when nothing was due yet ...
        with freeze_time("2026-01-05"):
            self.assertEqual(self.env["res.partner"]._cron_evaluate_credit_hold(batch_size=2), 2)
        self.assertFalse(any(self.late.mapped("on_hold")))
        # ... is not finished a month later with its stale figures: all are gathered again
        with freeze_time("2026-02-01"):
            self._run_cron(batch_size=2)
        self.assertTrue(all(self.late.mapped("on_hold")))

    @freeze_time("2026-02-01")
    def test_a_run_right_after_a_run_writes_nothing(self):
        with hold_writes(self.env) as written:
            self._run_cron()
        self.assertEqual(sorted(set(written) & set(self.late.ids)), self.late.ids)
        with hold_writes(self.env) as written:
            self._run_cron()
        self.assertEqual(written, [])
        self.assertEqual(len(self._history()), 4)

    @freeze_time("2026-02-01")
    def test_holds_are_written_by_the_orm_in_one_write_per_group(self):
        self.company.credit_hold_enabled = False
        self.late[:2].write({"credit_limit": 50.0})  # over limit and overdue: another group
        self.company.credit_hold_enabled = True
        partner_class = type(self.env["res.partner"])
        with patch.object(partner_class, "write", autospec=True, side_effect=partner_class.write) as write:
            self._run_cron()
        hold_calls = [call for call in write.call_args_list if "on_hold" in call.args[1]]
        self.assertEqual(len(hold_calls), 2)
        self.assertEqual(
            sorted((len(call.args[0]), call.args[1]["credit_hold_reason_codes"]) for call in hold_calls),
            [(2, "over_limit,overdue"), (2, "overdue")],
        )

    @freeze_time("2026-02-01")
    def test_transitions_release_held_documents_exactly_once(self):
        customer = self.late[0]
        self._run_cron()
        order = self._order(customer, 50.0)
        order.action_confirm()
        self.assertEqual(order.credit_status, "held")
        # 30 grace days: nothing is overdue any more, which only the nightly run sees
        self.company.credit_hold_grace_days = 30
        sale_order_class = type(self.env["sale.order"])
        original = sale_order_class._credit_hold_retry
        with patch.object(
            sale_order_class,
            "_credit_hold_retry",
            autospec=True,
            side_effect=lambda docs, **kwargs: original(docs, **kwargs),
        ) as retry:
            self._run_cron()
            self._run_cron()
        self.assertEqual(retry.call_count, 1)
        self.assertFalse(customer.on_hold)
        self.assertEqual(order.state, "sale")

    @freeze_time("2026-02-01")
    def test_transitions_notify_exactly_once(self):
        treasurer = self.env["res.partner"].create({"name": "Treasurer", "email": "treasurer@company.example.com"})
        self.company.credit_hold_notify_partner_ids = treasurer
        mails = self.env["mail.mail"].search_count([("recipient_ids", "in", treasurer.ids)])
        self._run_cron()
        self._run_cron()
        self.assertEqual(self.env["mail.mail"].search_count([("recipient_ids", "in", treasurer.ids)]) - mails, 4)

    @freeze_time("2026-02-01")
    def test_customer_deleted_during_the_pass(self):
        gone = self.env["res.partner"].create({"name": "Gone Co", "is_company": True})
        gone.with_user(self.controller).action_credit_hold_enforce_on()
        self.assertTrue(self.env["res.partner"]._cron_evaluate_credit_hold(batch_size=2))
        gone.unlink()  # queued, then deleted before its batch
        self.assertLessEqual(self._run_cron(batch_size=2), 3)  # the pass still completes
        self.assertTrue(all(self.late.mapped("on_hold")))
        self.assertFalse(self.env["credit.hold.queue"].search_count([]))

    @freeze_time("2026-02-01")
    def test_a_payment_during_the_pass_is_not_undone_by_it(self):
        self.env["res.partner"]._cron_evaluate_credit_hold(batch_size=2)
        # the last customer pays before its batch: evaluated at once, and out of the queue
        invoice = self.env["account.move"].search([("partner_id", "=", self.late[3].id)])
        self._register_payment(invoice)
        self.assertFalse(self.late[3].on_hold)
        self._run_cron(batch_size=2)
        self.assertFalse(self.late[3].on_hold)
        self.assertTrue(self.late[2].on_hold)

    @freeze_time("2026-02-01")
    def test_no_change_in_french_writes_nothing(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self._run_cron()
        with hold_writes(self.env) as written:
            self.env["res.partner"].with_context(lang="fr_FR")._cron_evaluate_credit_hold()
            self.late.with_context(lang="fr_FR").with_user(self.controller).action_evaluate_credit_hold()
        self.assertEqual(written, [])
        # the codes are the same whatever the language; the words follow the reader
        self.assertEqual(set(self.late.with_context(lang="fr_FR").mapped("credit_hold_reason_codes")), {"overdue"})
