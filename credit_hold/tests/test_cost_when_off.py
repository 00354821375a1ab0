# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import ExitStack
from unittest.mock import patch

from odoo.addons.credit_hold.models.account_move import AccountMove
from odoo.addons.credit_hold.models.credit_hold_mixin import CreditHoldMixin
from odoo.addons.credit_hold.models.sale_order_line import SaleOrderLine
from odoo.api import Environment
from odoo.tests import tagged

from .common import CreditHoldCommon, query_count


def without_addon(*overrides):
    """Patch the addon's overrides of these methods into plain calls of the
    rest of their chain: the same operation without those overrides (the
    addon's other overrides and computes stay in the chain)."""
    stack = ExitStack()
    for cls, name in overrides:

        def passthrough(records, *args, _cls=cls, _name=name, **kwargs):
            return getattr(super(_cls, records), _name)(*args, **kwargs)

        stack.enter_context(patch.object(cls, name, passthrough))
    return stack


@tagged("post_install", "-at_install", "is_query_count")
class TestNothingSpentWhenOff(CreditHoldCommon):
    """With a company's credit hold switched off, the credit decision costs
    no query: posting an invoice costs exactly what it costs with the addon's
    posting entry points and ``write`` taken out of the chain, and saving an
    order line what it costs without the addon's ``write`` of the line
    (measured in the same test). The baseline is not Odoo without the addon:
    its computes (the credit warning, the held list's fields) and its other
    overrides are in both measures; what they cost with credit hold off is
    what ``make loadtest`` measures (its OFF phases, against ON)."""

    def setUp(self):
        super().setUp()
        self.company.credit_hold_enabled = False

    def _draft_invoice(self):
        return self._invoice(self.customer, 100.0, post=False)

    def test_posting_costs_no_query_for_the_decision(self):
        def post(invoice):
            self.env.invalidate_all()
            return query_count(self.env, invoice.action_post)

        # warm Odoo's caches (sequences, accounts) both ways
        post(self._draft_invoice())
        # the decision runs in the registry class's _post (the top of the chain)
        overrides = (
            (type(self.env["account.move"]), "_post"),
            (AccountMove, "action_post"),
            (CreditHoldMixin, "write"),
        )
        with without_addon(*overrides):
            post(self._draft_invoice())
        counts = {}
        for label in ("addon", "baseline", "addon again", "baseline again"):
            invoice = self._draft_invoice()
            if label.startswith("baseline"):
                with without_addon(*overrides):
                    counts[label] = post(invoice)
            else:
                counts[label] = post(invoice)
            self.assertEqual(invoice.state, "posted")
        self.assertEqual(counts["addon again"], counts["baseline again"], counts)
        self.assertEqual(counts["addon"], counts["baseline"], counts)

    def test_saving_an_order_line_costs_no_query_for_the_check(self):
        order = self._order(self.customer, 100.0, confirm=True)
        line = order.order_line
        line.write({"price_unit": 101.0})  # warm
        self.env.invalidate_all()
        with without_addon((SaleOrderLine, "write")):
            baseline = query_count(self.env, lambda: line.write({"price_unit": 102.0}))
        self.env.invalidate_all()
        with_addon = query_count(self.env, lambda: line.write({"price_unit": 103.0}))
        self.assertEqual(with_addon, baseline)

    def test_no_flush_all_when_saving_an_order_line(self):
        order = self._order(self.customer, 100.0, confirm=True)
        for enabled in (False, True):
            self.company.credit_hold_enabled = enabled
            with patch.object(Environment, "flush_all", autospec=True, side_effect=Environment.flush_all) as flush:
                order.order_line.write({"price_unit": 90.0 + enabled})
            self.assertEqual(flush.call_count, 0, f"flush_all called with credit hold {enabled}")
