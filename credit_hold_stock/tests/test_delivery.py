# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.addons.credit_hold.compat import PARTNER_BLOCKING_WARNINGS, PICKING_MOVES, stock_move_description
from odoo.addons.credit_hold.tests.common import CreditHoldCommon
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDelivery(CreditHoldCommon):
    """Deliveries of customers on hold are held on validation, on every path
    that ends in ``_action_done`` (rule R10)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"credit_hold_prevent_deliveries": True, "credit_hold_controller_id": cls.controller.id})
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.widget = cls.env["product.product"].create(
            {
                "name": "Widget",
                "is_storable": True,
                "list_price": 100.0,
                "invoice_policy": "order",
                "taxes_id": [Command.clear()],
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.widget, cls.stock_location, 100.0)
        cls.stock_user = new_test_user(
            cls.env,
            login="ch_stock_user",
            email="stock@company.example.com",
            groups="base.group_user,base.group_partner_manager,stock.group_stock_user,"
            "sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )

    def _stock_order(self, partner=None, qty=5.0, price=50.0, confirm=True):
        """A confirmed order of ``qty`` widgets at ``price``, entered by the salesman."""
        with Form(self.env["sale.order"].with_user(self.salesman)) as form:
            form.partner_id = partner or self.customer
            form.user_id = self.salesman
            with form.order_line.new() as line:
                line.product_id = self.widget
                line.product_uom_qty = qty
                line.price_unit = price
        order = form.record
        if confirm:
            order.with_user(self.salesman).action_confirm()
        return order

    def _delivery(self, **kwargs):
        order = self._stock_order(**kwargs)
        self.assertEqual(order.state, "sale")
        picking = order.picking_ids
        self.assertEqual(picking.state, "assigned")
        return picking

    def _hold_customer(self):
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        self.assertTrue(self.customer.on_hold)

    def _validate(self, picking):
        return picking.with_user(self.stock_user).button_validate()

    def _transfer(self, picking_type, source, destination, qty=1.0):
        """A transfer of the customer's typed in Inventory by the stock user."""
        return (
            self.env["stock.picking"]
            .with_user(self.stock_user)
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": self.customer.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "move_ids": [
                        Command.create(
                            {
                                **stock_move_description(self.widget.name),
                                "product_id": self.widget.id,
                                "product_uom_qty": qty,
                                "location_id": source.id,
                                "location_dest_id": destination.id,
                            }
                        )
                    ],
                }
            )
        )

    def _backorder_wizard(self, action):
        """The "Create Backorder?" dialog that ``action`` opens, as the stock user."""
        model = self.env[action["res_model"]].with_user(self.stock_user)
        return Form(model.with_context(**action["context"])).save()

    def assertHeld(self, picking, codes, state="assigned"):
        self.assertEqual(picking.state, state)
        self.assertEqual(picking.credit_status, "held")
        self.assertEqual(picking.credit_held_reason_codes, codes)

    # ------------------------------------------------------------------
    # Paths
    # ------------------------------------------------------------------

    def test_held_delivery_cannot_be_done_by_writing_its_moves_or_state(self):
        """A warehouse user writes "done" on a held delivery's moves, or on the
        delivery itself: refused, nothing delivered (nothing invoiceable)."""
        picking = self._delivery()
        self._hold_customer()
        self._validate(picking)
        self.assertHeld(picking, "enforced")
        with self.assertRaises(UserError):
            picking.move_ids.with_user(self.stock_user).write({"state": "done", "picked": True})
        with self.assertRaises(UserError):
            picking.with_user(self.stock_user).write({"state": "done"})
        self.assertHeld(picking, "enforced")
        self.assertEqual(picking.sale_id.order_line.qty_delivered, 0.0)
        # a customer not on hold: the writes are Odoo's business, not ours
        other = self._delivery(partner=self.env["res.partner"].create({"name": "Clear", "credit_limit": 0.0}))
        other.move_ids.with_user(self.stock_user).write({"state": "done", "picked": True})

    def test_held_on_validate(self):
        picking = self._delivery()
        self._hold_customer()
        result = self._validate(picking)
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(result["params"]["title"], "Credit hold: not validated")
        self.assertIn(picking.name, result["params"]["message"])
        self.assertHeld(picking, "enforced")
        # nothing was lost: still reserved, nothing picked
        self.assertEqual(picking.move_ids.quantity, 5.0)
        self.assertFalse(picking.move_ids.picked)
        self.assertIn("Credit hold:", picking.message_ids[0].body)
        activity = picking.activity_ids
        self.assertEqual(activity.user_id, self.controller)
        self.assertTrue(picking.credit_held_reason)
        # validating again says the same, posts nothing new
        messages = len(picking.message_ids)
        self._validate(picking)
        self.assertHeld(picking, "enforced")
        self.assertEqual(len(picking.message_ids), messages)

    def test_held_by_action_done(self):
        # what batch transfers, other modules and scripts call
        picking = self._delivery()
        self._hold_customer()
        picking.with_user(self.stock_user)._action_done()
        self.assertHeld(picking, "enforced")
        self.assertEqual(picking.move_ids.state, "assigned")

    def test_customer_is_the_one_invoiced(self):
        # delivered to a contact, invoiced to another company: the invoiced one's credit
        payer = self.env["res.partner"].create({"name": "Payer Group", "is_company": True})
        pickings = []
        for _i in range(2):
            order = self._stock_order(partner=self.contact, confirm=False)
            order.with_user(self.salesman).partner_invoice_id = payer
            order.with_user(self.salesman).action_confirm()
            pickings.append(order.picking_ids)
        first, second = pickings
        self.assertEqual(first.partner_id, self.contact)
        self.assertEqual(first.credit_partner_id, payer)
        # the delivered customer's hold does not hold it
        self._hold_customer()
        self._validate(first)
        self.assertEqual(first.state, "done")
        payer.with_user(self.controller).action_credit_hold_enforce_on()
        self._validate(second)
        self.assertHeld(second, "enforced")

    def test_several_pickings_decided_each(self):
        held = self._delivery()
        other_customer = self.env["res.partner"].create({"name": "Other Customer", "is_company": True})
        passing = self._delivery(partner=other_customer)
        self._hold_customer()
        result = self._validate(held | passing)
        self.assertHeld(held, "enforced")
        self.assertEqual(passing.state, "done")
        self.assertEqual(passing.credit_status, "none")
        self.assertEqual(result["params"]["title"], "1 held, 1 went through")

    def test_immediate_transfer_held_stays_draft(self):
        # a delivery typed in Inventory and validated at once, without reservation
        picking_type = self.warehouse.out_type_id
        with Form(self.env["stock.picking"].with_user(self.stock_user)) as form:
            form.picking_type_id = picking_type
            form.partner_id = self.customer
            with form[PICKING_MOVES].new() as move:
                move.product_id = self.widget
                move.product_uom_qty = 2.0
        picking = form.record
        self.assertEqual(picking.state, "draft")
        self._hold_customer()
        self._validate(picking)
        self.assertHeld(picking, "enforced", state="draft")
        # without an order: the delivery's customer, no amount
        self.assertEqual(picking.credit_partner_id, self.customer)
        self.customer.with_user(self.controller).action_credit_hold_automatic()
        # auto-release validated it
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.credit_status, "none")

    def test_backorder_wizard_then_hold(self):
        picking = self._delivery()
        picking.move_ids.quantity = 3.0
        action = self._validate(picking)
        self.assertEqual(action["res_model"], "stock.backorder.confirmation")
        # the customer goes on hold while the wizard is open
        self._hold_customer()
        wizard = self._backorder_wizard(action)
        result = wizard.process()
        self.assertEqual(result["tag"], "display_notification")
        self.assertHeld(picking, "enforced")
        self.assertFalse(picking.backorder_ids)

    def test_backorder_of_a_delivered_part_is_held(self):
        picking = self._delivery()
        picking.move_ids.quantity = 3.0
        action = self._validate(picking)
        wizard = self._backorder_wizard(action)
        wizard.process()
        self.assertEqual(picking.state, "done")
        backorder = picking.backorder_ids
        self.assertEqual(backorder.move_ids.product_uom_qty, 2.0)
        self._hold_customer()
        self._validate(backorder)
        self.assertHeld(backorder, "enforced")

    def test_held_delivery_partial_validation_holds_before_the_wizard(self):
        picking = self._delivery()
        picking.move_ids.quantity = 3.0
        self._hold_customer()
        result = self._validate(picking)
        # no backorder question for a held delivery: the notification
        self.assertEqual(result["tag"], "display_notification")
        self.assertHeld(picking, "enforced")
        self.assertEqual(picking.move_ids.quantity, 3.0)

    def test_receipt_and_customer_return_never_held(self):
        picking = self._delivery()
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self._hold_customer()
        # the customer sends goods back, received by a warehouse user without
        # sales rights (19.0 reads the returned moves' order lines, which a
        # salesperson limited to their own documents may not read)
        clerk = new_test_user(
            self.env,
            login="ch_stock_clerk",
            groups="base.group_user,stock.group_stock_user",
            company_id=self.company.id,
        )
        return_form = Form(
            self.env["stock.return.picking"]
            .with_user(clerk)
            .with_context(active_id=picking.id, active_model="stock.picking")
        )
        return_wizard = return_form.save()
        return_wizard.product_return_moves.quantity = 1.0
        returned = self.env["stock.picking"].browse(return_wizard.action_create_returns()["res_id"])
        self.assertEqual(returned.picking_type_code, "incoming")
        returned.with_user(clerk).button_validate()
        self.assertEqual(returned.state, "done")
        self.assertEqual(returned.credit_status, "none")
        # a receipt from the same partner
        receipt = self._transfer(
            self.warehouse.in_type_id, self.env.ref("stock.stock_location_suppliers"), self.stock_location
        )
        self._validate(receipt)
        self.assertEqual(receipt.state, "done")
        self.assertEqual(receipt.credit_status, "none")

    def test_multi_step_delivery_held_at_the_last_step(self):
        self.warehouse.delivery_steps = "pick_ship"
        order = self._stock_order()
        pick = order.picking_ids
        self.assertEqual(pick.picking_type_code, "internal")
        self._hold_customer()
        # moving the goods inside the warehouse is not delivering them
        self._validate(pick)
        self.assertEqual(pick.state, "done")
        self.assertEqual(pick.credit_status, "none")
        ship = order.picking_ids - pick
        self.assertEqual(ship.picking_type_code, "outgoing")
        self._validate(ship)
        self.assertHeld(ship, "enforced")

    def test_from_the_vendor_never_held(self):
        # a transfer from the vendor straight to the customer (dropship)
        self._hold_customer()
        picking = self._transfer(
            self.warehouse.out_type_id,
            self.env.ref("stock.stock_location_suppliers"),
            self.env.ref("stock.stock_location_customers"),
        )
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.credit_status, "none")

    def test_setting_of_the_root_company(self):
        self.company.credit_hold_prevent_deliveries = False
        branch = self.env["res.company"].create({"name": "Branch", "parent_id": self.company.id})
        self.env.user.company_ids |= branch
        settings = self.env["res.config.settings"].with_company(branch).create({})
        self.assertFalse(settings.credit_hold_prevent_deliveries)
        settings.credit_hold_prevent_deliveries = True
        settings.execute()
        # a branch edits its root company's setting
        self.assertTrue(self.company.credit_hold_prevent_deliveries)
        self.assertFalse(branch.credit_hold_prevent_deliveries)

    def test_not_held_when_a_switch_is_off(self):
        pickings = {"credit_hold_prevent_deliveries": self._delivery(), "credit_hold_enabled": self._delivery()}
        self._hold_customer()
        for switch, picking in pickings.items():
            with self.subTest(switch=switch):
                self.company.write({"credit_hold_enabled": True, "credit_hold_prevent_deliveries": True, switch: False})
                self._validate(picking)
                self.assertEqual(picking.state, "done")
                self.assertEqual(picking.credit_status, "none")

    # ------------------------------------------------------------------
    # Blocking Message
    # ------------------------------------------------------------------

    if PARTNER_BLOCKING_WARNINGS:  # 18.0 only: 19.0 has no Blocking Message (see compat.py)

        def test_blocking_message_holds_through_button_and_action_done(self):
            first, second = self._delivery(), self._delivery()
            self.customer.write({"picking_warn": "block", "picking_warn_msg": "Do not ship: dispute"})
            self._validate(first)
            self.assertHeld(first, "blocked")
            self.assertIn("Do not ship: dispute", first.credit_held_reason)
            second.with_user(self.stock_user)._action_done()
            self.assertHeld(second, "blocked")
            self.assertFalse(self.customer.on_hold)
            # clearing the warning validates them (Release Automatically)
            self.customer.with_user(self.salesman).write({"picking_warn": "warning"})
            self.assertEqual((first | second).mapped("state"), ["done", "done"])
            self.assertEqual((first | second).mapped("credit_status"), ["none", "none"])

        def test_sale_warning_does_not_hold_deliveries(self):
            picking = self._delivery()
            self.customer.write({"sale_warn": "block", "sale_warn_msg": "No new orders"})
            self._validate(picking)
            self.assertEqual(picking.state, "done")

    # ------------------------------------------------------------------
    # Released orders (R17)
    # ------------------------------------------------------------------

    def _released_order(self):
        """An order held because its customer is over the limit, released."""
        self._invoice(self.customer, 1200.0)
        self.assertEqual(self.customer.credit_hold_reason_codes, "over_limit")
        order = self._stock_order()
        self.assertEqual(order.credit_status, "held")
        order.with_user(self.controller).credit_release("Good customer, ship it")
        self.assertEqual(order.state, "sale")
        return order

    def test_delivery_of_released_order_not_held_again(self):
        order = self._released_order()
        picking = order.picking_ids
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.credit_status, "none")

    def test_delivery_of_released_order_held_for_a_new_reason(self):
        order = self._released_order()
        # the customer went overdue since the release
        self._invoice(self.customer, 10.0, due="2020-01-31")
        self.assertEqual(self.customer.credit_hold_reason_codes, "over_limit,overdue")
        picking = order.picking_ids
        self._validate(picking)
        self.assertHeld(picking, "overdue")

    # ------------------------------------------------------------------
    # Release, auto-release, re-hold, cancel
    # ------------------------------------------------------------------

    def test_release_validates(self):
        picking = self._delivery()
        self._hold_customer()
        self._validate(picking)
        with self.assertRaises(AccessError):
            picking.with_user(self.stock_user).credit_release("Not mine to release")
        picking.with_user(self.controller).credit_release("Paid by phone")
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.credit_status, "released")
        self.assertEqual(picking.credit_released_uid, self.controller)
        self.assertFalse(picking.activity_ids)
        # a delivery that left cannot be held again
        with self.assertRaisesRegex(UserError, "cannot be held again"):
            picking.with_user(self.controller).action_credit_hold()

    def test_only_controllers_change_the_hold(self):
        picking = self._delivery()
        self._hold_customer()
        self._validate(picking)
        as_stock_user = picking.with_user(self.stock_user)
        for call in (
            lambda: as_stock_user.write({"credit_status": "none"}),
            as_stock_user.action_credit_cancel_check,
            as_stock_user.action_credit_release,
        ):
            with self.assertRaises(AccessError):
                call()
        self.assertHeld(picking, "enforced")

    def test_release_refused_when_it_cannot_validate(self):
        picking = self._delivery()
        self._hold_customer()
        self._validate(picking)
        picking.with_user(self.stock_user).do_unreserve()
        # (Odoo's assertRaises rolls back as the request would)
        with self.assertRaises(UserError) as caught:
            picking.with_user(self.controller).credit_release("Ship it")
        self.assertIn(picking._get_without_quantities_error_message(), str(caught.exception))
        self.assertHeld(picking, "enforced", state="confirmed")
        # the customer's state is shown on the delivery being prepared
        picking.invalidate_recordset(["credit_warning", "credit_warning_message"])
        self.assertTrue(picking.credit_warning)
        self.assertIn("would hold it", picking.credit_warning_message)

    def test_release_of_a_partial_delivery_leaves_a_backorder(self):
        picking = self._delivery()
        picking.move_ids.quantity = 3.0
        self._hold_customer()
        self._validate(picking)
        picking.with_user(self.controller).credit_release("Ship what is ready")
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.backorder_ids.move_ids.product_uom_qty, 2.0)
        self.assertEqual(picking.backorder_ids.credit_status, "none")

    def test_auto_release_after_payment_validates(self):
        picking = self._delivery()
        invoice = self._invoice(self.customer, 1200.0)
        self.assertTrue(self.customer.on_hold)
        self._validate(picking)
        self.assertHeld(picking, "over_limit")
        self._register_payment(invoice)
        self.assertFalse(self.customer.on_hold)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.credit_status, "none")
        self.assertFalse(picking.credit_held_reason_codes)
        self.assertFalse(picking.activity_ids)

    def test_auto_release_that_cannot_validate_keeps_it_held(self):
        picking = self._delivery()
        self._hold_customer()
        self._validate(picking)
        # the goods were given to another order meanwhile: nothing reserved
        picking.with_user(self.stock_user).do_unreserve()
        self.customer.with_user(self.controller).action_credit_hold_automatic()
        self.assertFalse(self.customer.on_hold)
        self.assertHeld(picking, "enforced", state="confirmed")
        self.assertIn("could not be carried through", picking.message_ids[0].body)
        # the failed attempt leaves no mark: checked again when validated
        self._hold_customer()
        picking.with_user(self.stock_user).action_assign()
        self._validate(picking)
        self.assertHeld(picking, "enforced")

    def test_validated_later_leaves_the_held_list(self):
        self.company.credit_hold_auto_release = False
        picking = self._delivery()
        self._hold_customer()
        self._validate(picking)
        self.customer.with_user(self.controller).action_credit_hold_automatic()
        self.assertEqual(picking.state, "assigned")
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.credit_status, "none")
        self.assertFalse(picking.activity_ids)

    def test_cancel_check_and_cancel_forget_the_hold(self):
        first, second = self._delivery(), self._delivery()
        self._hold_customer()
        self._validate(first | second)
        first.with_user(self.controller).action_credit_cancel_check()
        self.assertEqual(first.credit_status, "none")
        self.assertEqual(first.state, "assigned")
        second.with_user(self.stock_user).action_cancel()
        self.assertEqual(second.state, "cancel")
        self.assertEqual(second.credit_status, "none")
        self.assertFalse(second.activity_ids)

    # ------------------------------------------------------------------
    # Held documents list
    # ------------------------------------------------------------------

    def test_held_delivery_in_the_held_list(self):
        picking = self._delivery(price=40.0)
        self._invoice(self.customer, 1200.0)
        self._validate(picking)
        rows = self.env["credit.hold.document"].with_user(self.controller).search([("document_type", "=", "delivery")])
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.res_model, "stock.picking")
        self.assertEqual(rows.res_id, picking.id)
        self.assertEqual(rows.name, picking.name)
        self.assertEqual(rows.partner_id, self.customer)
        self.assertEqual(rows.user_id, self.salesman)
        self.assertEqual(rows.amount, 200.0)
        self.assertEqual(rows.credit_status, "held")
        self.assertEqual(rows.reason_code, "over_limit")
        self.assertEqual(rows.partner_total_balance, 1200.0)
        # exposure: the balance and the order, confirmed and not invoiced
        self.assertEqual(rows.partner_exposure, 1400.0)
        self.assertEqual(rows._documents(), [picking])
        # the list's bulk release (its reason wizard) validates it
        action = rows.with_user(self.controller).action_release_documents()
        wizard_form = Form(self.env[action["res_model"]].with_user(self.controller).with_context(**action["context"]))
        wizard_form.reason = "Bulk release"
        result = wizard_form.save().action_release()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(picking.state, "done")
        row = self.env["credit.hold.document"].search([("document_type", "=", "delivery"), ("res_id", "=", picking.id)])
        self.assertEqual(row.credit_status, "released")
