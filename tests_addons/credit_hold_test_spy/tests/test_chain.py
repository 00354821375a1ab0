# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The hold as the rest of Odoo sees it, on a registry loaded from a database
where the addons were installed before (the class chain of a running server):
modules loaded after credit_hold (sale_management, sale_loyalty, event_sale,
this addon's spy) never act on a held document, and act exactly once on a
released one."""

from odoo import Command, fields
from odoo.addons.credit_hold.compat import SOL_TAXES
from odoo.addons.credit_hold.tests.common import CreditHoldCommon
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.spy import CALLS


@tagged("post_install", "-at_install", "credit_hold_spy")
class TestChain(CreditHoldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mail_template = cls.env.ref("sale.mail_template_sale_confirmation")
        # set up by the apps' administrators (the test user is one on 18.0 only)
        admin = cls.env(su=True)
        cls.quotation_template = (
            admin["sale.order.template"]
            .create({"name": "With a confirmation e-mail", "mail_template_id": cls.mail_template.id})
            .with_env(cls.env)
        )
        cls.customer.email = "customer@example.com"
        cls.event = (
            admin["event.event"]
            .create(
                {
                    "name": "Credit seminar",
                    "date_begin": fields.Datetime.now(),
                    "date_end": fields.Datetime.add(fields.Datetime.now(), days=1),
                }
            )
            .with_env(cls.env)
        )
        cls.event_product = cls.env.ref("event_product.product_product_event")
        cls.ticket = (
            admin["event.event.ticket"]
            .create({"name": "Seat", "event_id": cls.event.id, "product_id": cls.event_product.id, "price": 600.0})
            .with_env(cls.env)
        )
        cls.loyalty = (
            admin["loyalty.program"]
            .create(
                {
                    "name": "Points",
                    "program_type": "loyalty",
                    "trigger": "auto",
                    "applies_on": "both",
                    "rule_ids": [Command.create({"reward_point_mode": "unit", "reward_point_amount": 1})],
                    "reward_ids": [
                        Command.create(
                            {
                                "reward_type": "discount",
                                "discount": 1,
                                "discount_mode": "percent",
                                "discount_applicability": "order",
                                "required_points": 1000,
                            }
                        )
                    ],
                }
            )
            .with_env(cls.env)
        )

    def setUp(self):
        super().setUp()
        for calls in CALLS.values():
            calls.clear()

    # ------------------------------------------------------------------

    def _template_mails(self, order):
        """The quotation template's confirmation e-mails posted on the order."""
        # message_post_with_source, subtype "Discussions" (our notes are "Note")
        return order.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_comment"))

    def _event_order(self, seats=2):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.salesman.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.event_product.id,
                            "event_id": self.event.id,
                            "event_ticket_id": self.ticket.id,
                            "product_uom_qty": seats,
                            "price_unit": 600.0,
                            SOL_TAXES: [Command.clear()],
                        }
                    )
                ],
            }
        )
        return order

    def _points(self):
        card = self.env["loyalty.card"].search(
            [("partner_id", "=", self.customer.id), ("program_id", "=", self.loyalty.id)]
        )
        return sum(card.mapped("points"))

    # ------------------------------------------------------------------

    def test_the_decision_is_first_in_the_chain(self):
        """On this registry the modules loaded after credit_hold sit above its
        classes, and the decision sits above them all."""
        cls = type(self.env["sale.order"])
        self.assertTrue(cls.__dict__["action_confirm"].credit_hold_entry_point)
        self.assertTrue(type(self.env["account.move"]).__dict__["_post"].credit_hold_entry_point)
        modules = [klass.__module__ for klass in cls.__mro__[1:] if "action_confirm" in klass.__dict__]
        spy = modules.index("odoo.addons.credit_hold_test_spy.models.spy")
        sale = modules.index("odoo.addons.sale.models.sale_order")
        self.assertLess(spy, sale)
        self.assertLess(modules.index("odoo.addons.sale_management.models.sale_order"), sale)

    def test_held_quotation_sends_no_template_mail_release_sends_one(self):
        order = self._order(self.customer, 1500.0)
        order.sale_order_template_id = self.quotation_template
        result = order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.credit_status, "held")
        self.assertEqual(result["tag"], "display_notification")
        self.assertFalse(self._template_mails(order))
        self.assertEqual(CALLS["action_confirm"], [])
        order.with_user(self.controller).credit_release("Known customer")
        self.assertEqual(order.state, "sale")
        self.assertEqual(len(self._template_mails(order)), 1)
        self.assertEqual(CALLS["action_confirm"], [order.id])

    def test_order_never_held_sends_the_template_mail_once(self):
        order = self._order(self.customer, 100.0)
        order.sale_order_template_id = self.quotation_template
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(len(self._template_mails(order)), 1)
        self.assertEqual(CALLS["action_confirm"], [order.id])

    def test_held_event_order_creates_no_registration_and_tells_the_user(self):
        order = self._event_order()
        result = order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.credit_status, "held")
        # the held notification, not event_sale's registration editor
        self.assertEqual(result["tag"], "display_notification")
        self.assertFalse(self.env["event.registration"].search([("sale_order_id", "=", order.id)]))
        order.with_user(self.controller).credit_release("Seminar paid at the door")
        self.assertEqual(order.state, "sale")
        self.assertEqual(len(self.env["event.registration"].search([("sale_order_id", "=", order.id)])), 2)

    def test_held_order_earns_no_points_release_earns_them_once(self):
        order = self._order(self.customer, 1500.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.credit_status, "held")
        self.assertEqual(self._points(), 0)
        order.with_user(self.controller).credit_release("Loyal customer")
        self.assertEqual(order.state, "sale")
        self.assertEqual(self._points(), 1)

    def test_automatic_release_after_a_payment_runs_every_module_once(self):
        invoice = self._invoice(self.customer, 1000.0)
        self.assertTrue(self.customer.on_hold)
        order = self._event_order(seats=1)
        order.sale_order_template_id = self.quotation_template
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.credit_status, "held")
        self.assertEqual(CALLS["action_confirm"], [])
        self._register_payment(invoice)
        self.assertFalse(self.customer.on_hold)
        self.assertEqual(order.state, "sale")
        self.assertEqual(CALLS["action_confirm"], [order.id])
        self.assertEqual(len(self._template_mails(order)), 1)
        self.assertEqual(len(self.env["event.registration"].search([("sale_order_id", "=", order.id)])), 1)
        self.assertEqual(self._points(), 1)

    def test_held_invoice_reaches_no_later_module_posted_and_released_do_once(self):
        self.company.credit_hold_prevent_invoices = True
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        held = self._invoice(self.customer, 100.0, post=False)
        held.action_post()
        self.assertEqual(held.state, "draft")
        self.assertEqual(held.credit_status, "held")
        self.assertNotIn(held.id, CALLS["_post"])
        held.with_user(self.controller).credit_release("Agreed with the customer")
        self.assertEqual(held.state, "posted")
        self.assertEqual(CALLS["_post"].count(held.id), 1)
        other = self.env["res.partner"].create({"name": "Clear Customer", "credit_limit": 10000.0})
        clear = self._invoice(other, 100.0)
        self.assertEqual(clear.state, "posted")
        self.assertEqual(CALLS["_post"].count(clear.id), 1)

    def test_a_release_mark_ends_with_the_call(self):
        """Released, cancelled, moved to another customer and confirmed again:
        checked again (the mark of the release does not outlive it)."""
        order = self._order(self.customer, 1500.0)
        order.with_user(self.salesman).action_confirm()
        order.with_user(self.controller).credit_release("One-off")
        self.assertEqual(order.state, "sale")
        order.sudo()._action_cancel()  # as a sales administrator would
        order.sudo().action_draft()
        other = self.env["res.partner"].create({"name": "Small Customer", "credit_limit": 100.0})
        order.partner_id = other
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.credit_status, "held")
        with self.assertRaises(UserError):
            order.with_user(self.salesman).write({"state": "sale"})
