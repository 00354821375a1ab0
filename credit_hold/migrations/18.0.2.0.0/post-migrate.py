# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.0.0 -> 18.0.2.0.0: hold reasons stored as words become codes.

18.0.1.0.0 stored the customer's reason (``res_partner.credit_hold_reason``,
a company-dependent jsonb column) and the document's reason
(``credit_held_reason`` of ``sale_order`` and ``account_move``) as English
sentences. Those columns are left in place by the upgrade (the fields are now
computed); this script reads them and stores the codes (and, on documents,
the old sentence as the label of each reason, since its figures cannot be
recovered). Every hold, held document and release is kept as it was.

A nightly pass of 18.0.1.0.0 cut short leaves customers in
``credit_hold_queue`` with figures of that release and no ``gathered_on``
(now required): the queue is emptied, so that the column gets its NOT NULL
constraint and the next pass gathers fresh figures, and the pass state that
18.0.1.0.0 kept in a system parameter is removed (the queue is the state now).
"""

import json
import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# the words of 18.0.1.0.0, in the order they were joined with "; "
CUSTOMER_LABELS = {
    "Put on hold by a credit controller": "enforced",
    "New customer: awaiting first payment": "new_customer",
    "Over credit limit": "over_limit",
    "Overdue invoices": "overdue",
}
DOCUMENT_PREFIXES = (
    ("Customer put on hold by a credit controller", "enforced"),
    ("New customer", "new_customer"),
    ("Over credit limit", "over_limit"),
    ("Put back on hold by", "manual"),
)


def _document_code(part):
    for prefix, code in DOCUMENT_PREFIXES:
        if part.startswith(prefix):
            return code
    if "overdue invoice" in part:
        return "overdue"
    return "legacy"


def _column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s AND NOT attisdropped",
        (table, column),
    )
    return bool(cr.fetchone())


def _migrate_customers(env):
    cr = env.cr
    if not _column_exists(cr, "res_partner", "credit_hold_reason"):
        return
    from odoo.addons.credit_hold.decision import codes_to_text

    cr.execute("SELECT id, credit_hold_reason FROM res_partner WHERE credit_hold_reason IS NOT NULL")
    by_company = {}
    unknown = 0
    for partner_id, reasons in cr.fetchall():
        for company_id, text in (reasons or {}).items():
            if not text:
                continue
            codes = []
            for part in text.split("; "):
                code = CUSTOMER_LABELS.get(part)
                if code:
                    codes.append(code)
                else:
                    unknown += 1
            by_company.setdefault((int(company_id), codes_to_text(codes)), []).append(partner_id)
    partners = env["res.partner"].sudo().with_context(tracking_disable=True)
    for (company_id, codes), ids in by_company.items():
        company = env["res.company"].browse(company_id).exists()
        if company and codes:
            partners.browse(ids).with_company(company).write({"credit_hold_reason_codes": codes})
    if unknown:
        _logger.warning("credit_hold: %s customer reasons in words were not recognised", unknown)
    _logger.info("credit_hold: reason codes stored for %s customer/company pairs", sum(map(len, by_company.values())))


def _migrate_documents(env, table):
    cr = env.cr
    if not _column_exists(cr, table, "credit_held_reason"):
        return
    cr.execute(
        SQL(
            "SELECT id, credit_held_reason FROM %s WHERE credit_held_reason IS NOT NULL AND credit_status != 'none'",
            SQL.identifier(table),
        )
    )
    rows = cr.fetchall()
    from odoo.addons.credit_hold.decision import codes_to_text

    for record_id, text in rows:
        entries = [
            {"code": _document_code(part), "label": part, "figures": {}, "legacy": True}
            for part in text.split("; ")
            if part
        ]
        cr.execute(
            SQL(
                "UPDATE %s SET credit_held_reason_codes = %s, credit_held_reasons = %s WHERE id = %s",
                SQL.identifier(table),
                codes_to_text(e["code"] for e in entries),
                json.dumps(entries),
                record_id,
            )
        )
    _logger.info("credit_hold: reason codes stored for %s documents of %s", len(rows), table)


def _reset_nightly_pass(env):
    queue = env["credit.hold.queue"]
    left = queue.search_count([])
    queue._discard()
    env["ir.config_parameter"].sudo().search([("key", "=", "credit_hold.evaluation_pass")]).unlink()
    if left:
        _logger.info("credit_hold: nightly pass of the previous release dropped (%s customers queued)", left)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _migrate_customers(env)
    _migrate_documents(env, "sale_order")
    _migrate_documents(env, "account_move")
    _reset_nightly_pass(env)
