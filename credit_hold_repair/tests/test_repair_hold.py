# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.addons.credit_hold.compat import PRODUCT_CREATES_REPAIR, USER_GROUPS
from odoo.addons.credit_hold.tests.common import CreditHoldCommon
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRepairHold(CreditHoldCommon):
    """Repair orders of a customer on hold stay drafts, credit-held (R10)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_hold_prevent_repairs = True
        # repair's own tests act as a user of the Inventory group
        cls.technician = new_test_user(
            cls.env,
            login="ch_technician",
            email="technician@company.example.com",
            groups="base.group_user,base.group_partner_manager,stock.group_stock_user",
            company_id=cls.company.id,
        )
        # releasing a repair confirms it: the controller works in Inventory too
        cls.controller[USER_GROUPS] |= cls.env.ref("stock.group_stock_user")
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.broken = cls.env["product.product"].create({"name": "Coffee Machine", "type": "consu"})

    def _repair(self, partner, user=None, **vals):
        """A draft repair order entered by ``user`` (the technician)."""
        return (
            self.env["repair.order"]
            .with_user(user or self.technician)
            .create(
                {
                    "product_id": self.broken.id,
                    "product_uom": self.broken.uom_id.id,
                    "picking_type_id": self.warehouse.repair_type_id.id,
                    "partner_id": partner.id if partner else False,
                    **vals,
                }
            )
        )

    def _put_on_hold(self):
        """The customer goes over its limit of 1,000 with a posted invoice."""
        invoice = self._invoice(self.customer, 1500.0)
        self.assertTrue(self.customer.on_hold)
        return invoice

    def _activities(self, doc):
        return doc.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("credit_hold.mail_activity_type_credit_hold")
        )

    def test_confirm_of_customer_on_hold_is_held(self):
        self._put_on_hold()
        repair = self._repair(self.contact)
        result = repair.with_user(self.technician).action_validate()
        self.assertEqual(repair.state, "draft")
        self.assertEqual(repair.credit_status, "held")
        self.assertEqual(repair.credit_partner_id, self.customer)
        self.assertIn("Over credit limit", repair.credit_held_reason)
        # the user is told, with a notification (not an exception that would roll the hold back)
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(repair.name, result["params"]["message"])
        self.assertIn("Credit hold", repair.message_ids[0].body)
        self.assertEqual(len(self._activities(repair)), 1)

    def test_every_confirmation_path_is_held(self):
        self._put_on_hold()
        # RPC-style: the private confirmation itself, and Start Repair on a draft
        repair = self._repair(self.customer)
        result = repair.with_user(self.technician)._action_repair_confirm()
        self.assertEqual((repair.state, repair.credit_status), ("draft", "held"))
        self.assertEqual(result["tag"], "display_notification")
        started = self._repair(self.customer)
        started.with_user(self.technician).action_repair_start()
        self.assertEqual((started.state, started.credit_status), ("draft", "held"))
        # writing the state is refused with the reason, not a way around the hold
        written = self._repair(self.customer)
        with self.assertRaisesRegex(UserError, "cannot be confirmed"):
            written.with_user(self.technician).write({"state": "confirmed"})
        # nor can a technician write the credit status
        with self.assertRaises(AccessError):
            repair.with_user(self.technician).write({"credit_status": "released"})

    def test_insufficient_quantity_wizard_holds_too(self):
        self._put_on_hold()
        storable = self.env["product.product"].create({"name": "Espresso Machine", "is_storable": True})
        repair = self._repair(self.customer, product_id=storable.id, product_uom=storable.uom_id.id)
        action = repair.with_user(self.technician).action_validate()
        self.assertEqual(action["res_model"], "stock.warn.insufficient.qty.repair")
        wizard = self.env[action["res_model"]].with_user(self.technician).with_context(**action["context"]).create({})
        result = wizard.action_done()
        self.assertEqual((repair.state, repair.credit_status), ("draft", "held"))
        self.assertEqual(result["tag"], "display_notification")

    def test_each_repair_decided_on_its_own(self):
        self._put_on_hold()
        other = self.env["res.partner"].create({"name": "Good Payer", "is_company": True})
        held = self._repair(self.customer)
        passing = self._repair(other)
        result = (held | passing).with_user(self.technician)._action_repair_confirm()
        self.assertEqual((held.state, held.credit_status), ("draft", "held"))
        self.assertEqual((passing.state, passing.credit_status), ("confirmed", "none"))
        self.assertEqual(result["params"]["title"], "1 held, 1 went through")

    def test_repair_of_a_released_order_is_not_held_again(self):
        self._put_on_hold()
        self.service.write(PRODUCT_CREATES_REPAIR)
        order = self._order(self.customer, 300.0).with_env(self.env)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.credit_status, "held")
        self.assertFalse(order.repair_order_ids)
        # the order's release was the credit check: Odoo's repair comes confirmed
        order.with_user(self.controller).credit_release("Urgent repair")
        repair = order.repair_order_ids
        self.assertEqual(len(repair), 1)
        self.assertEqual((repair.state, repair.credit_status), ("confirmed", "none"))

    def test_customer_not_on_hold_is_confirmed(self):
        repair = self._repair(self.customer)
        self.assertIs(repair.with_user(self.technician).action_validate(), True)
        self.assertEqual((repair.state, repair.credit_status), ("confirmed", "none"))

    def test_warranty_and_no_customer_are_never_held(self):
        self._put_on_hold()
        warranty = self._repair(self.customer, under_warranty=True)
        warranty.with_user(self.technician).action_validate()
        self.assertEqual((warranty.state, warranty.credit_status), ("confirmed", "none"))
        internal = self._repair(False)
        internal.with_user(self.technician).action_validate()
        self.assertEqual((internal.state, internal.credit_status), ("confirmed", "none"))

    def test_warranty_is_no_switch(self):
        """Confirmed under warranty (exempt), then warranty unticked and
        started: refused for the technician, allowed for a controller."""
        self._put_on_hold()
        repair = self._repair(self.customer, under_warranty=True)
        repair.with_user(self.technician).action_validate()
        self.assertEqual(repair.state, "confirmed")
        with self.assertRaises(UserError):
            repair.with_user(self.technician).write({"under_warranty": False})
        self.assertTrue(repair.under_warranty)
        repair.with_user(self.technician).action_repair_start()
        with self.assertRaises(UserError):
            repair.with_user(self.technician).write({"under_warranty": False})
        repair.with_user(self.controller).write({"under_warranty": False})
        self.assertFalse(repair.under_warranty)

    def test_switches_off_hold_nothing(self):
        self._put_on_hold()
        self.company.credit_hold_prevent_repairs = False
        repair = self._repair(self.customer)
        repair.with_user(self.technician).action_validate()
        self.assertEqual((repair.state, repair.credit_status), ("confirmed", "none"))
        self.company.write({"credit_hold_prevent_repairs": True, "credit_hold_enabled": False})
        repair = self._repair(self.customer)
        repair.with_user(self.technician).action_validate()
        self.assertEqual((repair.state, repair.credit_status), ("confirmed", "none"))

    def test_release_confirms(self):
        self._put_on_hold()
        repair = self._repair(self.customer)
        repair.with_user(self.technician).action_validate()
        with self.assertRaises(AccessError):
            repair.with_user(self.technician).credit_release("I say so")
        repair.with_user(self.controller).credit_release("Paid by wire this morning")
        self.assertEqual(repair.state, "confirmed")
        self.assertEqual(repair.credit_status, "released")
        self.assertEqual(repair.credit_released_uid, self.controller)
        self.assertEqual(repair.credit_release_reason, "Paid by wire this morning")
        self.assertFalse(self._activities(repair))
        self.assertTrue(repair.message_ids.filtered(lambda m: "released by" in (m.body or "")))
        # the customer is still on hold: the release is what let it through
        self.assertTrue(self.customer.on_hold)

    def test_held_repair_in_held_documents(self):
        self._put_on_hold()
        repair = self._repair(self.contact)
        repair.with_user(self.technician).action_validate()
        documents = self.env["credit.hold.document"].with_user(self.controller)
        row = documents.search([("res_model", "=", "repair.order"), ("res_id", "=", repair.id)])
        self.assertEqual(len(row), 1)
        self.assertEqual(row.document_type, "repair")
        self.assertEqual(row.name, repair.name)
        self.assertEqual(row.partner_id, self.customer)
        self.assertEqual(row.credit_status, "held")
        self.assertEqual(row.amount, 0.0)
        self.assertEqual(row.partner_credit_limit, 1000.0)
        self.assertEqual(row.partner_total_balance, 1500.0)
        self.assertIn("Over credit limit", row.credit_held_reason)
        self.assertEqual(documents.search([("document_type", "=", "repair")]), row)
        # the list's actions reach the repair itself
        self.assertEqual(row._documents(), [repair])
        row.action_cancel_check_documents()
        self.assertEqual((repair.state, repair.credit_status), ("draft", "none"))

    def test_auto_release_after_payment_confirms(self):
        invoice = self._put_on_hold()
        repair = self._repair(self.customer)
        repair.with_user(self.technician).action_validate()
        self.assertEqual(repair.credit_status, "held")
        self._register_payment(invoice)
        self.assertFalse(self.customer.on_hold)
        self.assertEqual(repair.state, "confirmed")
        self.assertEqual(repair.credit_status, "none")
        self.assertFalse(self._activities(repair))

    def test_a_limit_raised_by_an_office_controller_triggers_the_job(self):
        """A credit controller without Inventory rights raises the limit: the
        held repair is not theirs to confirm, so the credit-hold job is
        triggered at once and confirms it as its user; the chatter names what
        lifted the hold."""
        office = new_test_user(
            self.env,
            login="ch_office_controller",
            groups="base.group_user,base.group_partner_manager,credit_hold.group_credit_controller",
            company_id=self.company.id,
        )
        self._put_on_hold()
        repair = self._repair(self.customer)
        repair.with_user(self.technician).action_validate()
        self.assertEqual(repair.credit_status, "held")
        cron = self.env.ref("credit_hold.ir_cron_credit_hold_carry_through")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.customer.with_user(office).credit_limit = 5000.0
        self.assertFalse(self.customer.on_hold)
        self.assertEqual(repair.state, "draft")
        self.assertEqual(repair.credit_status, "held")
        self.assertIn("credit settings changed by", repair.message_ids[0].body)
        self.assertIn("credit-hold job", repair.message_ids[0].body)
        new_triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers
        self.assertEqual(len(new_triggers), 1)
        self.assertLessEqual(new_triggers.call_at, fields.Datetime.now())
        # the job, as its user
        self._run_cron_job("credit_hold.ir_cron_credit_hold_carry_through")
        self.assertEqual(repair.state, "confirmed")
        self.assertEqual(repair.credit_status, "none")
        self.assertTrue(any("carried through automatically" in m.body for m in repair.message_ids))

    def test_confirm_again_after_hold_lifted_leaves_the_list(self):
        self.company.credit_hold_auto_release = False
        invoice = self._put_on_hold()
        repair = self._repair(self.customer)
        repair.with_user(self.technician).action_validate()
        self._register_payment(invoice)
        self.assertEqual(repair.state, "draft")  # no automatic release
        repair.with_user(self.technician).action_validate()
        self.assertEqual((repair.state, repair.credit_status), ("confirmed", "none"))

    def test_rehold_and_cancel_check(self):
        self._put_on_hold()
        repair = self._repair(self.customer)
        repair.with_user(self.technician).action_validate()
        repair.with_user(self.controller).credit_release("Trusted")
        self.assertEqual(repair.state, "confirmed")
        # hold again: back to a draft, held
        repair.with_user(self.controller).action_credit_hold()
        self.assertEqual((repair.state, repair.credit_status), ("draft", "held"))
        self.assertEqual(len(self._activities(repair)), 1)
        # released again, then the check cancelled: a draft, off the list
        repair.with_user(self.controller).credit_release("Trusted again")
        repair.with_user(self.controller).action_credit_cancel_check()
        self.assertEqual((repair.state, repair.credit_status), ("draft", "none"))
        documents = self.env["credit.hold.document"]
        self.assertFalse(documents.search([("res_id", "=", repair.id), ("document_type", "=", "repair")]))
        # a started repair cannot be stopped any more
        repair.with_user(self.technician).action_validate()  # customer still on hold
        repair.with_user(self.controller).credit_release("Go")
        repair.with_user(self.technician).action_repair_start()
        self.assertEqual(repair.state, "under_repair")
        with self.assertRaises(UserError):
            repair.with_user(self.controller).action_credit_hold()
        with self.assertRaises(UserError):
            repair.with_user(self.controller).action_credit_cancel_check()

    def test_cancel_forgets_the_hold(self):
        self._put_on_hold()
        repair = self._repair(self.customer)
        repair.with_user(self.technician).action_validate()
        repair.with_user(self.technician).action_repair_cancel()
        self.assertEqual((repair.state, repair.credit_status), ("cancel", "none"))
        self.assertFalse(self._activities(repair))
        # back to draft and confirmed again: checked again
        repair.with_user(self.technician).action_repair_cancel_draft()
        repair.with_user(self.technician).action_validate()
        self.assertEqual((repair.state, repair.credit_status), ("draft", "held"))

    def test_warning_banner_on_draft_of_customer_on_hold(self):
        self._put_on_hold()
        repair = self._repair(self.customer)
        self.assertTrue(repair.credit_warning)
        self.assertIn("would hold it", repair.credit_warning_message)
        repair.under_warranty = True
        self.assertFalse(repair.credit_warning)
