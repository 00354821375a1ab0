# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import Command
from odoo.tests import tagged

from .common import CreditHoldCommon, hold_writes, query_count

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install", "is_query_count")
class TestEvaluationScale(CreditHoldCommon):
    @classmethod
    def _customers_with_invoices(cls, count, prefix):
        partners = cls.env["res.partner"].create(
            [{"name": f"{prefix} {i}", "is_company": True, "credit_limit": 1000.0} for i in range(count)]
        )
        moves = cls.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": "2026-01-01",
                    "invoice_line_ids": [Command.create({"name": "S", "price_unit": 600.0, "tax_ids": []})],
                }
                for partner in partners
            ]
        )
        moves.action_post()
        return partners

    def _count_queries(self, partners):
        self.env.invalidate_all()
        return query_count(self.env, partners.with_user(self.controller).action_evaluate_credit_hold)

    def test_query_count_independent_of_batch_size(self):
        warm = self._customers_with_invoices(1, "Warm")
        two = self._customers_with_invoices(2, "Two")
        many = self._customers_with_invoices(200, "Many")
        self._count_queries(warm)  # warm the ormcaches (defaults, company settings)
        # no change: the same reads for 2 and for 200 customers
        self.assertEqual(self._count_queries(two), self._count_queries(many))
        # every customer goes on hold with the same reason: the figures are still
        # read at once and the hold written in one ORM write; what grows with the
        # batch is only the ORM's own batching of rows (history, chatter notes)
        self.company.credit_hold_default_threshold = 50.0
        self._count_queries(warm)
        queries_two = self._count_queries(two)
        queries_many = self._count_queries(many)
        _logger.info("evaluation putting customers on hold: %s queries for 2, %s for 200", queries_two, queries_many)
        self.assertLess(queries_many, queries_two + 40)
        self.assertTrue(all(many.mapped("on_hold")))
        # a run right after a run writes nothing and reads the same as for 2
        self.assertEqual(self._count_queries(many), self._count_queries(two))

    def test_no_change_run_writes_nothing(self):
        partners = self._customers_with_invoices(5, "Stable")
        self.company.credit_hold_default_threshold = 50.0
        evaluate = partners.with_user(self.controller).action_evaluate_credit_hold
        evaluate()
        with hold_writes(self.env) as written:
            evaluate()
        self.assertEqual(written, [])
        # the same helper does see the writes of a run that changes something
        self.company.credit_hold_default_threshold = 200.0
        with hold_writes(self.env) as written:
            evaluate()
        self.assertEqual(sorted(set(written)), partners.ids)


@tagged("post_install", "-at_install", "is_query_count")
class TestConfirmationCheckCost(CreditHoldCommon):
    """The check at confirmation costs the same whatever the customer's history."""

    def _customer_with_history(self, name, invoice_count):
        partner = self.env["res.partner"].create({"name": name, "is_company": True, "credit_limit": 10**9})
        moves = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": "2026-01-01",
                    "invoice_line_ids": [Command.create({"name": "S", "price_unit": 10.0, "tax_ids": []})],
                }
                for _i in range(invoice_count)
            ]
        )
        moves.action_post()
        return partner

    def _count(self, func):
        self.env.invalidate_all()
        return query_count(self.env, func)

    def test_check_cost_independent_of_history(self):
        small = self._customer_with_history("One invoice", 1)
        large = self._customer_with_history("Two hundred invoices", 200)
        warm, order_small, order_large = (
            self._order(small, 50.0),
            self._order(small, 50.0),
            self._order(large, 50.0),
        )
        self._count(warm._credit_hold_stop_held)  # warm the ormcaches
        check_small = self._count(order_small._credit_hold_stop_held)
        check_large = self._count(order_large._credit_hold_stop_held)
        self.assertEqual(check_small, check_large)
        _logger.info("credit check at confirmation: %s queries (1 or 200 invoices)", check_small)
        # the lock, the customer's settings, receivables, orders not invoiced,
        # the order's own online payments and the customer's warnings (what a
        # request reads anew)
        order_large.invalidate_recordset(["transaction_ids"])
        large.invalidate_recordset()
        with self.assertQueryCount(7):
            order_large._credit_hold_stop_held()
        # the whole confirmation too (after one to warm Odoo's own caches)
        self._count(warm.with_user(self.salesman).action_confirm)
        confirm_small = self._count(order_small.with_user(self.salesman).action_confirm)
        confirm_large = self._count(order_large.with_user(self.salesman).action_confirm)
        self.assertEqual(confirm_small, confirm_large)
        self.assertEqual((order_small | order_large).mapped("state"), ["sale", "sale"])
