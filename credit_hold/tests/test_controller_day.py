# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A credit controller's day in a real browser (tours in
static/tests/tours/credit_hold_controller_tours.js)."""

from odoo.tests import HttpCase, new_test_user, tagged

from .common import CreditHoldCommon
from .test_release_authority import CONTROLLER_GROUPS


@tagged("post_install", "-at_install", "is_tour")
class TestControllerDay(CreditHoldCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.controller.password = "ch_controller"  # noqa: S105 - a test user's
        cls.tour_customer = cls.env["res.partner"].create(
            {"name": "Tour Customer", "is_company": True, "credit_limit": 1000.0}
        )

    def test_held_list_row_opens_the_document(self):
        order = self._order(self.tour_customer, 1500.0, confirm=True)
        self.assertEqual(order.credit_status, "held")
        self.start_tour(
            "/odoo/action-credit_hold.credit_hold_document_action",
            "credit_hold_held_list_opens_document",
            login="ch_controller",
        )

    def test_temporary_limit_granted_on_hold_and_ended_early(self):
        self._invoice(self.tour_customer, 1500.0)
        self.assertTrue(self.tour_customer.on_hold)
        self.start_tour(
            f"/odoo/res.partner/{self.tour_customer.id}", "credit_hold_temp_limit_on_hold", login="ch_controller"
        )
        self.assertFalse(self.tour_customer.credit_temp_limit)
        self.assertTrue(self.tour_customer.on_hold)
        history = self.env["credit.limit.history"].search([("partner_id", "=", self.tour_customer.id)])
        self.assertIn("credit_temp_limit", history.mapped("field_name"))

    def test_escalation_reaches_the_credit_manager(self):
        self.company.credit_hold_release_authority = True
        self.controller.with_company(self.company).credit_release_limit = 1000.0
        manager = new_test_user(
            self.env,
            login="ch_tour_manager",
            name="Tour Manager",
            groups=CONTROLLER_GROUPS + ",credit_hold.group_credit_manager",
            company_id=self.company.id,
        )
        manager.with_company(self.company).credit_release_unlimited = True
        order = self._order(self.tour_customer, 5000.0, confirm=True)
        self.start_tour(f"/odoo/sale.order/{order.id}", "credit_hold_escalate_to_manager", login="ch_controller")
        self.assertEqual(order.activity_ids.user_id, manager)
        self.assertEqual(order.credit_status, "held")
