# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class CreditHoldQueue(models.Model):
    """The customers a nightly evaluation pass still has to decide, with the
    figures gathered for them when the pass started (one set-based query for
    the whole company instead of one scan of the journal items per batch).

    Rows are removed as batches are decided, and as soon as a customer is
    evaluated in between with fresh figures (a payment, a posted invoice).
    """

    _name = "credit.hold.queue"
    _description = "Credit Hold Evaluation Queue"
    _log_access = False

    # plain ids, no foreign keys: the queue is work data refilled every pass,
    # and checking two foreign keys per row doubled the cost of filling it
    company_id = fields.Integer(required=True)
    partner_id = fields.Integer(required=True)
    balance = fields.Float()
    overdue_amount = fields.Float()
    overdue_count = fields.Integer()
    uninvoiced = fields.Float()

    _sql_constraints = [
        ("company_partner_uniq", "unique(company_id, partner_id)", "A customer is queued once per company."),
    ]

    @api.model
    def _fill(self, company, receivables_sql, uninvoiced_sql):
        """Queue every commercial partner with open receivables, confirmed
        orders or a hold in ``company``, with its figures (one statement:
        measured faster than gathering the rows and inserting them back).

        :return: the number of customers queued
        """
        # one aggregate over all open receivables of the company: let it hash in memory
        self.env.cr.execute("SET LOCAL work_mem = '64MB'")
        self._discard(company)
        self.env.cr.execute(
            SQL(
                """
                WITH receivables AS (%(receivables)s),
                     orders AS (%(orders)s),
                     held AS (
                        SELECT p.id AS partner_id FROM res_partner p
                         WHERE p.id = p.commercial_partner_id
                           AND ((p.on_hold->>%(cid)s)::boolean OR p.on_hold_type->>%(cid)s = 'enforced_on')
                     ),
                     candidates AS (
                        SELECT partner_id FROM receivables
                         UNION SELECT partner_id FROM orders
                         UNION SELECT partner_id FROM held
                     )
                INSERT INTO credit_hold_queue
                       (company_id, partner_id, balance, overdue_amount, overdue_count, uninvoiced)
                SELECT %(company)s, c.partner_id, COALESCE(r.balance, 0), COALESCE(r.overdue_amount, 0),
                       COALESCE(r.overdue_count, 0), COALESCE(o.uninvoiced, 0)
                  FROM candidates c
             LEFT JOIN receivables r ON r.partner_id = c.partner_id
             LEFT JOIN orders o ON o.partner_id = c.partner_id
                """,
                receivables=receivables_sql,
                orders=uninvoiced_sql,
                company=company.id,
                cid=str(company.id),
            )
        )
        queued = self.env.cr.rowcount
        # the planner must know the queue's size to read it by index, batch after batch
        self.env.cr.execute("ANALYZE credit_hold_queue")
        return queued

    @api.model
    def _take(self, company, limit):
        """The next ``limit`` queued customers of ``company``, locked, with
        their figures and their current hold, in one query.

        :return: ({partner_id: (balance, overdue_amount, overdue_count, uninvoiced)},
                  {partner_id: state}) -- see res.partner._credit_hold_state_from_rows
        """
        partners = self.env["res.partner"]
        self.env.cr.execute(
            SQL(
                """
                SELECT q.partner_id, q.balance, q.overdue_amount, q.overdue_count, q.uninvoiced, %s
                  FROM credit_hold_queue q
                  JOIN res_partner p ON p.id = q.partner_id  -- a customer deleted since is skipped
                 WHERE q.company_id = %s
              ORDER BY q.partner_id
                 LIMIT %s
                   FOR UPDATE OF q
                """,
                partners._credit_hold_state_columns(company),
                company.id,
                limit,
            )
        )
        rows = self.env.cr.fetchall()
        figures = {row[0]: row[1:5] for row in rows}
        return figures, partners._credit_hold_state_from_rows(company, [(row[0], *row[5:]) for row in rows])

    @api.model
    def _discard(self, company, partner_ids=None):
        """Drop these customers from the queue of ``company`` (all of them
        when ``partner_ids`` is None)."""
        if partner_ids is None:
            self.env.cr.execute(SQL("DELETE FROM credit_hold_queue WHERE company_id = %s", company.id))
        elif partner_ids:
            self.env.cr.execute(
                SQL(
                    "DELETE FROM credit_hold_queue WHERE company_id = %s AND partner_id = ANY(%s)",
                    company.id,
                    list(partner_ids),
                )
            )
