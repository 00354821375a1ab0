# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.addons.credit_hold.models.res_partner import CRON_LOCK_KEY, EVALUATION_STATE_PARAM, ResPartner
from odoo.sql_db import db_connect
from odoo.tests import get_db_name, tagged

from .common import CreditHoldCommon, executed_sql, writes_to


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

    def _updates(self, func):
        return writes_to("res_partner", executed_sql(self.env, func))

    @freeze_time("2026-02-01")
    def test_overdue_customers_put_on_hold_by_the_nightly_run(self):
        self.assertFalse(any(self.late.mapped("on_hold")))
        self._run_cron()
        self.assertTrue(all(self.late.mapped("on_hold")))
        self.assertEqual(set(self.late.mapped("credit_hold_reason")), {"Overdue invoices"})

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
        self.assertTrue(remaining)
        self.assertEqual(self.late.mapped("on_hold"), [True, True, False, False])
        state = self.env["ir.config_parameter"].get_param(EVALUATION_STATE_PARAM)
        # ... batch 2 crashes mid-run: the cron runner rolls back that call only
        with self.assertRaises(RuntimeError), self.env.cr.savepoint():
            with patch.object(ResPartner, "_credit_hold_on_transition", side_effect=RuntimeError("boom")):
                self.env["res.partner"]._cron_evaluate_credit_hold(batch_size=2)
        self.env.invalidate_all()
        self.assertEqual(self.late.mapped("on_hold"), [True, True, False, False])
        self.assertEqual(self.env["ir.config_parameter"].get_param(EVALUATION_STATE_PARAM), state)
        # the next run continues where the pass stopped and completes it
        self._run_cron(batch_size=2)
        self.assertTrue(all(self.late.mapped("on_hold")))
        self.assertFalse(self.env["ir.config_parameter"].get_param(EVALUATION_STATE_PARAM))

    @freeze_time("2026-02-01")
    def test_a_run_right_after_a_run_writes_nothing(self):
        self.assertTrue(self._updates(self._run_cron))
        self.assertEqual(self._updates(self._run_cron), [])

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
            sale_order_class, "_credit_hold_retry", autospec=True, side_effect=lambda docs: original(docs)
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
        for partner in self.late:
            logged = partner.message_ids.filtered(lambda m: "Put on credit hold" in (m.body or ""))
            self.assertEqual(len(logged), 1)
            self.assertIn("Overdue invoices", logged.body)

    def test_nothing_listens_by_default(self):
        # res.users mirrors on_hold (not stored): not a reason for the ORM write
        self.assertTrue(self.env["res.partner"]._credit_hold_dependents())
        self.assertFalse(self.env["res.partner"]._credit_hold_write_listeners())

    @freeze_time("2026-02-01")
    def test_one_update_stores_what_the_orm_stores(self):
        def stored():
            self.env.flush_all()
            self.env.cr.execute(
                "SELECT on_hold, credit_hold_reason FROM res_partner WHERE id = ANY(%s) ORDER BY id", [self.late.ids]
            )
            return self.env.cr.fetchall()

        with patch.object(ResPartner, "_credit_hold_write_listeners", return_value=True):
            self._run_cron()  # through the ORM
        through_orm = stored()
        self.assertTrue(all(self.late.mapped("on_hold")))
        self.late.sudo().write({"on_hold": False, "credit_hold_reason": False})
        original_write = ResPartner.write
        with patch.object(ResPartner, "write", autospec=True, side_effect=original_write) as write:
            self._run_cron()  # nothing listens: one UPDATE, no ORM write of the hold
        self.assertFalse([call for call in write.call_args_list if "on_hold" in call.args[1]])
        self.assertEqual(stored(), through_orm)
        self.env.invalidate_all()
        self.assertTrue(all(self.late.mapped("on_hold")))
        # and taking the hold off stores the same as the ORM too
        self.company.credit_hold_grace_days = 100
        self._run_cron()
        off_fast = stored()
        self.assertFalse(any(self.late.mapped("on_hold")))
        self.late.sudo().write({"on_hold": True, "credit_hold_reason": "x"})
        with patch.object(ResPartner, "_credit_hold_write_listeners", return_value=True):
            self._run_cron()
        self.assertEqual(off_fast, stored())

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
    def test_concurrent_run_is_skipped(self):
        # another worker holds the pass lock (a real second connection)
        with db_connect(get_db_name()).cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s)", [CRON_LOCK_KEY])
            self.assertEqual(self.env["res.partner"]._cron_evaluate_credit_hold(), 0)
            self.assertFalse(any(self.late.mapped("on_hold")))
            other.rollback()
        # once it is done, the pass runs
        self._run_cron()
        self.assertTrue(all(self.late.mapped("on_hold")))
