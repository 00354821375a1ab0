# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.credit_hold.compat import USER_GROUPS
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditHoldCommon

CONTROLLER_GROUPS = (
    "base.group_user,base.group_partner_manager,sales_team.group_sale_salesman,credit_hold.group_credit_controller"
)


@tagged("post_install", "-at_install")
class TestReleaseAuthority(CreditHoldCommon):
    """Release authority: controllers release within their limit, escalate beyond it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.controller_big = cls._controller("ch_controller_big")
        cls.controller_small = cls._controller("ch_controller_small")
        cls.manager = cls._controller("ch_manager", ",credit_hold.group_credit_manager")
        cls._set_authority(cls.controller, 1500.0)
        cls._set_authority(cls.controller_big, 5000.0)
        cls._set_authority(cls.controller_small, 100.0)
        cls._set_authority(cls.manager, 0.0, unlimited=True)
        # the other controllers of the company (account admins among them)
        # have no authority unless given one
        cls.customer_2 = cls.env["res.partner"].create(
            {"name": "Second Customer", "is_company": True, "credit_limit": 1000.0}
        )

    @classmethod
    def _controller(cls, login, extra_groups=""):
        return new_test_user(
            cls.env,
            login=login,
            email=f"{login}@company.example.com",
            groups=CONTROLLER_GROUPS + extra_groups,
            company_id=cls.company.id,
        )

    @classmethod
    def _set_authority(cls, user, limit, unlimited=False):
        user.with_company(cls.company).write({"credit_release_limit": limit, "credit_release_unlimited": unlimited})

    def _authority_on(self):
        self.company.credit_hold_release_authority = True

    def _held_order(self, partner, amount):
        order = self._order(partner, amount, confirm=True)
        self.assertEqual(order.credit_status, "held")
        return order

    def _exposure_case(self):
        """A customer at 900 of its 1,000 limit and a held order of 700: the
        order alone is within the controller's 1,500, with the exposure it is
        1,600."""
        self._invoice(self.customer, 900.0)
        return self._held_order(self.customer, 700.0)

    def _activity(self, doc):
        return doc.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("credit_hold.mail_activity_type_credit_hold")
        )

    def test_setting_off_any_controller_releases_any_amount(self):
        self.assertFalse(self.company.credit_hold_release_authority)
        order = self._held_order(self.customer, 50000.0)
        order.with_user(self.controller_small).credit_release("Paid upfront")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_status, "released")
        self.assertNotIn("release limit", order.message_ids[0].body)

    def test_within_release_limit_is_released_and_noted(self):
        self._authority_on()
        order = self._held_order(self.customer, 1200.0)
        order.with_user(self.controller).credit_release("Approved")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_status, "released")
        bodies = " ".join(order.message_ids.mapped("body"))
        self.assertIn("within release limit", bodies)
        self.assertIn("1,500.00", bodies)
        self.assertIn("1,200.00", bodies)

    def test_exposure_is_counted_not_the_document_alone(self):
        self._authority_on()
        order = self._exposure_case()
        with self.assertRaises(UserError) as error:
            order.with_user(self.controller).credit_release("Approved")
        message = error.exception.args[0]
        self.assertIn("1,600.00", message)
        self.assertIn("1,500.00", message)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_status, "held")

    def test_no_limit_releases_nothing(self):
        self._authority_on()
        order = self._held_order(self.customer, 1200.0)
        self._set_authority(self.controller, 0.0)
        with self.assertRaises(UserError):
            order.with_user(self.controller).credit_release("Approved")
        self.assertEqual(order.credit_status, "held")

    def test_unlimited_releases_anything(self):
        self._authority_on()
        order = self._held_order(self.customer, 50000.0)
        order.with_user(self.manager).credit_release("Board approved")
        self.assertEqual(order.state, "sale")
        self.assertIn("unlimited release authority", " ".join(order.message_ids.mapped("body")))

    def test_escalation_goes_to_the_customers_controller(self):
        self._authority_on()
        self.customer.credit_controller_id = self.controller_big
        order = self._exposure_case()
        self.assertEqual(self._activity(order).user_id, self.controller_big)
        self._activity(order).user_id = self.controller
        assigned = order.with_user(self.controller).credit_escalate("Beyond my limit, please decide")
        self.assertEqual(assigned[order.id], self.controller_big)
        self.assertEqual(self._activity(order).user_id, self.controller_big)
        self.assertIn("Beyond my limit", self._activity(order).note)
        self.assertEqual(order.credit_status, "held")
        self.assertEqual(order.state, "draft")
        self.assertIn("escalated", order.message_ids[0].body)
        self.assertIn("Beyond my limit", order.message_ids[0].body)
        # the one it went to releases it
        order.with_user(self.controller_big).credit_release("Decided")
        self.assertEqual(order.state, "sale")

    def test_escalation_skips_who_has_not_enough_authority(self):
        self._authority_on()
        # the customer's and the company's controllers cannot cover 1,600: the
        # review goes up to a credit manager (before a controller with more
        # authority, and before a system administrator)
        self.customer.credit_controller_id = self.controller_small
        self.company.credit_hold_controller_id = self.controller
        order = self._exposure_case()
        wizard_action = order.with_user(self.controller).action_credit_escalate()
        wizard_form = Form(
            self.env[wizard_action["res_model"]].with_user(self.controller).with_context(**wizard_action["context"])
        )
        wizard_form.note = "Please review"
        result = wizard_form.save().action_escalate()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(self._activity(order).user_id, self.manager)
        self.assertEqual(order.credit_status, "held")
        # without a manager able to take it, the smallest authority that covers it
        order.with_user(self.manager).credit_escalate("Not mine")
        self.assertEqual(self._activity(order).user_id, self.controller_big)

    def test_escalation_with_nobody_to_take_it_over(self):
        self._authority_on()
        order = self._exposure_case()
        for user in (self.controller_big, self.manager):
            self._set_authority(user, 100.0)
        with self.assertRaises(UserError) as error:
            order.with_user(self.controller).credit_escalate("Please")
        self.assertIn("Nobody else", error.exception.args[0])
        self.assertEqual(order.credit_status, "held")

    def test_bulk_release_with_mixed_authority(self):
        self._authority_on()
        within = self._held_order(self.customer_2, 1200.0)
        beyond = self._exposure_case()
        reviewer = self._activity(beyond).user_id
        rows = self.env["credit.hold.document"].with_user(self.controller).search([("credit_status", "=", "held")])
        self.assertEqual(len(rows), 2)
        action = rows.action_release_documents()
        wizard_form = Form(self.env[action["res_model"]].with_user(self.controller).with_context(**action["context"]))
        wizard_form.reason = "Weekly review"
        result = wizard_form.save().action_release()
        message = result["params"]["message"]
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn(f"1 released: {within.name}", message)
        self.assertIn("1 not processed:", message)
        # the document named once (issue "The controller's day", item 9)
        self.assertIn(f"\n{beyond.name} is beyond your release authority", message)
        self.assertEqual(message.count(beyond.name), 1)
        self.assertEqual(within.state, "sale")
        self.assertEqual(beyond.credit_status, "held")
        # nothing was escalated silently
        self.assertEqual(self._activity(beyond).user_id, reviewer)

    def test_can_release_in_the_held_list(self):
        within = self._held_order(self.customer_2, 1200.0)
        beyond = self._exposure_case()
        rows = self.env["credit.hold.document"].search([("credit_status", "=", "held")])

        def can(user):
            by_res = {(r.res_model, r.res_id): r.credit_can_release for r in rows.with_user(user)}
            return by_res[("sale.order", within.id)], by_res[("sale.order", beyond.id)]

        # setting off: every controller releases everything
        self.assertEqual(can(self.controller_small), (True, True))
        self._authority_on()
        self.env.invalidate_all()
        self.assertEqual(can(self.controller), (True, False))
        self.assertEqual(can(self.controller_small), (False, False))
        self.assertEqual(can(self.controller_big), (True, True))
        self.assertEqual(can(self.manager), (True, True))

    def test_only_credit_managers_set_release_authority(self):
        fields = ("credit_release_limit", "credit_release_unlimited")
        self.assertFalse(set(fields) & set(self.env["res.users"].SELF_WRITEABLE_FIELDS))
        for user in (self.salesman, self.controller):
            for target in (user, self.controller_small):
                for vals in ({"credit_release_limit": 1e9}, {"credit_release_unlimited": True}):
                    with self.subTest(user=user.login, target=target.login, vals=vals):
                        with self.assertRaises(AccessError) as error:
                            target.with_user(user).write(vals)
                        self.assertIn("Only a Credit Manager", error.exception.args[0])
        self.assertEqual(self.controller.with_company(self.company).credit_release_limit, 1500.0)
        self.assertFalse(self.controller.with_company(self.company).credit_release_unlimited)
        with self.assertRaises(AccessError):
            self.env["res.users"].with_user(self.controller).create(
                {"name": "Sneaky", "login": "sneaky", "credit_release_unlimited": True}
            )
        # a credit manager may (Odoo's user administration rights aside)
        self.manager[USER_GROUPS] |= self.env.ref("base.group_erp_manager")
        self.controller_small.with_user(self.manager).with_company(self.company).write({"credit_release_limit": 2500.0})
        self.assertEqual(self.controller_small.with_company(self.company).credit_release_limit, 2500.0)

    def test_accounting_admin_is_credit_manager(self):
        admin = new_test_user(self.env, login="ch_acc_admin", groups="base.group_user,account.group_account_manager")
        self.assertTrue(admin.has_group("credit_hold.group_credit_manager"))
        self.assertTrue(admin.has_group("credit_hold.group_credit_controller"))
        self.assertFalse(self.controller.has_group("credit_hold.group_credit_manager"))

    def test_invoice_counts_what_the_exposure_does_not_have_yet(self):
        self._authority_on()
        self.company.credit_hold_prevent_invoices = True
        order = self._order(self.customer, 800.0, confirm=True)
        self.assertEqual(order.state, "sale")
        order_invoice = order._create_invoices()
        other_invoice = self._invoice(self.customer, 300.0, post=False)
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        (order_invoice | other_invoice).action_post()
        self.assertEqual((order_invoice | other_invoice).mapped("credit_status"), ["held", "held"])
        amounts = (order_invoice | other_invoice)._credit_hold_release_amounts(cumulative=False)
        # the order's invoice is already in the exposure (the order not invoiced)
        self.assertAlmostEqual(amounts[order_invoice.id], 800.0)
        # a draft invoice of its own is not in the balance yet: it is added
        self.assertAlmostEqual(amounts[other_invoice.id], 1100.0)
        self._set_authority(self.controller, 1000.0)
        order_invoice.with_user(self.controller).credit_release("Invoice of a released order")
        self.assertEqual(order_invoice.state, "posted")
        with self.assertRaises(UserError):
            other_invoice.with_user(self.controller).credit_release("Extra work")
        self.assertEqual(other_invoice.state, "draft")

    def test_user_form_shows_authority_to_managers_only(self):
        view = self.env.ref("base.view_users_form")

        def form_fields(user):
            arch = self.env["res.users"].with_user(user).get_views([(view.id, "form")])["views"]["form"]["arch"]
            return "credit_release_limit" in arch

        self.assertTrue(form_fields(self.manager))
        self.assertFalse(form_fields(self.controller))
