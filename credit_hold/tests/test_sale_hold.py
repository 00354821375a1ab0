# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CreditHoldCommon


@tagged("post_install", "-at_install")
class TestSaleHold(CreditHoldCommon):
    def _activities(self, doc):
        return doc.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("credit_hold.mail_activity_type_credit_hold")
        )

    def test_order_over_limit_is_held_and_nothing_is_lost(self):
        order = self._order(self.customer, 1200.0)
        lines_before = order.order_line.read(["product_id", "product_uom_qty", "price_unit"])
        result = order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_status, "held")
        self.assertIn("Over credit limit", order.credit_held_reason)
        self.assertIn("1,200.00", order.credit_held_reason)
        self.assertIn("1,000.00", order.credit_held_reason)
        self.assertEqual(order.order_line.read(["product_id", "product_uom_qty", "price_unit"]), lines_before)
        # the user is told, with a notification (not an exception that would roll the hold back)
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(order.name, result["params"]["message"])
        self.assertIn("Credit hold", order.message_ids[0].body)
        self.assertEqual(len(self._activities(order)), 1)

    def test_line_moved_into_a_confirmed_order_is_checked(self):
        """A 5,000 line moved into a confirmed 100 order of a customer with a
        limit of 1,000: the check reads the figures with the line moved."""
        order = self._order(self.customer, 100.0, confirm=True)
        quotation = self._order(self.customer, 5000.0)
        with self.assertRaises(UserError):
            quotation.order_line.with_user(self.salesman).write({"order_id": order.id})
        self.assertEqual(order.amount_total, 100.0)
        self.assertEqual(quotation.amount_total, 5000.0)

    def test_order_within_limit_is_confirmed(self):
        order = self._order(self.customer, 999.99)
        self.assertIs(order.with_user(self.salesman).action_confirm(), True)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_status, "none")

    def test_customer_on_hold_overdue_holds_any_order(self):
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        order = self._order(self.customer, 1.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.credit_status, "held")
        self.assertEqual(order.credit_held_reason, "Put on hold by a credit controller")

    def test_exposure_counts_other_confirmed_orders(self):
        self._order(self.customer, 600.0, confirm=True)
        order = self._order(self.customer, 500.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.credit_status, "held")
        self.assertIn("exposure with this document", order.credit_held_reason)
        self.assertIn("1,100.00 >= limit", order.credit_held_reason)

    def test_disabled_company_or_orders_switch_holds_nothing(self):
        self.company.credit_hold_prevent_orders = False
        order = self._order(self.customer, 5000.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.company.credit_hold_enabled = False
        self.company.credit_hold_prevent_orders = True
        order = self._order(self.customer, 5000.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_release_confirms_with_reason_and_figures(self):
        order = self._order(self.customer, 1200.0)
        order.with_user(self.salesman).action_confirm()
        action = order.with_user(self.controller).action_credit_release()
        wizard_form = Form(self.env[action["res_model"]].with_user(self.controller).with_context(**action["context"]))
        wizard_form.reason = "Paid by wire this morning"
        wizard_form.save().action_release()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_status, "released")
        self.assertEqual(order.credit_released_uid, self.controller)
        self.assertEqual(order.credit_release_reason, "Paid by wire this morning")
        self.assertEqual(order.credit_released_amount, 1200.0)
        log = order.message_ids.filtered(lambda m: "released by" in (m.body or ""))
        self.assertTrue(log)
        self.assertIn("Paid by wire this morning", log[0].body)
        self.assertIn("effective limit", log[0].body)
        self.assertFalse(self._activities(order))  # the review activity is done

    def test_release_needs_a_reason(self):
        order = self._order(self.customer, 1200.0)
        order.action_confirm()
        with self.assertRaises(UserError):
            order.with_user(self.controller).credit_release("  ")
        self.assertEqual(order.credit_status, "held")

    def test_salesman_cannot_release_hold_or_write_status(self):
        order = self._order(self.customer, 1200.0)
        order.with_user(self.salesman).action_confirm()
        as_salesman = order.with_user(self.salesman)
        with self.assertRaises(AccessError):
            as_salesman.action_credit_release()
        with self.assertRaises(AccessError):
            as_salesman.credit_release("I say so")
        with self.assertRaises(AccessError):
            as_salesman.action_credit_cancel_check()
        with self.assertRaises(AccessError):
            as_salesman.write({"credit_status": "released"})
        with self.assertRaises(AccessError):
            as_salesman.with_context(credit_hold_skip=True, credit_hold_bypass=True).credit_release("x")
        # sudo from a portal-like call does not make anyone a controller
        with self.assertRaises(AccessError):
            as_salesman.sudo().credit_release("x")
        self.assertEqual(order.credit_status, "held")
        self.assertEqual(order.state, "draft")

    def test_no_context_key_skips_the_check(self):
        order = self._order(self.customer, 1200.0)
        order.with_user(self.salesman).with_context(
            credit_hold_skip=True, skip_credit_check=True, credit_hold_retrying=True
        ).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_status, "held")

    def test_cancel_credit_check(self):
        order = self._order(self.customer, 1200.0)
        order.action_confirm()
        order.with_user(self.controller).action_credit_cancel_check()
        self.assertEqual(order.credit_status, "none")
        self.assertEqual(order.state, "draft")
        self.assertFalse(self._activities(order))
        # a released order goes back to a quotation, not released
        order.action_confirm()
        order.with_user(self.controller).credit_release("ok")
        self.assertEqual(order.state, "sale")
        order.with_user(self.controller).action_credit_cancel_check()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_status, "none")

    def test_rehold_released_order(self):
        order = self._order(self.customer, 1200.0)
        order.action_confirm()
        order.with_user(self.controller).credit_release("one-off")
        order.with_user(self.controller).action_credit_hold()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_status, "held")
        self.assertIn("Put back on hold", order.credit_held_reason)
        # an invoiced order can no longer be stopped
        order.with_user(self.controller).credit_release("again")
        order._create_invoices()
        with self.assertRaises(UserError):
            order.with_user(self.controller).action_credit_hold()

    def test_batch_confirmation_mixed_outcomes(self):
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True, "credit_limit": 1000.0})
        orders = (
            self._order(self.customer, 400.0)
            | self._order(self.customer, 400.0)
            | self._order(self.customer, 400.0)
            | self._order(other, 400.0)
        )
        result = orders.with_user(self.salesman).action_confirm()
        # 400 + 400 pass; the third would take the exposure to 1,200 >= 1,000
        self.assertEqual(orders.mapped("state"), ["sale", "sale", "draft", "sale"])
        self.assertEqual(orders.mapped("credit_status"), ["none", "none", "held", "none"])
        self.assertIn("1,200.00", orders[2].credit_held_reason)
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("1 held, 3 went through", result["params"]["title"])

    def test_confirmation_as_the_portal_signature_does_is_held_with_an_activity(self):
        self.company.credit_hold_controller_id = self.controller
        order = self._order(self.customer, 1500.0)
        public = self.env.ref("base.public_user")
        # what /my/orders/<id>/accept does once signed, as the public user in sudo
        order.with_user(public).sudo()._validate_order()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_status, "held")
        activity = self._activities(order)
        self.assertEqual(activity.user_id, self.controller)
        self.assertIn("Over credit limit", activity.note)

    def test_customer_controller_gets_the_activity(self):
        controller_b = self.controller.copy({"login": "ch_controller_b"})
        self.customer.with_user(self.controller).credit_controller_id = controller_b
        order = self._order(self.customer, 1500.0)
        order.action_confirm()
        self.assertEqual(self._activities(order).user_id, controller_b)

    def test_auto_release_after_registered_payment(self):
        invoice = self._invoice(self.customer, 1000.0)
        self.assertTrue(self.customer.on_hold)
        order = self._order(self.customer, 300.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.credit_status, "held")
        big = self._order(self.customer, 900.0)
        big.with_user(self.salesman).action_confirm()
        self._register_payment(invoice)
        self.assertFalse(self.customer.on_hold)
        # re-checked in order: 300 passes and is confirmed, 300 + 900 >= 1,000 stays held
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_status, "none")
        self.assertEqual(big.state, "draft")
        self.assertEqual(big.credit_status, "held")
        self.assertIn("1,200.00", big.credit_held_reason)

    def test_no_auto_release_when_switched_off(self):
        self.company.credit_hold_auto_release = False
        invoice = self._invoice(self.customer, 1000.0)
        order = self._order(self.customer, 100.0)
        order.action_confirm()
        self._register_payment(invoice)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_status, "held")
        # the salesperson confirms it again once the customer is clear: it
        # goes through and leaves the held list, the review is closed
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_status, "none")
        self.assertFalse(order.credit_held_reason_codes)
        self.assertFalse(order.activity_ids)
        self.assertFalse(
            self.env["credit.hold.document"].search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])
        )

    def test_auto_release_when_controller_forces_off(self):
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        order = self._order(self.customer, 100.0)
        order.action_confirm()
        self.customer.with_user(self.controller).action_credit_hold_automatic()
        self.assertEqual(order.state, "sale")

    def test_amount_increase_on_confirmed_order(self):
        order = self._order(self.customer, 800.0, confirm=True)
        self.assertEqual(order.state, "sale")
        # (assertRaises, not assertRaisesRegex: only the former rolls back to a savepoint)
        with self.assertRaises(UserError) as caught:
            with Form(order.with_user(self.salesman)) as form:
                with form.order_line.edit(0) as line:
                    line.product_uom_qty = 2
        self.assertIn("cannot be raised", str(caught.exception))
        with self.assertRaises(UserError) as caught:
            order.with_user(self.salesman).write(
                {"order_line": [Command.create({"product_id": self.service.id, "price_unit": 300.0})]}
            )
        self.assertIn("over credit limit", str(caught.exception).lower())
        self.env.invalidate_all()
        self.assertEqual(order.amount_total, 800.0)
        # within the limit it is allowed, and a controller may go past it
        order.with_user(self.salesman).order_line.price_unit = 900.0
        self.assertEqual(order.amount_total, 900.0)
        order.with_user(self.controller).order_line.price_unit = 5000.0
        self.assertEqual(order.amount_total, 5000.0)
        # lowering is always allowed
        order.with_user(self.salesman).order_line.price_unit = 10.0
        self.assertEqual(order.amount_total, 10.0)

    def test_cancelled_held_order_leaves_the_list(self):
        order = self._order(self.customer, 1200.0)
        order.action_confirm()
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.credit_status, "none")
        self.assertFalse(self._activities(order))

    def test_held_again_for_the_same_reason_posts_no_new_message(self):
        order = self._order(self.customer, 1200.0)
        order.action_confirm()
        count = len(order.message_ids)
        order.action_confirm()
        self.assertEqual(len(order.message_ids), count)

    def _online_payment(self, order, amount, reference):
        """A payment transaction done online for ``order`` (what the portal checkout creates)."""
        method = self.env.ref("payment.payment_method_unknown")
        provider = self.env["payment.provider"].create(
            {
                "name": "Dummy",
                "code": "none",
                "state": "enabled",
                "company_id": self.company.id,
                "payment_method_ids": [Command.set(method.ids)],
            }
        )
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": method.id,
                    "amount": amount,
                    "currency_id": order.currency_id.id,
                    "partner_id": order.partner_id.id,
                    "reference": reference,
                    "operation": "online_direct",
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
        )
        tx._set_done()
        return tx

    def test_paid_online_order_is_not_held(self):
        order = self._order(self.customer, 1500.0)
        confirmed = self._online_payment(order, 1500.0, "CH-TEST-1")._check_amount_and_confirm_order()
        self.assertEqual(confirmed, order)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_status, "none")
        self.assertTrue(order.message_ids.filtered(lambda m: "paid in full online" in (m.body or "")))

    def test_partly_paid_online_order_is_held_and_not_reported_confirmed(self):
        order = self._order(self.customer, 1500.0)
        order.require_payment = True
        order.prepayment_percent = 0.5
        confirmed = self._online_payment(order, 750.0, "CH-TEST-2")._check_amount_and_confirm_order()
        self.assertFalse(confirmed)  # no confirmation e-mail for a held order
        self.assertEqual(order.credit_status, "held")

    def test_yellow_warning_on_quotation(self):
        self.company.credit_hold_warning_percent = 90.0
        self._invoice(self.customer, 950.0)
        order = self._order(self.customer, 10.0)
        self.assertTrue(order.credit_warning)
        self.assertIn("1,000.00", order.credit_warning_message)

    def test_import_or_rpc_write_of_state_sale_is_checked(self):
        order = self._order(self.customer, 1200.0)
        with self.assertRaises(UserError) as caught:
            order.with_user(self.salesman).write({"state": "sale"})
        self.assertIn("cannot be confirmed", str(caught.exception))
        self.assertEqual(order.state, "draft")
        # an import creating confirmed orders goes through the same check
        result = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .load(
                ["partner_id/.id", "user_id/.id", "state", "order_line/product_id/.id", "order_line/price_unit"],
                [[str(self.customer.id), str(self.salesman.id), "sale", str(self.service.id), "5000"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertIn("Over credit limit", result["messages"][0]["message"])
        # within the limit it goes through; beyond it a controller is refused
        # too: the release (within their authority) is their path
        small = self._order(self.customer, 100.0)
        small.with_user(self.salesman).write({"state": "sale"})
        self.assertEqual(small.state, "sale")
        with self.assertRaises(UserError):
            order.with_user(self.controller).write({"state": "sale"})
        self.assertEqual(order.state, "draft")
