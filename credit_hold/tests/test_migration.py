# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The 19.0 migration script (``migrations/19.0.3.1.0/pre-migrate.py``) on
the tables it reads: Odoo's upgrade of a database from 18.0 to 19.0 cannot
run here (see the README), so the script's two steps are run on a database
of the series under test, in the state an upgrade would leave."""

import importlib.util
import logging

from odoo.addons.credit_hold.compat import SERIES
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import CreditHoldCommon

SCRIPT = "credit_hold/migrations/19.0.3.1.0/pre-migrate.py"
LOGGER = "odoo.addons.credit_hold.migrations.pre_migrate_19"


def load_script():
    spec = importlib.util.spec_from_file_location(LOGGER, file_path(SCRIPT))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigration19(CreditHoldCommon):
    def _privilege_xmlid(self):
        self.env.cr.execute(
            "SELECT res_id FROM ir_model_data WHERE module = 'credit_hold' AND name = %s",
            ["res_groups_privilege_credit_control"],
        )
        return self.env.cr.fetchone()

    def test_documents_held_for_a_blocking_message_are_listed(self):
        held = self._order(self.customer, 100.0)
        other = self._order(self.customer, 100.0)
        self.env.flush_all()
        # held for a Blocking Message on 18.0 (the state an upgrade carries over)
        self.env.cr.execute(
            """UPDATE sale_order SET credit_status = 'held', credit_held_reason_codes = %s WHERE id = %s""",
            ["enforced,blocked", held.id],
        )
        self.env.cr.execute(
            """UPDATE sale_order SET credit_status = 'held', credit_held_reason_codes = 'enforced' WHERE id = %s""",
            [other.id],
        )
        script = load_script()
        with self.assertLogs(LOGGER, logging.WARNING) as logs:
            script.migrate(self.env.cr, "18.0.3.1.0")
        self.assertEqual(len(logs.records), 1)
        self.assertIn("1 document(s) of sale_order", logs.output[0])
        self.assertIn(f"[{held.id}]", logs.output[0])
        # the holds themselves are kept
        self.env.invalidate_all()
        self.assertEqual(held.credit_status, "held")
        self.assertEqual(held.credit_held_reason_codes, "enforced,blocked")

    def test_a_new_install_is_left_alone(self):
        script = load_script()
        before = self._privilege_xmlid()
        script.migrate(self.env.cr, None)
        self.assertEqual(self._privilege_xmlid(), before)

    def test_the_privilege_of_the_upgrade_is_kept(self):
        script = load_script()
        if SERIES < 19:
            # 18.0 has no privileges: nothing to adopt
            script.migrate(self.env.cr, "18.0.3.1.0")
            self.assertIsNone(self._privilege_xmlid())
            return
        privilege = self.env.ref("credit_hold.res_groups_privilege_credit_control")
        controller = self.env.ref("credit_hold.group_credit_controller")
        self.assertEqual(controller.privilege_id, privilege)
        # as Odoo's upgrade leaves it: the groups under a privilege without our xml id
        self.env.cr.execute(
            "DELETE FROM ir_model_data WHERE module = 'credit_hold' AND name = 'res_groups_privilege_credit_control'"
        )
        script.migrate(self.env.cr, "18.0.3.1.0")
        self.assertEqual(self._privilege_xmlid(), (privilege.id,))
        # run twice, it adds nothing
        script.migrate(self.env.cr, "18.0.3.1.0")
        self.env.cr.execute(
            "SELECT count(*) FROM ir_model_data WHERE module = 'credit_hold' AND model = 'res.groups.privilege'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 1)
