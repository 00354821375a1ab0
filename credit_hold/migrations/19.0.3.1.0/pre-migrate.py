# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0 -> 19.0.3.1.0: what Odoo's upgrade to 19.0 leaves to the addon.

Runs before the data of this release is loaded, on the tables Odoo's own
upgrade left (plain SQL: the models are not loaded yet).

- The user form of 19.0 lists groups under a privilege (``res.groups.privilege``)
  instead of a category. The data of this release
  (``data/series/19/credit_hold_groups.xml``) creates
  ``credit_hold.res_groups_privilege_credit_control`` and puts both credit
  groups under it. When Odoo's upgrade already gave the groups a privilege
  (made from their 18.0 category), that privilege gets the xml id, so the data
  updates it instead of adding a second "Credit Control".
- 19.0 has no "Blocking Message" partner warnings. A document held for one
  (reason ``blocked``) keeps its hold, but nothing holds it for that reason
  any more: where the company releases automatically, the daily credit-hold
  job carries it through unless another reason holds it. They are listed in
  the log for a credit controller to review first.

``_sql_constraints`` became ``models.Constraint`` with the same names in the
database (``credit_hold_lock_partner_uniq``, ``credit_hold_queue_company_partner_uniq``):
nothing to do for them.
"""

import logging

from odoo.tools import SQL
from odoo.tools.sql import column_exists, table_exists

_logger = logging.getLogger(__name__)

PRIVILEGE = "res_groups_privilege_credit_control"
GROUPS = ("group_credit_controller", "group_credit_manager")
# the documents credit_hold and its extensions hold
DOCUMENT_TABLES = ("sale_order", "account_move", "stock_picking", "repair_order")


def migrate(cr, version):
    if not version:
        return
    _adopt_privilege(cr)
    _log_blocked_documents(cr)


def _adopt_privilege(cr):
    if not table_exists(cr, "res_groups_privilege") or not column_exists(cr, "res_groups", "privilege_id"):
        return
    cr.execute(
        SQL(
            "SELECT 1 FROM ir_model_data WHERE module = 'credit_hold' AND name = %s",
            PRIVILEGE,
        )
    )
    if cr.rowcount:
        return
    cr.execute(
        SQL(
            """
            SELECT g.privilege_id
              FROM ir_model_data d
              JOIN res_groups g ON g.id = d.res_id
             WHERE d.module = 'credit_hold' AND d.model = 'res.groups' AND d.name IN %s
               AND g.privilege_id IS NOT NULL
          ORDER BY d.name  -- the controllers' group first
             LIMIT 1
            """,
            GROUPS,
        )
    )
    row = cr.fetchone()
    if not row:
        return
    cr.execute(
        SQL(
            """
            INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
            VALUES ('credit_hold', %s, 'res.groups.privilege', %s, false)
            """,
            PRIVILEGE,
            row[0],
        )
    )
    _logger.info("credit_hold: privilege %s of the credit groups kept as credit_hold.%s", row[0], PRIVILEGE)


def _log_blocked_documents(cr):
    for table in DOCUMENT_TABLES:
        if not column_exists(cr, table, "credit_held_reason_codes"):
            continue
        cr.execute(
            SQL(
                """
                SELECT id FROM %s
                 WHERE credit_status = 'held'
                   AND 'blocked' = ANY(string_to_array(credit_held_reason_codes, ','))
              ORDER BY id
                """,
                SQL.identifier(table),
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        if ids:
            _logger.warning(
                "credit_hold: %s document(s) of %s are held for a Blocking Message warning, which Odoo 19.0 "
                "no longer has (ids %s): review them, the daily credit-hold job carries them through where "
                "the company releases automatically and nothing else holds them",
                len(ids),
                table,
                ids,
            )
