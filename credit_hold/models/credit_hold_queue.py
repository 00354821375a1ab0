# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The nightly pass: every customer of every company with credit hold on is
evaluated again (overdue invoices appear with the passing of time, not with a
write)."""

import logging
import time
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..compat import SERIES, commit_progress

_logger = logging.getLogger(__name__)


class CreditHoldQueue(models.Model):
    """The customers a nightly pass still has to decide, with the figures
    gathered for them when the pass started: one set-based query per company
    instead of one scan of the journal items per batch.

    The queue is the pass's only state. Each call of the scheduled job takes
    one batch from it, decides it and reports its progress through Odoo's
    cron API (``compat.commit_progress``): Odoo commits and calls again while
    customers remain, and its cron lock keeps a second run from starting. A
    pass cut short resumes from the queue on the next call; figures gathered
    on an earlier day are dropped and gathered again.

    Rows are removed as batches are decided, and as soon as a customer is
    evaluated in between with fresh figures (a payment, a posted invoice).
    """

    _name = "credit.hold.queue"
    _description = "Credit Hold Evaluation Queue"
    _log_access = False

    # plain ids, no foreign keys: the queue is work data refilled every pass
    # (a customer deleted meanwhile is skipped)
    company_id = fields.Integer(required=True, help="The root company of the pass.")
    partner_id = fields.Integer(required=True)
    gathered_on = fields.Date(required=True)
    balance = fields.Float()
    overdue_amount = fields.Float()
    overdue_count = fields.Integer()
    uninvoiced = fields.Float()

    if SERIES >= 19:
        _company_partner_uniq = models.Constraint(
            "unique(company_id, partner_id)", "A customer is queued once per company."
        )
    else:
        _sql_constraints = [
            ("company_partner_uniq", "unique(company_id, partner_id)", "A customer is queued once per company."),
        ]

    @api.model
    def _run_batch(self, batch_size):
        """One call of the scheduled job: start a pass if none is under way,
        then decide the next ``batch_size`` customers.

        :return: the number of customers left in the pass (0: complete)
        """
        today = fields.Date.context_today(self)
        # a pass fills the queue at once: any row tells when its figures were gathered
        oldest = self.search_fetch([], ["gathered_on"], order="id", limit=1)
        if oldest and oldest.gathered_on < today:
            _logger.info("Credit hold: figures gathered on an earlier day are dropped; a new pass starts.")
            self._discard()
            oldest = None
        if not oldest:
            roots = (
                self.env["res.company"].sudo().search([("credit_hold_enabled", "=", True), ("parent_id", "=", False)])
            )
            for root in roots:
                # temporary limits ending today are removed before the pass
                self.env["res.partner"]._credit_hold_expire_temp_limits(root)
                self._fill(root)
        start = time.monotonic()
        taken = self.env.execute_query(
            SQL(
                """
                SELECT q.company_id, q.partner_id, p.id IS NOT NULL,
                       q.balance, q.overdue_amount, q.overdue_count, q.uninvoiced
                  FROM credit_hold_queue q
             LEFT JOIN res_partner p ON p.id = q.partner_id  -- a customer deleted since is skipped
              ORDER BY q.company_id, q.partner_id
                 LIMIT %s
                """,
                batch_size,
            )
        )
        by_company = defaultdict(dict)
        existing = defaultdict(list)
        for company_id, partner_id, exists, *figures in taken:
            by_company[company_id][partner_id] = tuple(figures)
            if exists:
                existing[company_id].append(partner_id)
        partners = self.env["res.partner"].sudo()
        for company_id, figures in by_company.items():
            company = self.env["res.company"].sudo().browse(company_id)
            batch = partners.browse(existing[company_id])
            went_on, came_off = batch._credit_hold_evaluate(company, origin="nightly", figures=figures)
            self._discard(company, list(figures))
            _logger.info(
                "Credit hold pass of %s: %s customers evaluated, %s put on hold, %s released (%.1f s)",
                company.name,
                len(batch),
                len(went_on),
                len(came_off),
                time.monotonic() - start,
            )
        remaining = self.search_count([]) if len(taken) == batch_size else 0
        commit_progress(self.env, len(taken), remaining)
        # keep memory flat over a long pass
        self.env.invalidate_all()
        return remaining

    @api.model
    def _fill(self, company):
        """Queue every commercial partner of ``company`` (a root company) with
        open receivables, confirmed orders or a hold, with its figures (one
        INSERT ... SELECT of the set-based figure queries).

        :return: the number of customers queued
        """
        partners = self.env["res.partner"].with_company(company).sudo()
        policy = company._credit_hold_policy()
        today = fields.Date.context_today(partners)
        own_grace = partners.search([("credit_hold_grace_override", "=", True)])
        overrides = {partner.id: partner.credit_hold_grace_days for partner in own_grace}
        held = partners.search(
            [
                "|",
                "|",
                ("on_hold", "=", True),
                ("on_hold_type", "=", "enforced_on"),
                ("credit_hold_awaiting_payment", "=", True),
            ]
        )
        figures = self.env["credit.hold.figures"]
        figures._flush()
        companies = company._credit_hold_family()
        everyone = SQL("true")
        self._discard(company)
        self.env.cr.execute(
            SQL(
                """
                WITH receivables AS (%(receivables)s),
                     orders AS (%(orders)s),
                     candidates AS (
                        SELECT partner_id FROM receivables
                         UNION SELECT partner_id FROM orders
                         UNION SELECT p.id FROM res_partner p
                                WHERE p.id = ANY(%(held)s) AND p.commercial_partner_id = p.id
                     )
                INSERT INTO credit_hold_queue
                       (company_id, partner_id, gathered_on, balance, overdue_amount, overdue_count, uninvoiced)
                SELECT %(company)s, c.partner_id, %(today)s, COALESCE(r.balance, 0), COALESCE(r.overdue_amount, 0),
                       COALESCE(r.overdue_count, 0), COALESCE(o.uninvoiced, 0)
                  FROM candidates c
             LEFT JOIN receivables r ON r.partner_id = c.partner_id
             LEFT JOIN orders o ON o.partner_id = c.partner_id
                """,
                receivables=figures._receivables_sql(companies, today, policy.grace_days, overrides, everyone),
                orders=figures._uninvoiced_sql(companies, everyone),
                held=held.ids,
                company=company.id,
                today=today,
            )
        )
        return self.env.cr.rowcount

    @api.model
    def _discard(self, company=None, partner_ids=None):
        """Drop these customers from the queue of ``company`` (all of its
        customers when ``partner_ids`` is None; the whole queue without a
        company)."""
        if company is None:
            self.env.cr.execute(SQL("DELETE FROM credit_hold_queue"))
        elif partner_ids is None:
            self.env.cr.execute(SQL("DELETE FROM credit_hold_queue WHERE company_id = %s", company.id))
        elif partner_ids:
            self.env.cr.execute(
                SQL(
                    "DELETE FROM credit_hold_queue WHERE company_id = %s AND partner_id = ANY(%s)",
                    company.id,
                    list(partner_ids),
                )
            )
