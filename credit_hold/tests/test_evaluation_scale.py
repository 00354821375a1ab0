# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import Command
from odoo.addons.credit_hold.models.res_partner import STATE_FIELDS
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
    """The check at confirmation costs the same whatever the customer's
    history: 1 invoice against 2,000 invoices and 2,000 lines of orders not
    yet invoiced (more than the ORM reads in one fetch, 1,000: a check that
    loaded them would cost more queries)."""

    HISTORY = 2000

    def _customer_with_history(self, name, invoice_count, order_lines=0):
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
        if order_lines:
            order = self.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create({"product_id": self.service.id, "product_uom_qty": 1, "price_unit": 1.0})
                        for _i in range(order_lines)
                    ],
                }
            )
            order.action_confirm()
            self.assertEqual(order.state, "sale")
        return partner

    def _count(self, func):
        self.env.invalidate_all()
        return query_count(self.env, func)

    def test_check_cost_independent_of_history(self):
        # Odoo's registry caches start empty (another test may have left a live
        # payment provider in them): what a worker has after its first check
        self.env.registry.clear_cache()
        small = self._customer_with_history("One invoice", 1)
        large = self._customer_with_history("Two thousand invoices", self.HISTORY, order_lines=self.HISTORY)
        self.assertEqual(len(large.invoice_ids), self.HISTORY)
        warm, order_small, order_large = (
            self._order(small, 50.0),
            self._order(small, 50.0),
            self._order(large, 50.0),
        )
        self._count(warm._credit_hold_stop_held)  # warm the ormcaches
        check_small = self._count(order_small._credit_hold_stop_held)
        check_large = self._count(order_large._credit_hold_stop_held)
        self.assertEqual(check_small, check_large)
        _logger.info("credit check at confirmation: %s queries (1 or %s invoices)", check_small, self.HISTORY)
        # what the check reads that a confirmation without it does not: the
        # customer's settings (with its controller and, on 18.0, its Blocking
        # Message), then its lock, receivables and orders not invoiced in one
        # statement. No payment provider is live: the order's online payments
        # are not read. (The customer's fields are invalidated by name: a whole
        # record's invalidation also drops the orders' partner_id, an inverse.)
        order_large.invalidate_recordset(["transaction_ids"])
        read = [*STATE_FIELDS, "credit_controller_id", "parent_id", "sale_warn", "sale_warn_msg"]
        large.invalidate_recordset([name for name in read if name in large._fields])
        with self.assertQueryCount(2):
            held, results = order_large._credit_hold_stop_held()
        self.assertFalse(held)
        figures = results[self.company][large.id][0]
        self.assertEqual(figures.total_balance, 10.0 * self.HISTORY)
        self.assertEqual(figures.uninvoiced, 1.0 * self.HISTORY)
        # the whole confirmation too (after one to warm Odoo's own caches)
        self._count(warm.with_user(self.salesman).action_confirm)
        confirm_small = self._count(order_small.with_user(self.salesman).action_confirm)
        confirm_large = self._count(order_large.with_user(self.salesman).action_confirm)
        self.assertEqual(confirm_small, confirm_large)
        self.assertEqual((order_small | order_large).mapped("state"), ["sale", "sale"])

    def test_online_payments_read_only_when_a_provider_is_live(self):
        """R18 needs the order's transactions only when a payment provider is
        live: Odoo's registry cache says whether one is, and creating or
        enabling one clears it (in every worker)."""
        self.env.registry.clear_cache()
        order = self._order(self.customer, 50.0)
        self._count(order._credit_hold_stop_held)  # warm
        order.invalidate_recordset(["transaction_ids"])
        without = self._count(order._credit_hold_stop_held)
        self.env["payment.provider"].create(
            {"name": "Live", "code": "none", "state": "enabled", "company_id": self.company.id}
        )
        self._count(order._credit_hold_stop_held)  # the cache filled again
        order.invalidate_recordset(["transaction_ids"])
        self.assertEqual(self._count(order._credit_hold_stop_held), without + 1)
