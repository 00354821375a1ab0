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
        orders or a hold in ``company``, with its figures.

        The aggregates run as plain SELECTs (PostgreSQL does not parallelize
        the SELECT of an INSERT ... SELECT), the rows go back in one INSERT.

        :return: the number of customers queued
        """
        cr = self.env.cr
        # one aggregate over all open receivables of the company: let it hash in memory
        cr.execute("SET LOCAL work_mem = '64MB'")
        cr.execute(receivables_sql)
        figures = {pid: [balance, overdue, count, 0.0] for pid, balance, overdue, count in cr.fetchall()}
        cr.execute(uninvoiced_sql)
        for pid, uninvoiced in cr.fetchall():
            figures.setdefault(pid, [0.0, 0.0, 0, 0.0])[3] = uninvoiced
        cr.execute(
            SQL(
                """
                SELECT id FROM res_partner
                 WHERE id = commercial_partner_id
                   AND ((on_hold->>%(cid)s)::boolean OR on_hold_type->>%(cid)s = 'enforced_on')
                """,
                cid=str(company.id),
            )
        )
        for (pid,) in cr.fetchall():
            figures.setdefault(pid, [0.0, 0.0, 0, 0.0])
        self._discard(company)
        ids = sorted(figures)
        cr.execute(
            SQL(
                """
                INSERT INTO credit_hold_queue
                       (company_id, partner_id, balance, overdue_amount, overdue_count, uninvoiced)
                SELECT %s, * FROM unnest(%s::int[], %s::float8[], %s::float8[], %s::int[], %s::float8[])
                """,
                company.id,
                ids,
                [figures[pid][0] or 0.0 for pid in ids],
                [figures[pid][1] or 0.0 for pid in ids],
                [figures[pid][2] or 0 for pid in ids],
                [figures[pid][3] or 0.0 for pid in ids],
            )
        )
        # the planner must know the queue's size to read it by index, batch after batch
        cr.execute("ANALYZE credit_hold_queue")
        return len(ids)

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
