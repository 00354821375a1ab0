# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CreditHoldCommon


@tagged("post_install", "-at_install")
class TestWorkspace(CreditHoldCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # documents stay held for these tests even when the customer is clear again
        cls.company.write({"credit_hold_prevent_invoices": True, "credit_hold_auto_release": False})
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.company_b.write({"credit_hold_enabled": True, "credit_hold_prevent_invoices": True})
        cls.customer.with_company(cls.company_b).credit_limit = 100.0
        cls.controller_a = new_test_user(
            cls.env,
            login="ch_controller_a",
            email="controller_a@company.example.com",
            groups="base.group_user,base.group_partner_manager,credit_hold.group_credit_controller",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        # held: two orders and an invoice in company A, an order in company B
        cls.order_1 = cls._order(cls.customer, 1500.0)
        cls.order_2 = cls._order(cls.customer, 2500.0)
        (cls.order_1 | cls.order_2).action_confirm()
        cls.customer.action_credit_hold_enforce_on()
        cls.invoice = cls._invoice(cls.customer, 50.0)
        cls.customer.action_credit_hold_automatic()
        cls.order_b = (
            cls.env["sale.order"]
            .with_company(cls.company_b)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company_b.id,
                    "order_line": [Command.create({"product_id": cls.service.id, "price_unit": 500.0})],
                }
            )
        )
        cls.order_b.action_confirm()

    def _rows(self, user=None, domain=None):
        """What ``user`` (default: the accounting administrator) sees with all
        of its companies selected in the company switcher."""
        user = user or self.env.user
        model = self.env["credit.hold.document"].with_user(user).with_context(allowed_company_ids=user.company_ids.ids)
        return model.search(domain or [])

    def _filter_domain(self, name):
        arch = self.env["credit.hold.document"].get_view(view_type="search")["arch"]
        node = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")[0]
        return safe_eval(node.get("domain"))

    def test_held_list_has_exactly_the_held_documents(self):
        orders = (self.order_1 | self.order_2 | self.order_b).sudo()  # order_b is in company B
        self.assertEqual(orders.mapped("credit_status"), ["held", "held", "held"])
        self.assertEqual(self.invoice.credit_status, "held")
        rows = self._rows(domain=self._filter_domain("held"))
        self.assertEqual(
            sorted((r.res_model, r.res_id) for r in rows),
            sorted(
                [("sale.order", o.id) for o in self.order_1 | self.order_2 | self.order_b]
                + [("account.move", self.invoice.id)]
            ),
        )
        row = rows.filtered(lambda r: r.res_id == self.order_2.id and r.res_model == "sale.order")
        self.assertEqual(row.amount, 2500.0)
        self.assertEqual(row.partner_id, self.customer)
        self.assertEqual(row.document_type, "order")
        self.assertIn("Over credit limit", row.credit_held_reason)
        self.assertEqual(row.partner_credit_limit, 1000.0)
        self.assertEqual(row.partner_available, 1000.0)
        # newest first
        self.assertEqual(rows[0].credit_held_date, max(rows.mapped("credit_held_date")))

    def test_each_document_model_declares_its_row_once(self):
        documents = self.env["credit.hold.document"]
        kinds = documents._credit_hold_document_types()
        self.assertEqual(
            kinds[:2],
            [("order", "Sales Order", "sale.order"), ("invoice", "Customer Invoice", "account.move")],
        )
        # what the list reads of each model is flushed before it is searched
        for _kind, _label, model in kinds:
            self.assertTrue({"credit_status", "credit_held_reasons", "company_id"} <= set(documents._depends[model]))
        self.assertIn("amount_total_signed", documents._depends["account.move"])
        # a pending write of a document's row is seen by the list, unflushed
        self.order_2.sudo().write({"name": "SO-RENAMED"})
        row = self._rows(domain=[("res_model", "=", "sale.order"), ("res_id", "=", self.order_2.id)])
        self.assertEqual(row.name, "SO-RENAMED")
        self.assertEqual(row.id, self.order_2.id * 16)

    def test_controller_of_company_a_sees_only_company_a(self):
        rows = self._rows(self.controller_a)
        self.assertEqual(set(rows.mapped("company_id")), {self.company})
        self.assertEqual(len(rows), 3)
        admin_rows = self._rows(self.env.user)
        self.assertEqual(set(admin_rows.mapped("company_id")), {self.company, self.company_b})

    def test_salesperson_is_denied(self):
        with self.assertRaises(AccessError):
            self.env["credit.hold.document"].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.env["credit.hold.release"].with_user(self.salesman).with_context(
                active_model="sale.order", active_ids=self.order_1.ids
            ).create({"reason": "please"})
        # the menu is not even shown
        menus = self.env["ir.ui.menu"].with_user(self.salesman)._visible_menu_ids()
        self.assertNotIn(self.env.ref("credit_hold.credit_hold_menu_root").id, menus)
        controller_menus = self.env["ir.ui.menu"].with_user(self.controller_a)._visible_menu_ids()
        self.assertIn(self.env.ref("credit_hold.credit_hold_menu_root").id, controller_menus)
        self.assertIn(self.env.ref("credit_hold.credit_hold_document_menu").id, controller_menus)
        self.assertNotIn(self.env.ref("credit_hold.credit_hold_config_menu").id, controller_menus)
        admin_menus = self.env["ir.ui.menu"]._visible_menu_ids()
        self.assertIn(self.env.ref("credit_hold.credit_hold_config_menu").id, admin_menus)

    def test_filters_held_released_all(self):
        held, released = self._filter_domain("held"), self._filter_domain("released")
        self.assertEqual(len(self._rows(domain=held)), 4)
        self.assertEqual(len(self._rows(domain=released)), 0)
        self.order_1.with_user(self.controller).credit_release("ok")
        self.assertEqual(len(self._rows(domain=held)), 3)
        self.assertEqual(len(self._rows(domain=released)), 1)
        self.assertEqual(len(self._rows()), 4)  # "All": no filter

    def test_bulk_release_three_documents_with_one_reason(self):
        rows = self._rows(self.controller_a)
        self.assertEqual(len(rows), 3)
        action = rows.action_release_documents()
        wizard_form = Form(self.env[action["res_model"]].with_user(self.controller_a).with_context(**action["context"]))
        wizard_form.reason = "Board approved the exposure"
        result = wizard_form.save().action_release()
        self.assertEqual(result["params"]["type"], "success")
        self.assertIn("3 released", result["params"]["message"])
        for doc in (self.order_1, self.order_2, self.invoice):
            self.assertEqual(doc.credit_status, "released")
            self.assertEqual(doc.credit_release_reason, "Board approved the exposure")
            self.assertEqual(doc.credit_released_uid, self.controller_a)
            self.assertFalse(
                doc.activity_ids.filtered(
                    lambda a: a.activity_type_id == self.env.ref("credit_hold.mail_activity_type_credit_hold")
                )
            )
        self.assertEqual((self.order_1 | self.order_2).mapped("state"), ["sale", "sale"])
        self.assertEqual(self.invoice.state, "posted")

    def test_bulk_hold_and_cancel_decide_each_document(self):
        self.order_1.with_user(self.controller).credit_release("ok")
        rows = self._rows(self.controller_a)
        # only the released order can be held again: the others are reported, not lost
        result = rows.action_hold_documents()
        self.assertIn("1 held again", result["params"]["message"])
        self.assertIn("2 not processed", result["params"]["message"])
        self.assertEqual(self.order_1.credit_status, "held")
        result = rows.action_cancel_check_documents()
        self.assertIn("3 credit check cancelled", result["params"]["message"])
        self.assertEqual((self.order_1 | self.order_2).mapped("credit_status"), ["none", "none"])
        self.assertEqual(self.invoice.credit_status, "none")
        self.assertEqual(len(self._rows(self.controller_a)), 0)

    def test_salesperson_cannot_use_the_list_actions(self):
        rows = self._rows(self.controller_a)
        as_salesman = rows.with_user(self.salesman).with_context(allowed_company_ids=self.company.ids)
        for action in ("action_hold_documents", "action_cancel_check_documents"):
            with self.assertRaises(AccessError):
                getattr(as_salesman, action)()
        self.assertEqual(self.order_2.credit_status, "held")

    def test_open_document_from_the_list(self):
        row = self._rows(domain=[("res_model", "=", "account.move")])
        action = row.action_open_document()
        self.assertEqual((action["res_model"], action["res_id"]), ("account.move", self.invoice.id))

    def test_smart_buttons(self):
        self.assertEqual(self.customer.credit_held_document_count, 3)
        self.assertEqual(self.customer.with_company(self.company_b).credit_held_document_count, 1)
        action = self.customer.action_view_credit_held_documents()
        self.assertEqual(len(self.env["credit.hold.document"].search(action["domain"])), 4)
        late = self._invoice(self.customer, 10.0, due="2020-01-01")
        overdue = self.env["account.move"].search(self.customer.action_view_overdue_invoices()["domain"])
        self.assertEqual(overdue, late)

    def test_customers_on_hold_list(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_hold.res_partner_credit_hold_action")
        self.customer.with_user(self.controller_a).action_credit_hold_enforce_on()
        arch = self.env["res.partner"].get_view(view_type="search")["arch"]
        on_hold = safe_eval(etree.fromstring(arch).xpath("//filter[@name='credit_on_hold']")[0].get("domain"))
        found = self.env["res.partner"].search(safe_eval(action["domain"]) + on_hold)
        self.assertIn(self.customer, found)
        # list buttons act on the selection, for controllers only
        found.with_user(self.controller_a).action_credit_hold_automatic()
        self.assertEqual(self.customer.on_hold_type, "automatic")
        with self.assertRaises(AccessError):
            found.with_user(self.salesman).action_credit_hold_enforce_on()


@tagged("post_install", "-at_install")
class TestNotifications(CreditHoldCommon):
    def _mails(self):
        template = self.env.ref("credit_hold.mail_template_credit_hold_on")
        return (
            self.env["mail.mail"]
            .search([("model", "=", "res.partner"), ("subject", "ilike", "credit hold")])
            .filtered(lambda m: m.mail_message_id.model == "res.partner" or template)
        )

    def test_email_to_the_notification_list_on_hold(self):
        treasurer = self.env["res.partner"].create({"name": "Treasurer", "email": "treasurer@company.example.com"})
        self.company.credit_hold_notify_partner_ids = treasurer
        before = self._mails()
        self._invoice(self.customer, 1000.0)
        mails = self._mails() - before
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, treasurer)
        self.assertIn("Credit Customer is on credit hold", mails.subject)
        self.assertIn("Over credit limit", mails.body_html)
        # nothing changed: no second e-mail
        self._invoice(self.customer, 10.0)
        self.customer.action_evaluate_credit_hold()
        self.assertEqual(len(self._mails() - before), 1)

    def test_no_email_without_a_list(self):
        before = self._mails()
        self._invoice(self.customer, 1000.0)
        self.assertTrue(self.customer.on_hold)
        self.assertFalse(self._mails() - before)

    def test_chatter_message_on_and_off(self):
        invoice = self._invoice(self.customer, 1000.0)
        self.assertIn("Put on credit hold", self.customer.message_ids[0].body)
        self.assertIn("Over credit limit", self.customer.message_ids[0].body)
        self._register_payment(invoice)
        self.assertIn("Credit hold lifted", self.customer.message_ids[0].body)

    def test_new_customer_held_until_first_payment(self):
        self.company.credit_hold_new_customers = True
        partner = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .with_context(res_partner_search_mode="customer")
            .create({"name": "Brand New Ltd", "is_company": True})
        )
        self.assertTrue(partner.on_hold)
        self.assertEqual(partner.credit_hold_reason, "New customer: awaiting first payment")
        order = self._order(partner, 100.0)
        order.action_confirm()
        self.assertEqual(order.credit_status, "held")
        self.assertIn("New customer", order.credit_held_reason)
        # a vendor (not created as a customer) is not held
        vendor = self.env["res.partner"].create({"name": "Vendor Co", "is_company": True})
        self.assertFalse(vendor.on_hold)
        # the first payment, reconciled, lifts the hold and releases the order
        invoice = self._invoice(partner, 100.0)
        self._register_payment(invoice)
        self.assertFalse(partner.on_hold)
        self.assertFalse(partner.credit_hold_awaiting_payment)
        self.assertEqual(order.state, "sale")

    def test_new_customer_hold_overridden_by_controller(self):
        self.company.credit_hold_new_customers = True
        partner = (
            self.env["res.partner"]
            .with_context(res_partner_search_mode="customer")
            .create({"name": "Known Ltd", "is_company": True})
        )
        self.assertTrue(partner.on_hold)
        partner.with_user(self.controller).action_credit_hold_enforce_off()
        self.assertFalse(partner.on_hold)
