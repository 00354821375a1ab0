# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The second security review (issue "Authority that holds"): each way
around a hold, tried as the user who found it, over the ORM as RPC calls it."""

from odoo import Command, fields
from odoo.addons.credit_hold.compat import group_users
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditHoldCommon
from .test_release_authority import CONTROLLER_GROUPS

FORGED = {
    "default_credit_status": "released",
    "default_credit_released_amount": 10**9,
    "default_credit_release_reason": "forged",
}


@tagged("post_install", "-at_install")
class TestSecondReview(CreditHoldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.small = new_test_user(
            cls.env,
            login="ch_controller_1000",
            groups=CONTROLLER_GROUPS,
            company_id=cls.company.id,
        )
        cls.small.with_company(cls.company).credit_release_limit = 1000.0
        cls.company.credit_hold_prevent_invoices = True
        cls.tiny = cls.env["res.partner"].create({"name": "Tiny Limit", "is_company": True, "credit_limit": 50.0})

    def _authority_on(self):
        self.company.credit_hold_release_authority = True

    # 0. forged with context defaults ------------------------------------

    def test_salesperson_cannot_forge_a_release_with_context_defaults(self):
        orders = self.env["sale.order"].with_user(self.salesman)
        ctx = {**FORGED, "default_credit_released_partner_id": self.tiny.id}
        with self.assertRaises(AccessError):
            orders.with_context(**ctx).create(
                {
                    "partner_id": self.tiny.id,
                    "order_line": [Command.create({"product_id": self.service.id, "price_unit": 5000.0})],
                }
            )

    def test_billing_user_cannot_forge_a_release_with_context_defaults(self):
        moves = self.env["account.move"].with_user(self.billing)
        ctx = {**FORGED, "default_credit_released_partner_id": self.tiny.id}
        with self.assertRaises(AccessError):
            moves.with_context(**ctx).create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.tiny.id,
                    "invoice_line_ids": [Command.create({"name": "x", "price_unit": 5000.0, "tax_ids": []})],
                }
            )

    def test_ir_default_cannot_release_either(self):
        self.env["ir.default"].set("sale.order", "credit_status", "released")
        with self.assertRaises(AccessError):
            self._order(self.tiny, 5000.0)

    def test_copy_with_forged_values_is_refused(self):
        order = self._order(self.tiny, 5000.0)
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).copy({"credit_status": "released", "credit_released_amount": 10**9})

    def test_controller_cannot_write_the_status_either(self):
        order = self._order(self.tiny, 5000.0, confirm=True)
        self.assertEqual(order.credit_status, "held")
        with self.assertRaises(AccessError):
            order.with_user(self.controller).write(
                {
                    "credit_status": "released",
                    "credit_released_amount": 10**9,
                    "credit_released_partner_id": self.tiny.id,
                }
            )

    # 1. confirm by writing the state -------------------------------------

    def test_controller_beyond_authority_cannot_confirm_by_writing_the_state(self):
        self._authority_on()
        order = self._order(self.customer, 50000.0, confirm=True)
        self.assertEqual(order.credit_status, "held")
        with self.assertRaises(UserError):
            order.with_user(self.small).write({"state": "sale"})
        self.assertEqual(order.state, "draft")

    # 2. lift the customer instead of releasing ------------------------------

    def test_controller_cannot_lift_the_customer_beyond_authority(self):
        self._authority_on()
        order = self._order(self.customer, 50000.0, confirm=True)
        self.assertEqual(order.credit_status, "held")
        as_small = self.customer.with_user(self.small)
        in_a_month = fields.Date.add(fields.Date.today(), days=30)
        for lift in (
            lambda: as_small.write({"credit_limit": 0.0}),
            lambda: as_small.write({"credit_limit": 10_000_000.0}),
            lambda: as_small.action_credit_hold_enforce_off(),
            lambda: as_small._credit_hold_grant_temp_limit(10_000_000.0, in_a_month, "Big season"),
        ):
            with self.assertRaises(UserError):
                lift()
        self.assertEqual(order.state, "draft")
        self.assertEqual(self.customer.credit_limit, 1000.0)
        # lowering, and raising within the release limit of 1,000, are allowed
        as_small.write({"credit_limit": 800.0})
        as_small.write({"credit_limit": 1000.0})
        self.assertEqual(self.customer.credit_limit, 1000.0)

    def test_a_manager_may_lift_the_customer(self):
        self._authority_on()
        manager = new_test_user(
            self.env,
            login="ch_credit_manager",
            groups=CONTROLLER_GROUPS + ",credit_hold.group_credit_manager",
            company_id=self.company.id,
        )
        order = self._order(self.customer, 50000.0, confirm=True)
        self.customer.with_user(manager).write({"credit_limit": 100000.0})
        self.assertEqual(order.state, "sale")

    def test_a_temporary_limit_ends_within_the_company_cap(self):
        too_late = fields.Date.add(fields.Date.today(), days=3650)
        with self.assertRaisesRegex(ValidationError, "at most 90 days"):
            self.customer.with_user(self.controller)._credit_hold_grant_temp_limit(5000.0, too_late, "Ten years")
        self.company.credit_temp_limit_max_days = 4000
        self.customer.with_user(self.controller)._credit_hold_grant_temp_limit(5000.0, too_late, "Ten years")
        self.assertEqual(self.customer.credit_temp_limit, 5000.0)

    # 3. release small, then raise ---------------------------------------

    def test_controller_raising_beyond_authority_is_refused(self):
        self._authority_on()
        order = self._order(self.customer, 400.0, confirm=True)
        self.assertEqual(order.state, "sale")
        with self.assertRaises(UserError):
            order.with_user(self.small).write(
                {"order_line": [Command.create({"product_id": self.service.id, "price_unit": 90000.0})]}
            )
        self.assertEqual(order.amount_total, 400.0)

    def test_without_release_authority_a_controller_may_raise(self):
        order = self._order(self.customer, 400.0, confirm=True)
        order.with_user(self.small).write(
            {"order_line": [Command.create({"product_id": self.service.id, "price_unit": 90000.0})]}
        )
        self.assertEqual(order.amount_total, 90400.0)

    # 4. an invoice's authority figure shrunk by a link --------------------

    def test_invoice_linked_to_a_small_order_line_counts_in_full(self):
        self._authority_on()
        order = self._order(self.customer, 50.0, confirm=True)
        self.assertEqual(order.state, "sale")
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        invoice = self._invoice(self.customer, 80000.0, post=False)
        invoice.invoice_line_ids.sale_line_ids = order.order_line
        invoice.action_post()
        self.assertEqual(invoice.credit_status, "held")
        # at most the 50 the order line still has to invoice is already counted
        amount = invoice._credit_hold_authority_amount()
        self.assertEqual(amount, 79950.0)
        with self.assertRaises(UserError):
            invoice.with_user(self.small).credit_release("Linked to an order")
        self.assertEqual(invoice.state, "draft")

    # 5. a credit manager sets authority without Settings rights -------------

    def test_credit_manager_sets_release_authority_without_user_rights(self):
        manager = new_test_user(
            self.env,
            login="ch_accounting_admin",
            groups="base.group_user,account.group_account_manager",
            company_id=self.company.id,
        )
        self.assertTrue(manager.has_group("credit_hold.group_credit_manager"))
        self.assertFalse(manager.has_group("base.group_erp_manager"))
        rows = self.env["credit.release.authority"].with_user(manager)
        row = rows.search([("user_id", "=", self.small.id), ("company_id", "=", self.company.id)])
        self.assertEqual(len(row), 1)
        self.assertEqual(row.credit_release_limit, 1000.0)
        row.write({"credit_release_limit": 2500.0})
        self.assertEqual(self.small.with_company(self.company).credit_release_limit, 2500.0)
        row.write({"credit_release_unlimited": True})
        self.assertTrue(self.small.with_company(self.company).credit_release_unlimited)
        # no other right on users
        with self.assertRaises(AccessError):
            self.small.with_user(manager).write({"name": "Renamed"})
        # a controller neither reads nor writes the list
        with self.assertRaises(AccessError):
            self.env["credit.release.authority"].with_user(self.small).search([])
        with self.assertRaises(AccessError):
            row.with_user(self.small).write({"credit_release_limit": 10**9})

    # 9. plain employees: no limits through the side doors ---------------------

    def test_plain_employee_reads_no_limit_history_nor_temporary_limit(self):
        plain = new_test_user(self.env, login="ch_plain_employee", groups="base.group_user", company_id=self.company.id)
        self.customer.with_user(self.controller).write({"credit_limit": 1200.0})
        self.customer.with_user(self.controller)._credit_hold_grant_temp_limit(
            2000.0, fields.Date.add(fields.Date.today(), days=10), "Internal reason"
        )
        with self.assertRaises(AccessError):
            self.env["credit.limit.history"].with_user(plain).search([])
        for name in ("credit_limit", "credit_temp_limit", "credit_temp_limit_reason", "credit_temp_limit_end"):
            with self.assertRaises(AccessError):
                self.customer.with_user(plain).read([name])
        # a salesperson still reads them
        self.assertEqual(
            self.customer.with_user(self.salesman).read(["credit_temp_limit"])[0]["credit_temp_limit"], 2000.0
        )

    # the Security table, each claim tried by the user who must be refused ----

    def test_salesperson_is_refused_every_controller_method(self):
        order = self._order(self.tiny, 5000.0, confirm=True)
        self.assertEqual(order.credit_status, "held")
        as_salesman = order.with_user(self.salesman)
        for call in (
            lambda: as_salesman.credit_escalate("Please"),
            as_salesman.action_credit_escalate,
            as_salesman.action_credit_hold,
            as_salesman.action_credit_release,
            as_salesman.action_credit_cancel_check,
            self.tiny.with_user(self.salesman).action_credit_temp_limit_end,
            self.env["credit.hold.document"].with_user(self.salesman).browse().action_escalate_documents,
        ):
            with self.subTest(call=call), self.assertRaises(AccessError):
                call()
        self.assertEqual(order.credit_status, "held")

    def test_documents_released_together_count_together(self):
        """Two held orders of one customer, 600 each, released together by a
        controller whose limit is 1,000: 1,200 together is beyond it; one
        alone is within it."""
        self._authority_on()
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        first = self._order(self.customer, 600.0, confirm=True)
        second = self._order(self.customer, 600.0, confirm=True)
        self.assertEqual((first | second).mapped("credit_status"), ["held", "held"])
        with self.assertRaises(UserError):
            (first | second).with_user(self.small).credit_release("Both")
        self.assertEqual((first | second).mapped("state"), ["draft", "draft"])
        first.with_user(self.small).credit_release("One")
        self.assertEqual(first.state, "sale")

    def test_escalation_goes_to_the_company_default_controller(self):
        self._authority_on()
        big = new_test_user(self.env, login="ch_big_controller", groups=CONTROLLER_GROUPS, company_id=self.company.id)
        big.with_company(self.company).credit_release_unlimited = True
        self.company.credit_hold_controller_id = big
        order = self._order(self.customer, 50000.0, confirm=True)
        assigned = order.with_user(self.small).credit_escalate("Too big for me")
        self.assertEqual(assigned[order.id], big)
        self.assertEqual(order.credit_status, "held")

    def test_escalation_never_goes_to_odoobot(self):
        self._authority_on()
        others = group_users(self.env, "credit_hold.group_credit_controller") - self.small
        others.with_company(self.company).write({"credit_release_limit": 0.0, "credit_release_unlimited": False})
        order = self._order(self.customer, 50000.0, confirm=True)
        with self.assertRaises(UserError):
            order.with_user(self.small).credit_escalate("Anyone?")
        self.assertFalse(order.activity_ids.filtered(lambda a: a.user_id == self.env.ref("base.user_root")))

    def test_escalation_prefers_a_credit_manager_to_a_system_administrator(self):
        self._authority_on()
        admin = self.env.ref("base.user_admin")
        admin.write({"company_ids": [Command.link(self.company.id)]})
        admin.with_company(self.company).credit_release_unlimited = True
        self.assertTrue(admin.has_group("credit_hold.group_credit_controller"))
        manager = new_test_user(
            self.env,
            login="ch_escalation_manager",
            groups=CONTROLLER_GROUPS + ",credit_hold.group_credit_manager",
            company_id=self.company.id,
        )
        manager.with_company(self.company).credit_release_unlimited = True
        order = self._order(self.customer, 50000.0, confirm=True)
        action = order.with_user(self.small).action_credit_escalate()
        wizard = Form(self.env["credit.hold.escalate"].with_user(self.small).with_context(**action["context"]))
        wizard.note = "Too big for me"
        result = wizard.save().action_escalate()
        # the controller is told who received it
        self.assertIn(f"to {manager.name}", result["params"]["message"])
        self.assertEqual(order.activity_ids.user_id, manager)
