# Copyright 2026 credit_hold contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.tools import SQL

from ..compat import SOL_UOM, uom_ratio_sql
from ..decision import overdue_cutoff


class CreditHoldFigures(models.AbstractModel):
    """The customers' credit figures, in set-based SQL: the one place.

    Every figure is read for a whole batch of commercial partners at once
    (never a query per customer or per invoice), in a company and all its
    branches (a branch shares the credit of its root company, as Odoo's own
    ``credit`` does), in the root company's currency:

    - balance (rule R3): the residual of posted, unreconciled receivable lines;
    - overdue (R7, R19): the part of it past due date + grace days, and the
      number of documents concerned;
    - not invoiced (R4): Odoo's ``amount_to_invoice`` of confirmed orders
      (posted invoices only), less the down payments already invoiced.

    :meth:`_receivable_lines_sql` is the one definition of an overdue line:
    the aggregate and the customer's "Overdue" button both read it.
    """

    _name = "credit.hold.figures"
    _description = "Credit Hold Figures"

    @api.model
    def _flush(self):
        """Write the pending changes of every column the figures' SQL reads
        (see the queries below): a check made right after a change (a line
        moved to another order, a new line, a changed rate or customer) must
        see it. Only pending changes are written; none costs no query."""
        for model, names in (
            (
                "account.move.line",
                [
                    "account_id",
                    "amount_residual",
                    "company_id",
                    "date_maturity",
                    "move_id",
                    "parent_state",
                    "partner_id",
                    "price_total",
                    "product_uom_id",
                    "quantity",
                    "reconciled",
                    "sale_line_ids",
                ],
            ),
            ("account.move", ["move_type", "state"]),
            ("account.account", ["account_type"]),
            (
                "sale.order.line",
                [
                    "display_type",
                    "is_downpayment",
                    "order_id",
                    "price_total",
                    "product_id",
                    SOL_UOM,
                    "product_uom_qty",
                    "qty_delivered",
                    "invoice_lines",
                ],
            ),
            ("sale.order", ["company_id", "credit_partner_id", "currency_rate", "state"]),
            ("res.partner", ["commercial_partner_id"]),
            ("product.product", ["product_tmpl_id"]),
            ("product.template", ["invoice_policy"]),
            ("uom.uom", ["factor"]),
        ):
            self.env[model].flush_model(names)

    @api.model
    def _receivable_lines_sql(self, companies, today, grace_days, overrides, line_filter):
        """Open receivable lines, one row each: line id, partner id, move id,
        residual, and whether the line is overdue.

        :param companies: the root company and its branches
        :param int grace_days: the company's grace days
        :param dict overrides: {commercial partner id: grace days} of the
            customers with grace days of their own
        :param SQL line_filter: restricts ``aml`` (``SQL("true")``: everyone)
        """
        cutoff = overdue_cutoff(today, grace_days)
        return SQL(
            """
            WITH own_grace AS (
                SELECT c.id AS partner_id, g.days
                  FROM unnest(%(gids)s::int[], %(gdays)s::int[]) AS g(commercial_id, days)
                  JOIN res_partner c ON c.commercial_partner_id = g.commercial_id
            )
            SELECT aml.id, aml.partner_id, aml.move_id, aml.amount_residual,
                   aml.amount_residual > 0
                   AND aml.date_maturity < COALESCE(%(today)s::date - g.days, %(cutoff)s::date) AS is_overdue
              FROM account_move_line aml
         LEFT JOIN own_grace g ON g.partner_id = aml.partner_id
             WHERE aml.account_id = ANY(ARRAY(SELECT id FROM account_account WHERE account_type = 'asset_receivable'))
               -- the condition of Odoo's partial index on open receivable lines
               AND (aml.reconciled IS NULL OR aml.reconciled = false OR aml.reconciled IS NOT true)
               AND aml.parent_state = 'posted'
               AND aml.company_id = ANY(%(companies)s)
               AND aml.partner_id IS NOT NULL
               AND %(line_filter)s
            """,
            gids=list(overrides),
            gdays=list(overrides.values()),
            today=today,
            cutoff=cutoff,
            companies=companies.ids,
            line_filter=line_filter,
        )

    @api.model
    def _receivables_sql(self, companies, today, grace_days, overrides, line_filter):
        """Balance, overdue amount and overdue document count per commercial
        partner. Lines are aggregated by their own partner first (the shape of
        a bare aggregate over Odoo's index), then mapped to their commercial
        partner."""
        return SQL(
            """
            WITH lines AS (%(lines)s),
            by_partner AS (
                SELECT partner_id, SUM(amount_residual) AS balance,
                       SUM(amount_residual) FILTER (WHERE is_overdue) AS overdue_amount,
                       COUNT(DISTINCT move_id) FILTER (WHERE is_overdue) AS overdue_count
                  FROM lines
              GROUP BY partner_id
            )
            SELECT p.commercial_partner_id AS partner_id,
                   SUM(b.balance)::float8 AS balance,
                   COALESCE(SUM(b.overdue_amount), 0)::float8 AS overdue_amount,
                   COALESCE(SUM(b.overdue_count), 0)::int AS overdue_count
              FROM by_partner b
              JOIN res_partner p ON p.id = b.partner_id
          GROUP BY p.commercial_partner_id
            """,
            lines=self._receivable_lines_sql(companies, today, grace_days, overrides, line_filter),
        )

    @api.model
    def _uninvoiced_sql(self, companies, order_filter):
        """Confirmed sales not yet invoiced per commercial partner (the
        order's indexed ``credit_partner_id``), in company
        currency: Odoo's ``amount_to_invoice`` of each line (its total, taxes
        included, pro rata of the quantity ordered -- or delivered, for
        products invoiced on delivery -- not yet on a posted invoice),
        converted at the order's rate. A down payment already invoiced is
        deducted until the final invoice deducts it: the order is then owed
        once, not 130 % of it.

        :param SQL order_filter: restricts ``so`` (``SQL("true")``: everyone)
        Columns: partner id, amount.
        """
        return SQL(
            """
            SELECT so.credit_partner_id AS partner_id,
                   SUM(CASE WHEN sol.is_downpayment THEN -COALESCE(inv.amount, 0)
                            ELSE sol.price_total / sol.product_uom_qty
                                 * (CASE WHEN pt.invoice_policy = 'delivery' THEN sol.qty_delivered
                                         ELSE sol.product_uom_qty END
                                    - COALESCE(inv.qty, 0))
                       END / COALESCE(NULLIF(so.currency_rate, 0), 1))::float8 AS uninvoiced
              FROM sale_order so
              JOIN sale_order_line sol ON sol.order_id = so.id
         LEFT JOIN product_product pp ON pp.id = sol.product_id
         LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
         LEFT JOIN uom_uom line_uom ON line_uom.id = %(sol_uom)s
         LEFT JOIN LATERAL (
                SELECT SUM(aml.quantity * %(to_line_uom)s
                           * CASE WHEN am.move_type = 'out_refund' THEN -1 ELSE 1 END) AS qty,
                       SUM(aml.price_total * CASE WHEN am.move_type = 'out_refund' THEN -1 ELSE 1 END) AS amount
                  FROM sale_order_line_invoice_rel rel
                  JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                  JOIN account_move am ON am.id = aml.move_id
             LEFT JOIN uom_uom inv_uom ON inv_uom.id = aml.product_uom_id
                 WHERE rel.order_line_id = sol.id
                   AND am.state = 'posted'
             ) inv ON true
             WHERE so.company_id = ANY(%(companies)s)
               AND so.state = 'sale'
               AND sol.display_type IS NULL
               AND (sol.product_uom_qty <> 0 OR sol.is_downpayment)
               AND %(order_filter)s
          GROUP BY so.credit_partner_id
            """,
            companies=companies.ids,
            order_filter=order_filter,
            sol_uom=SQL.identifier("sol", SOL_UOM),
            to_line_uom=uom_ratio_sql("inv_uom", "line_uom"),
        )

    @api.model
    def _gather(self, company, partners, today, grace_days, overrides, lock=False):
        """Figures of these commercial partners in ``company`` (a root
        company) and its branches: one statement for the whole batch.

        :param bool lock: also take the customers' check lock (rule R16, see
            ``credit.hold.mixin._credit_hold_customer_results``) in the same
            statement, before the figures are read
        :return: {partner_id: (balance, overdue_amount, overdue_count, uninvoiced)}
        """
        self._flush()
        companies = company._credit_hold_family()
        # these partners and their contacts, as an array the planner turns into index lookups
        members = SQL("ARRAY(SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%s))", partners.ids)
        self.env.cr.execute(
            SQL(
                """
                WITH %(lock)s
                receivables AS (%(receivables)s),
                orders AS (%(orders)s)
                SELECT COALESCE(r.partner_id, o.partner_id), COALESCE(r.balance, 0), COALESCE(r.overdue_amount, 0),
                       COALESCE(r.overdue_count, 0), COALESCE(o.uninvoiced, 0)
                  FROM receivables r
             FULL JOIN orders o ON o.partner_id = r.partner_id
                """,
                lock=self._lock_sql(partners.ids) if lock else SQL(),
                receivables=self._receivables_sql(
                    companies, today, grace_days, overrides, SQL("aml.partner_id = ANY(%s)", members)
                ),
                # an array the planner does not count, as for the contacts above: a
                # literal of 1,000 ids makes it scan every order and line
                orders=self._uninvoiced_sql(
                    companies, SQL("so.credit_partner_id = ANY(ARRAY(SELECT unnest(%s::int[])))", partners.ids)
                ),
            ),
            # a serialization failure on the lock is the expected outcome of a
            # race: Odoo's retry handles it, no "bad query" error in the log
            log_exceptions=not lock,
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _lock_sql(self, partner_ids):
        """The check lock of these customers as a ``WITH`` item (rule R16):
        their row of ``credit_hold_lock`` updated, in id order."""
        return SQL(
            """
            locked AS (
                INSERT INTO credit_hold_lock (partner_id)
                SELECT pid FROM unnest(%s::int[]) AS pid ORDER BY pid
                ON CONFLICT (partner_id) DO UPDATE SET partner_id = EXCLUDED.partner_id
            ),
            """,
            sorted(pid for pid in partner_ids if pid),
        )

    @api.model
    def _overdue_move_ids(self, company, partner, today, grace_days, overrides):
        """The journal entries whose receivable lines count as overdue for
        ``partner`` (a commercial partner) in ``company``: what R7 counted."""
        self._flush()
        members = SQL("ARRAY(SELECT id FROM res_partner WHERE commercial_partner_id = %s)", partner.id)
        lines = self._receivable_lines_sql(
            company._credit_hold_family(), today, grace_days, overrides, SQL("aml.partner_id = ANY(%s)", members)
        )
        rows = self.env.execute_query(SQL("SELECT DISTINCT l.move_id FROM (%s) l WHERE l.is_overdue", lines))
        return [row[0] for row in rows]
