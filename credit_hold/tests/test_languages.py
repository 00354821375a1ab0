# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import polib

from odoo.tests import tagged
from odoo.tools.misc import file_path, format_amount

from .common import CreditHoldCommon

# res.lang code -> the addon's .po file (Odoo reads fr.po for fr_FR, and so on)
LANGUAGES = {"fr_FR": "fr", "de_DE": "de", "es_ES": "es", "nl_NL": "nl"}


@tagged("post_install", "-at_install")
class TestLanguages(CreditHoldCommon):
    """What a user reads of a hold comes out in the user's language: the
    notification of a held order, the order's and the customer's hold reasons
    (code terms, read from the .po files at run time), and the labels, menus and
    e-mail template stored in the database (model terms, loaded with the
    language)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.po = {}
        for code, po_name in LANGUAGES.items():
            cls.env["res.lang"]._activate_lang(code)
            cls.env["ir.module.module"]._load_module_terms(["credit_hold"], [code])
            entries = polib.pofile(file_path(f"credit_hold/i18n/{po_name}.po"))
            cls.po[code] = {entry.msgid: entry.msgstr for entry in entries if entry.msgstr}
        cls.env.invalidate_all()
        cls.other = cls.env["res.partner"].create(
            {"name": "Other Customer", "is_company": True, "credit_limit": 1000.0}
        )

    def test_held_order_notification_and_reason(self):
        currency = self.company.currency_id
        for code, po in self.po.items():
            with self.subTest(lang=code):
                order = self._order(self.customer, 1200.0)
                result = order.with_user(self.salesman).with_context(lang=code).action_confirm()
                self.assertEqual(order.credit_status, "held")
                env = self.env(context=dict(self.env.context, lang=code))
                reason = po["Over credit limit: %(basis)s %(amount)s >= limit %(limit)s"] % {
                    "basis": po["exposure with this document"],
                    "amount": format_amount(env, 1200.0, currency),
                    "limit": format_amount(env, 1000.0, currency),
                }
                self.assertEqual(order.with_context(lang=code).credit_held_reason, reason)
                self.assertNotIn("credit limit", reason)
                params = result["params"]
                self.assertEqual(params["title"], po["Credit hold: not confirmed"])
                self.assertNotEqual(params["title"], "Credit hold: not confirmed")
                line = po["%(doc)s: %(reason)s."] % {"doc": order.display_name, "reason": reason}
                review = po["A credit controller has been asked to review. Nothing was lost."]
                self.assertEqual(params["message"], f"{line}\n{review}")
                # the same order read in English is in English
                self.assertIn("Over credit limit: exposure with this document", order.credit_held_reason)
                order.with_user(self.controller).action_credit_cancel_check()

    def test_customer_reason_and_reason_labels(self):
        self._invoice(self.customer, 1500.0)
        self.other.with_user(self.controller).action_credit_hold_enforce_on()
        self.assertTrue(self.customer.on_hold)
        self.assertTrue(self.other.on_hold)
        for code, po in self.po.items():
            with self.subTest(lang=code):
                self.assertEqual(self.customer.with_context(lang=code).credit_hold_reason, po["Over credit limit"])
                self.assertEqual(
                    self.other.with_context(lang=code).credit_hold_reason, po["Put on hold by a credit controller"]
                )
                labels = self.env["credit.hold.reason"].with_context(lang=code)._get_labels()
                english = self.env["credit.hold.reason"].with_context(lang="en_US")._get_labels()
                self.assertEqual(labels, {reason: po[text] for reason, text in english.items()})
                self.assertFalse({text for text in english.values() if po[text] == text}, "left in English")
                self.assertEqual(len(set(labels.values())), len(labels))
        self.assertEqual(self.customer.with_context(lang="en_US").credit_hold_reason, "Over credit limit")

    def test_model_terms(self):
        for code, po in self.po.items():
            with self.subTest(lang=code):
                env = self.env(context=dict(self.env.context, lang=code))
                fields = env["res.partner"].fields_get(["credit_hold_reason", "on_hold_type"], ["string", "selection"])
                self.assertEqual(fields["credit_hold_reason"]["string"], po["Hold Reason"])
                self.assertIn(("enforced_on", po["Enforced on hold"]), fields["on_hold_type"]["selection"])
                status = env["sale.order"].fields_get(["credit_status"], ["selection"])["credit_status"]
                self.assertIn(("held", po["Credit held"]), status["selection"])
                self.assertEqual(env.ref("credit_hold.credit_hold_menu_root").name, po["Credit Control"])
                self.assertEqual(env.ref("credit_hold.credit_hold_document_menu").name, po["Held Documents"])
                template = env.ref("credit_hold.mail_template_credit_hold_on")
                self.assertEqual(template.subject, po["{{ object.name }} is on credit hold"])
                self.assertNotIn("is now on credit hold", template.body_html)
                self.assertIn('t-out="object.credit_hold_reason or', template.body_html)
