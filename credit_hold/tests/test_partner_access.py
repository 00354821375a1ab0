# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.addons.credit_hold.compat import USER_GROUPS
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditHoldCommon


@tagged("post_install", "-at_install")
class TestPartnerAccess(CreditHoldCommon):
    def test_salesman_cannot_change_hold_type_over_rpc(self):
        customer = self.customer.with_user(self.salesman)
        for vals in (
            {"on_hold_type": "enforced_off"},
            {"credit_threshold": 200.0},
            {"credit_hold_grace_override": True},
        ):
            with self.assertRaises(AccessError):
                customer.write(vals)
        with self.assertRaises(AccessError):
            customer.action_credit_hold_enforce_off()
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesman).create({"name": "Sneaky", "on_hold_type": "enforced_off"})
        self.assertEqual(self.customer.on_hold_type, "automatic")

    def test_nobody_writes_on_hold_directly(self):
        for user in (self.salesman, self.controller):
            with self.assertRaises(AccessError):
                self.customer.with_user(user).write({"on_hold": True})
            with self.assertRaises(AccessError):
                self.customer.with_user(user).write({"credit_hold_reason_codes": "because"})

    def test_salesman_sees_badge_reason_and_figures(self):
        self._invoice(self.customer, 1000.0)
        customer = self.customer.with_user(self.salesman)
        customer.invalidate_recordset()
        self.assertTrue(customer.on_hold)
        self.assertEqual(customer.credit_hold_reason, "Over credit limit")
        self.assertEqual(customer.total_balance, 1000.0)
        self.assertEqual(customer.credit_effective_limit, 1000.0)
        self.assertEqual(customer.search_count([("on_hold", "=", True), ("id", "=", self.customer.id)]), 1)

    def test_salesman_can_create_customers_but_only_a_controller_evaluates(self):
        partner = self.env["res.partner"].with_user(self.salesman).create({"name": "New Co", "is_company": True})
        self.assertEqual(partner.on_hold_type, "automatic")
        with self.assertRaises(AccessError):
            partner.action_evaluate_credit_hold()
        partner.with_user(self.controller).action_evaluate_credit_hold()
        self.assertFalse(partner.on_hold)

    def test_controller_changes_hold_type_and_threshold(self):
        customer = self.customer.with_user(self.controller)
        customer.write({"on_hold_type": "enforced_on", "credit_threshold": 110.0})
        self.assertTrue(self.customer.on_hold)
        self.assertEqual(self.customer.credit_threshold, 110.0)

    def test_contact_hold_type_is_set_on_the_company(self):
        with self.assertRaises(UserError) as caught:
            self.contact.with_user(self.controller).action_credit_hold_enforce_on()
        self.assertIn("change it on", str(caught.exception))

    def test_accounting_admin_is_controller(self):
        admin = self.env["res.users"].create(
            {
                "name": "Acc Admin",
                "login": "ch_acc_admin",
                USER_GROUPS: [Command.set([self.env.ref("account.group_account_manager").id])],
            }
        )
        self.assertTrue(admin.has_group("credit_hold.group_credit_controller"))
