# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""R16 on a real server: two orders of one customer confirmed at the same
moment, from two real database connections, cannot both pass the limit."""

import threading
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, get_db_name, tagged


@tagged("post_install", "-at_install")
class TestConcurrentConfirmation(BaseCase):
    """Not a TransactionCase: the fixtures must be committed so that the two
    connections see them; they are removed afterwards."""

    def _committed(self, func):
        """Run ``func(env)`` in its own committed transaction and return its result."""
        with db_connect(self.dbname).cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            result = func(env)
            cr.commit()  # pylint: disable=invalid-commit
            return result

    def setUp(self):
        super().setUp()
        self.dbname = get_db_name()
        # the test runner holds the class-level registry lock while tests run;
        # the threads need the registry too (HttpCase does the same)
        lock_patch = patch.object(Registry, "_lock", threading.RLock())
        lock_patch.start()
        self.addCleanup(lock_patch.stop)
        self.fixture = self._committed(self._create_fixture)
        self.addCleanup(self._committed, self._remove_fixture)

    def _create_fixture(self, env):
        company = env.ref("base.main_company")
        saved = company.read(["credit_hold_enabled", "credit_hold_prevent_orders", "credit_hold_limit_basis"])[0]
        company.write(
            {"credit_hold_enabled": True, "credit_hold_prevent_orders": True, "credit_hold_limit_basis": "balance"}
        )
        partner = (
            env["res.partner"]
            .with_company(company)
            .create({"name": "Concurrent Customer", "is_company": True, "credit_limit": 1000.0})
        )
        # a service: storable products would serialize on stock quants and hide the race
        product = env["product.product"].create(
            {"name": "Concurrent service", "type": "service", "list_price": 600.0, "taxes_id": []}
        )
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1, "price_unit": 600.0})],
                }
                for _i in range(2)
            ]
        )
        return {"company": saved, "partner": partner.id, "product": product.id, "orders": orders.ids}

    def _remove_fixture(self, env):
        orders = env["sale.order"].browse(self.fixture["orders"]).exists()
        orders.with_context(disable_cancel_warning=True)._action_cancel()
        orders.unlink()
        env["product.product"].browse(self.fixture["product"]).unlink()
        env["res.partner"].browse(self.fixture["partner"]).unlink()
        saved = dict(self.fixture["company"])
        saved.pop("id")
        env.ref("base.main_company").write(saved)

    def _confirm_in_thread(self, order_id, barrier, errors):
        try:
            with db_connect(self.dbname).cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                cr.execute("SELECT 1")  # take the REPEATABLE READ snapshot now
                barrier.wait(timeout=30)
                # what an RPC call or a web request does: retried on serialization failure
                retrying(lambda: env["sale.order"].browse(order_id).action_confirm(), env)
                cr.commit()  # pylint: disable=invalid-commit
        except Exception as exc:
            errors.append(exc)

    def test_two_orders_at_the_same_moment(self):
        barrier = threading.Barrier(2)
        errors = []
        threads = [
            threading.Thread(target=self._confirm_in_thread, args=(order_id, barrier, errors))
            for order_id in self.fixture["orders"]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(any(thread.is_alive() for thread in threads), "a confirmation hung")
        self.assertEqual(errors, [])

        def read(env):
            orders = env["sale.order"].browse(self.fixture["orders"])
            return sorted(orders.mapped(lambda o: (o.state, o.credit_status)))

        # 600 + 600 >= 1,000: exactly one confirmed, the other held
        self.assertEqual(self._committed(read), [("draft", "held"), ("sale", "none")])
