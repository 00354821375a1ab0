# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the screens say (issue "The controller's day"): words and formatted
amounts, never codes; one banner that says what is true; the controls where
a controller looks for them."""

from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import CreditHoldCommon


@tagged("post_install", "-at_install")
class TestScreens(CreditHoldCommon):
    def _partner_form_arch(self):
        views = self.env["res.partner"].with_user(self.controller).get_views([(False, "form")])
        return etree.fromstring(views["views"]["form"]["arch"])

    def test_temporary_limit_is_on_the_credit_tab_not_in_the_banner(self):
        arch = self._partner_form_arch()
        for name in ("credit_temp_limit", "credit_temp_limit_end", "credit_temp_limit_reason"):
            self.assertTrue(arch.xpath(f"//page[@name='credit_hold']//field[@name='{name}']"), name)
            self.assertFalse(arch.xpath(f"//div[@name='credit_warning_alert']//field[@name='{name}']"), name)
        for button in ("action_credit_temp_limit", "action_credit_temp_limit_end"):
            self.assertTrue(arch.xpath(f"//page[@name='credit_hold']//button[@name='{button}']"), button)
        # the warning sentence is whole again
        banner = arch.xpath("//div[@name='credit_warning_alert']")[0]
        self.assertEqual([f.get("name") for f in banner.iter("field")], ["credit_exposure", "credit_effective_limit"])

    def test_customer_buttons_say_what_they_do(self):
        arch = self._partner_form_arch()
        labels = {b.get("name"): b.get("string") for b in arch.xpath("//page[@name='credit_hold']//button")}
        self.assertEqual(labels["action_credit_hold_enforce_on"], "Enforce On Hold")
        self.assertEqual(labels["action_credit_hold_enforce_off"], "Enforce Off Hold")
        self.assertEqual(labels["action_credit_hold_automatic"], "Back to Automatic")

    def test_release_wizard_lists_the_documents(self):
        order = self._order(self.customer, 1500.0, confirm=True)
        action = order.with_user(self.controller).action_credit_release()
        wizard = Form(self.env[action["res_model"]].with_user(self.controller).with_context(**action["context"]))
        self.assertIn(order.name, wizard.document_names)
        self.assertIn("Over credit limit", wizard.document_names)

    def test_notification_and_release_note_read_as_sentences(self):
        order = self._order(self.customer, 5000.0)
        result = order.with_user(self.salesman).action_confirm()
        message = result["params"]["message"]
        # each document's line ends with a full stop before the next sentence
        self.assertIn("1,000.00.\nA credit controller", message)
        self.assertNotIn("..", message)
        order.with_user(self.controller).credit_release("Approved by the sales director.")
        note = order.message_ids.filtered(lambda m: "released by" in (m.body or ""))[:1].body
        self.assertIn("sales director. Before this release: exposure", note)
        self.assertNotIn("..", note)

    def test_a_refused_document_is_named_once(self):
        self.company.credit_hold_release_authority = True
        order = self._order(self.customer, 5000.0, confirm=True)
        rows = self.env["credit.hold.document"].search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])
        wizard = Form(
            self.env["credit.hold.release"]
            .with_user(self.controller)
            .with_context(active_model="credit.hold.document", active_ids=rows.ids)
        )
        wizard.reason = "Try"
        message = wizard.save().action_release()["params"]["message"]
        self.assertEqual(message.count(order.name), 1, message)

    def test_analysis_measures_have_labels_and_no_codes(self):
        described = self.env["credit.hold.document"].fields_get(attributes=["string", "aggregator", "type"])
        measures = {name: d["string"] for name, d in described.items() if d.get("aggregator")}
        self.assertNotIn("res_id", measures)
        for name, label in measures.items():
            self.assertNotIn("_", label, name)
            self.assertGreater(len(label), 3, name)

    def test_a_draft_invoice_reads_as_odoo_names_it(self):
        self.company.credit_hold_prevent_invoices = True
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        invoice = self._invoice(self.customer, 100.0, post=False)
        invoice.action_post()
        row = self.env["credit.hold.document"].search([("res_model", "=", "account.move"), ("res_id", "=", invoice.id)])
        self.assertEqual(row.display_name, invoice.display_name)
        self.assertNotIn("(*", row.display_name)

    def test_temporary_limit_error_gives_formatted_amounts(self):
        with self.assertRaisesRegex(ValidationError, r"\$\xa0800\.00.*\$\xa01,000\.00"):
            self.customer.with_user(self.controller)._credit_hold_grant_temp_limit(
                800.0, fields.Date.today() + timedelta(days=5), "Too low"
            )

    def test_customers_on_hold_graph_groups_by_words(self):
        """The graph and the group-by read a selection (labels in the reader's
        language), never the stored codes."""
        view = self.env.ref("credit_hold.res_partner_view_graph_credit_hold")
        arch = etree.fromstring(view.arch)
        grouped = [field.get("name") for field in arch.iter("field")]
        self.assertNotIn("credit_hold_reason_codes", grouped)
        for name in grouped:
            self.assertEqual(self.env["res.partner"]._fields[name].type, "selection", name)
        self.customer.with_user(self.controller).action_credit_hold_enforce_on()
        groups = self.env["res.partner"]._read_group(
            [("id", "=", self.customer.id)], ["credit_hold_main_reason"], ["__count"]
        )
        self.assertEqual(groups, [("enforced", 1)])
        labels = dict(self.env["res.partner"]._fields["credit_hold_main_reason"]._description_selection(self.env))
        self.assertEqual(labels["enforced"], "Put on hold by a credit controller")
