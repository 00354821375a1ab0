# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.addons.credit_hold.models.res_partner import LIMIT_HISTORY_FIELDS
from odoo.tests import tagged

from .common import CreditHoldCommon


@tagged("post_install", "-at_install")
class TestLimitHistory(CreditHoldCommon):
    """Each change of a customer's limit settings is tracked in its chatter
    and listed, per company, in its limit history."""

    def setUp(self):
        super().setUp()
        # a customer created in its own transaction, as in real life: records
        # created with tracking off stay untracked until the next commit
        self.tracked_env = self.env(context={**self.env.context, "tracking_disable": False, "mail_notrack": False})
        self.partner = self.tracked_env["res.partner"].create(
            {"name": "Tracked Co", "is_company": True, "credit_limit": 1000.0}
        )
        self.env.cr.flush()
        self.env.cr.precommit.clear()

    def _tracked(self):
        self.env.cr.flush()  # tracking messages are written at commit time
        return self.partner.message_ids.tracking_value_ids

    def _changes(self):
        return self.env["credit.limit.history"].search([("partner_id", "=", self.partner.id)], order="id")

    @freeze_time("2026-03-01")
    def test_each_change_is_tracked_with_who_and_when(self):
        self.partner.write({"credit_limit": 1500.0})  # an accountant (Odoo's own field)
        self._tracked()  # one request, one commit
        as_controller = self.partner.with_user(self.controller)
        as_controller.write(
            {
                "credit_threshold": 90.0,
                "credit_hold_grace_override": True,
                "credit_hold_grace_days": 7,
                "on_hold_type": "enforced_off",
            }
        )
        as_controller._credit_hold_grant_temp_limit(3000.0, "2026-03-20", "Seasonal orders")
        tracked = {value.field_id.name: value for value in self._tracked()}
        for name in LIMIT_HISTORY_FIELDS:
            self.assertIn(name, tracked)
        self.assertEqual(
            (tracked["credit_limit"].old_value_float, tracked["credit_limit"].new_value_float), (1000, 1500)
        )
        self.assertEqual(tracked["credit_hold_grace_days"].new_value_integer, 7)
        self.assertEqual(tracked["credit_temp_limit"].new_value_float, 3000.0)
        controller_messages = self.partner.message_ids.filtered(lambda m: m.author_id == self.controller.partner_id)
        self.assertIn("on_hold_type", controller_messages.tracking_value_ids.field_id.mapped("name"))
        # the limit history lists the same changes, per company, with who made them
        changes = self._changes()
        self.assertEqual(
            [(c.field_name, c.old_value, c.new_value) for c in changes],
            [
                ("credit_limit", "$\xa01,000.00", "$\xa01,500.00"),
                ("credit_threshold", "company default", "90 %"),
                ("credit_hold_grace_override", "No", "Yes"),
                ("credit_hold_grace_days", "0", "7"),
                ("on_hold_type", "Automatic", "Enforced off hold"),
                ("credit_temp_limit", "", "$\xa03,000.00"),
                ("credit_temp_limit_end", "", "03/20/2026"),
            ],
        )
        self.assertEqual(set(changes.mapped("company_id")), {self.company})
        self.assertEqual(changes[0].create_uid, self.env.user)
        self.assertEqual(set(changes[1:].mapped("create_uid")), {self.controller})
        # the smart button lists them for the current company
        action = self.partner.action_view_credit_limit_history()
        self.assertEqual(self.env["credit.limit.history"].search(action["domain"]), changes)

    def test_unchanged_values_record_nothing(self):
        self.partner.write({"credit_limit": 1000.0, "name": "Tracked Co."})
        self.assertFalse(self._changes())
        self.assertNotIn("credit_limit", self._tracked().field_id.mapped("name"))

    def test_one_create_per_write_of_several_customers(self):
        others = self.env["res.partner"].create([{"name": f"C{i}", "is_company": True} for i in range(3)])
        history_class = type(self.env["credit.limit.history"])
        with patch.object(history_class, "create", autospec=True, side_effect=history_class.create) as create:
            others.write({"credit_limit": 500.0, "credit_threshold": 80.0})
        self.assertEqual(create.call_count, 1)
        self.assertEqual(len(create.call_args.args[1]), 6)

    def test_per_company(self):
        company_2 = self.setup_other_company(name="Company Two")["company"]
        self.partner.with_company(company_2).write({"credit_limit": 300.0})
        changes = self._changes()
        self.assertEqual(changes.company_id, company_2)
        self.assertEqual(self.partner.credit_limit, 1000.0)
        action = self.partner.action_view_credit_limit_history()  # in the main company
        self.assertFalse(self.env["credit.limit.history"].search(action["domain"]))
