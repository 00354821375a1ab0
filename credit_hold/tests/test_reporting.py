# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.addons.credit_hold.compat import formatted_read_group
from odoo.tests import new_test_user, tagged

from .common import CreditHoldCommon


@tagged("post_install", "-at_install")
class TestReporting(CreditHoldCommon):
    """The held-documents analysis: amounts, counts and time on hold by
    reason, customer, salesperson, week and who released."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_hold_auto_release = True
        cls.other = cls.env["res.partner"].create({"name": "Other Co", "is_company": True, "credit_limit": 1000.0})
        with freeze_time("2026-03-02 09:00:00"):
            cls.released = cls._order(cls.customer, 1500.0, confirm=True)
            cls.cancelled = cls._order(cls.customer, 1200.0, confirm=True)
            cls.carried = cls._order(cls.other, 1100.0, confirm=True)
            cls.held = cls._order(cls.other, 2500.0, confirm=True)
        with freeze_time("2026-03-04 09:00:00"):  # two days later
            cls.released.with_user(cls.controller).credit_release("Paid by wire")
        with freeze_time("2026-03-05 21:00:00"):  # three and a half days later
            cls.cancelled.with_user(cls.controller).action_credit_cancel_check()
        with freeze_time("2026-03-06 09:00:00"):  # four days later: the limit is raised
            cls.other.credit_limit = 2000.0

    def _rows(self, domain=None):
        """What the analysis shows: also the documents whose hold ended."""
        model = self.env["credit.hold.document"].with_user(self.controller).with_context(active_test=False)
        return model.search(domain or [])

    def test_ended_holds_are_kept_with_their_time_on_hold(self):
        self.assertEqual(
            (
                self.released.credit_status,
                self.cancelled.credit_status,
                self.carried.credit_status,
                self.held.credit_status,
            ),
            ("released", "none", "none", "held"),
        )
        self.assertEqual(self.carried.state, "sale")
        rows = {row.res_id: row for row in self._rows([("res_model", "=", "sale.order")])}
        expected = {
            self.released: ("released", 2.0),
            self.cancelled: ("cancelled", 3.5),
            self.carried: ("carried", 4.0),
            self.held: (False, 0.0),
        }
        for order, (outcome, days) in expected.items():
            row = rows[order.id]
            self.assertEqual((row.credit_hold_outcome, row.credit_hold_days), (outcome, days), order.name)
            self.assertTrue(row.credit_held_date)  # when the hold began, even once it ended
        self.assertEqual(rows[self.released.id].credit_released_uid, self.controller)

    def test_the_held_list_is_as_before(self):
        held = self._rows([("credit_status", "=", "held")])
        self.assertEqual(held.mapped("res_id"), self.held.ids)
        # documents whose hold ended are not on the list (archived rows)
        listed = self.env["credit.hold.document"].with_user(self.controller).search([])
        self.assertEqual(sorted(listed.mapped("res_id")), sorted((self.held | self.released).ids))
        self.assertEqual(self.other.credit_held_document_count, 1)
        self.assertEqual(self.customer.credit_held_document_count, 0)

    def test_a_new_hold_starts_a_new_time(self):
        with freeze_time("2026-03-09 09:00:00"):
            self.released.with_user(self.controller).action_credit_hold()
        row = self._rows([("res_model", "=", "sale.order"), ("res_id", "=", self.released.id)])
        self.assertEqual((row.credit_status, row.credit_hold_outcome, row.credit_hold_days), ("held", False, 0.0))

    def test_graph_and_pivot_load_for_a_controller(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_hold.credit_hold_document_analysis_action")
        self.assertEqual(action["view_mode"].split(",")[0], "graph")
        self.assertIn("'active_test': False", action["context"])
        model = self.env["credit.hold.document"].with_user(self.controller).with_context(active_test=False)
        views = model.get_views([(False, "graph"), (False, "pivot"), (False, "list"), (False, "search")])
        self.assertIn("credit_hold_days", views["views"]["pivot"]["arch"])
        for groupby in (
            "reason_code",
            "partner_id",
            "user_id",
            "credit_held_date:week",
            "credit_released_uid",
            "credit_hold_outcome",
        ):
            groups = formatted_read_group(model, [], [groupby], ["amount:sum", "credit_hold_days:avg"])
            self.assertEqual(sum(group["__count"] for group in groups), 4, groupby)
        by_customer = {
            partner: (count, amount, days)
            for partner, count, amount, days in model._read_group(
                [], ["partner_id"], ["__count", "amount:sum", "credit_hold_days:avg"]
            )
        }
        self.assertEqual(by_customer[self.customer], (2, 2700.0, 2.75))
        self.assertEqual(by_customer[self.other], (2, 3600.0, 4.0))  # the held one has no time yet
        # average time on hold by who released
        by_releaser = dict(model._read_group([], ["credit_released_uid"], ["credit_hold_days:avg"]))
        self.assertEqual(by_releaser[self.controller], 2.0)

    def test_the_analysis_menu_is_for_credit_managers(self):
        manager = new_test_user(
            self.env,
            login="ch_report_manager",
            groups="base.group_user,sales_team.group_sale_salesman,credit_hold.group_credit_manager",
            company_id=self.company.id,
        )
        menu = self.env.ref("credit_hold.credit_hold_document_analysis_menu")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(manager)._visible_menu_ids())
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.controller)._visible_menu_ids())

    def test_customers_on_hold_graph(self):
        self._invoice(self.customer, 1000.0)
        partners = self.env["res.partner"].with_user(self.controller)
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_hold.res_partner_credit_hold_action")
        self.assertIn("graph", action["view_mode"])
        graph = next(view_id for view_id, mode in action["views"] if mode == "graph")
        arch = partners.get_views([(graph, "graph")])["views"]["graph"]["arch"]
        # grouped by the main reason, a selection (words, not the stored codes)
        self.assertIn("credit_hold_main_reason", arch)
        groups = partners._read_group(
            [("on_hold", "=", True), ("id", "in", (self.customer | self.other).ids)],
            ["credit_hold_main_reason", "on_hold_type"],
            ["__count"],
        )
        self.assertEqual(groups, [("over_limit", "automatic", 1)])
