"""The data set: bulk SQL copies of documents first made through the ORM.

====================  =========  ===========  =======================================
rows                  small      large        shape
====================  =========  ===========  =======================================
customers             1,000      100,000      companies; 4 in 5 with a credit limit
                                              of 2,000 to 10,000, the others none
contacts              100        10,000       persons under a customer
invoices              10,000     1,000,000    out_invoice, posted, 100 to 2,000.99,
                                              spread over the customers by a hash:
                                              60 % paid (residual 0, reconciled),
                                              7 % partly paid (40 % left, due from
                                              10 days ago to 29 days ahead),
                                              30 % open and not due (0 to 44 days),
                                              3 % overdue by 1 to 150 days
credit notes          200        20,000       out_refund, posted, open, 50 to 500
payments on account   200        20,000       entries with an open receivable
                                              credit (negative residual), 100 to 1,000
confirmed orders      300        30,000       state sale, not invoiced, 2 lines each
                                              (1 to 5 units, 50 to 1,499 a line)
special customers     2          2            "Bench One Invoice Co": 1 open invoice
                                              of 500, no limit; "Bench Thousand
                                              Invoices Co": 1,000 invoices (half
                                              paid, half open, not due), limit 10M
====================  =========  ===========  =======================================

Each invoice has one receivable line (the customer's receivable account,
``date_maturity``, ``amount_residual``, ``reconciled``) and one income line;
paid invoices have no payment entry behind them (their receivable line is
simply reconciled with residual 0), which changes no credit figure.

:func:`shift_customers` changes the receivables of a share of the customers
the same way (SQL, no ORM trigger), for the "1 % change" pass.
"""

import contextlib
import datetime
import json
import time

from .common import META_KEY, log, scalar

ONE_INVOICE = "Bench One Invoice Co"
THOUSAND_INVOICES = "Bench Thousand Invoices Co"
# Columns that exist only with account_financial_risk installed.
OPTIONAL_COLUMNS = {"risk_invoice_open_include", "risk_invoice_unpaid_include"}


def receivable_account_ids(cr):
    cr.execute("SELECT id FROM account_account WHERE account_type = 'asset_receivable' ORDER BY id")
    return [row[0] for row in cr.fetchall()]


class DataSet:
    """Generates the data set described in the module docstring."""

    def __init__(self, env, customers, invoices):
        self.env = env
        self.cr = env.cr
        self.customers = customers
        self.invoices = invoices
        self.company = env.company
        self.counts = {}

    def sql(self, query, params=None):
        self.cr.execute(query, params)
        return self.cr.rowcount

    def columns(self, table):
        self.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in self.cr.fetchall()]

    def copy_rows(self, table, overrides, from_sql):
        """INSERT INTO table SELECT <sample row ``s`` with overrides> <from_sql> (no query parameters:
        the SQL is built from integers and constants only, and uses ``%`` as modulo)."""
        columns = self.columns(table)
        unknown = set(overrides) - set(columns) - OPTIONAL_COLUMNS
        if unknown:
            raise RuntimeError(f"{table} has no column {sorted(unknown)}")
        names = [c for c in columns if c != "id" or "id" in overrides]
        select = [overrides.get(c, f's."{c}"') for c in names]
        quoted = ", ".join(f'"{c}"' for c in names)
        start = time.perf_counter()
        rows = self.sql(f'INSERT INTO "{table}" ({quoted}) SELECT {", ".join(select)} {from_sql}')
        if "id" in overrides:
            self.sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM \"{table}\"))")
        # fresh statistics, or the next joins on this table get nested loops over a "tiny" table
        self.sql(f'ANALYZE "{table}"')
        log(f"  {table}: {rows:,} rows in {time.perf_counter() - start:.1f} s")
        return rows

    def make_samples(self):
        """One document of each kind through the ORM, 100.00 each: the shapes to copy."""
        env = self.env(context=dict(self.env.context, bypass_risk=True, tracking_disable=True, mail_create_nolog=True))
        company = self.company
        product = env["product.product"].create(
            {
                "name": "Bench Service",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 100.0,
                "taxes_id": [(6, 0, [])],
            }
        )
        partner = env["res.partner"].create({"name": "Bench Shape Co", "is_company": True})
        contact = env["res.partner"].create({"name": "Bench Shape Contact", "parent_id": partner.id})
        today = datetime.date.today()
        line = {"product_id": product.id, "quantity": 1, "price_unit": 100.0, "tax_ids": [(6, 0, [])]}
        moves = {}
        for kind, move_type in (("inv", "out_invoice"), ("ref", "out_refund")):
            move = env["account.move"].create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": today - datetime.timedelta(days=30),
                    "invoice_date_due": today,
                    "invoice_line_ids": [(0, 0, line)],
                }
            )
            move.action_post()
            moves[kind] = move
        bank = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
        receivable = partner.property_account_receivable_id
        payment = env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": bank.id,
                "date": today,
                "line_ids": [
                    (0, 0, {"account_id": bank.default_account_id.id, "debit": 100.0, "name": "Payment on account"}),
                    (
                        0,
                        0,
                        {
                            "account_id": receivable.id,
                            "partner_id": partner.id,
                            "credit": 100.0,
                            "name": "Payment on account",
                            "date_maturity": today,
                        },
                    ),
                ],
            }
        )
        payment.action_post()
        moves["pay"] = payment
        order = env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1, "price_unit": 100.0})],
            }
        )
        from odoo.addons.credit_hold.compat import SOL_TAXES  # Odoo is loaded by now

        order.order_line[SOL_TAXES] = False
        order.action_confirm()
        assert order.state == "sale" and order.amount_total == 100.0, (order.state, order.amount_total)
        for move in moves.values():
            assert move.state == "posted" and move.amount_total == 100.0, (move.name, move.amount_total)
        self.env.flush_all()
        return {
            "product": product,
            "partner": partner,
            "contact": contact,
            "moves": moves,
            "order": order,
            "receivable": receivable,
        }

    def generate(self):
        samples = self.make_samples()
        n, m = self.customers, self.invoices
        cid = str(self.company.id)
        self.sql("SET LOCAL synchronous_commit = off")
        # No per-row foreign key triggers while loading (needs a superuser; the rows are consistent by
        # construction): their plans, made while the tables were tiny, scan the whole table per row.
        with contextlib.suppress(Exception), self.cr.savepoint(flush=False):
            self.sql("SET LOCAL session_replication_role = replica")
        self.sql("SET LOCAL work_mem = '256MB'")
        self.cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
        base_p = self.cr.fetchone()[0] + 1000
        self.cr.execute("SELECT COALESCE(MAX(id), 0) FROM account_move")
        base_m = self.cr.fetchone()[0] + 1000
        self.cr.execute("SELECT COALESCE(MAX(id), 0) FROM sale_order")
        base_o = self.cr.fetchone()[0] + 1000
        stamp = "(now() AT TIME ZONE 'UTC' - interval '1 day')"
        one_k, thousand_k = n + 1, n + 2

        # customers: ids base_p + k, k = 1..n, then the two special ones
        name = (
            f"CASE k WHEN {one_k} THEN '{ONE_INVOICE}' WHEN {thousand_k} THEN '{THOUSAND_INVOICES}' "
            "ELSE 'Bench Customer ' || lpad(k::text, 6, '0') END"
        )
        limit = (
            f"CASE WHEN g.k = {one_k} OR (g.k <= {n} AND g.k % 5 = 0) THEN NULL "
            f"WHEN g.k = {thousand_k} THEN jsonb_build_object('{cid}', 10000000.0) "
            f"ELSE jsonb_build_object('{cid}', 1000.0 * (2 + g.k % 9)) END"
        )
        self.counts["customers"] = self.copy_rows(
            "res_partner",
            {
                "id": f"{base_p} + g.k",
                "name": "g.name",
                "complete_name": "g.name",
                "commercial_company_name": "g.name",
                "commercial_partner_id": f"{base_p} + g.k",
                "ref": "'BENCH-' || g.k",
                "credit_limit": limit,
                "customer_rank": "1",
                "create_date": stamp,
                "write_date": stamp,
                "risk_invoice_open_include": "true",
                "risk_invoice_unpaid_include": "true",
            },
            f"FROM (SELECT k, {name} AS name FROM generate_series(1, {thousand_k}) AS k) AS g "
            f"JOIN res_partner s ON s.id = {samples['partner'].id}",
        )
        self.counts["customers"] -= 2
        self.counts["special_customers"] = 2

        # contacts under customers
        contacts = max(n // 10, 1)
        self.counts["contacts"] = self.copy_rows(
            "res_partner",
            {
                "parent_id": "p.id",
                "commercial_partner_id": "p.id",
                "name": "'Bench Contact ' || g.j",
                "complete_name": "p.name || ', Bench Contact ' || g.j",
                "commercial_company_name": "p.name",
                "create_date": stamp,
                "write_date": stamp,
            },
            f"FROM generate_series(1, {contacts}) AS g(j) "
            f"JOIN res_partner p ON p.id = {base_p} + 1 + (g.j::bigint * 7919) % {n} "
            f"JOIN res_partner s ON s.id = {samples['contact'].id}",
        )

        # the documents: one spec row per journal entry
        # Fibonacci hashing (the high bits of i * 2^32 / golden ratio): customers and statuses spread
        # evenly and independently of each other, whatever the number of customers
        hash_partner = f"{base_p} + 1 + ((d.i::bigint * 2654435761) % 4294967296) * {n} / 4294967296"
        self.sql("DROP TABLE IF EXISTS bench_doc")
        self.sql(
            """
            CREATE TEMP TABLE bench_doc (
                i int PRIMARY KEY, kind text, partner_id int, amount numeric, residual numeric,
                maturity date, reconciled boolean, payment_state text, date date, name text, prefix text
            ) ON COMMIT DROP
            """
        )
        today = "CURRENT_DATE"
        # invoices: i = 1..m, status by bucket i % 100
        self.sql(
            f"""
            INSERT INTO bench_doc (i, kind, partner_id, amount, residual, maturity, reconciled, payment_state)
            SELECT d.i, 'inv', {hash_partner}, x.amount,
                   CASE WHEN x.b < 60 THEN 0 WHEN x.b < 67 THEN round(x.amount * 0.4, 2) ELSE x.amount END,
                   CASE WHEN x.b < 60 THEN {today} - (30 + d.i % 300)
                        WHEN x.b < 67 THEN {today} + (d.i % 40) - 10
                        WHEN x.b < 97 THEN {today} + d.i % 45
                        ELSE {today} - (1 + d.i % 150) END,
                   x.b < 60,
                   CASE WHEN x.b < 60 THEN 'paid' WHEN x.b < 67 THEN 'partial' ELSE 'not_paid' END
              FROM generate_series(1, {m}) AS d(i),
                   LATERAL (SELECT ((d.i::bigint * 2246822519) % 4294967296) * 100 / 4294967296 AS b,
                                   round(100 + (d.i::bigint * 7727) % 1901 + (d.i % 100) / 100.0, 2) AS amount) x
            """
        )
        # the customer with one invoice, the one with 1,000 invoices
        self.sql(
            f"""
            INSERT INTO bench_doc (i, kind, partner_id, amount, residual, maturity, reconciled, payment_state)
            SELECT {m} + 1, 'inv', {base_p} + {one_k}, 500, 500, {today} + 15, false, 'not_paid'
            UNION ALL
            SELECT {m} + 1 + j, 'inv', {base_p} + {thousand_k}, 100 + j % 900,
                   CASE WHEN j % 2 = 0 THEN 0 ELSE 100 + j % 900 END,
                   CASE WHEN j % 2 = 0 THEN {today} - (30 + j % 300) ELSE {today} + j % 45 END,
                   j % 2 = 0, CASE WHEN j % 2 = 0 THEN 'paid' ELSE 'not_paid' END
              FROM generate_series(1, 1000) AS j
            """
        )
        first = m + 1002
        refunds = max(m // 50, 1)
        payments = max(n // 5, 1)
        self.sql(
            f"""
            INSERT INTO bench_doc (i, kind, partner_id, amount, residual, maturity, reconciled, payment_state)
            SELECT d.i, 'ref', {hash_partner}, 50 + d.i % 451, 50 + d.i % 451, {today} - d.i % 60,
                   false, 'not_paid'
              FROM generate_series({first}, {first + refunds - 1}) AS d(i)
            UNION ALL
            SELECT d.i, 'pay', {hash_partner}, 100 + d.i % 901, 100 + d.i % 901, {today} - d.i % 90,
                   false, 'not_paid'
              FROM generate_series({first + refunds}, {first + refunds + payments - 1}) AS d(i)
            """
        )
        moves = samples["moves"]
        prefixes = {kind: move.name.split("/")[0] for kind, move in moves.items()}
        self.sql(
            """
            UPDATE bench_doc SET
                date = CASE WHEN kind = 'pay' THEN maturity ELSE maturity - 30 END,
                prefix = CASE kind WHEN 'inv' THEN %(inv)s WHEN 'ref' THEN %(ref)s ELSE %(pay)s END
                         || '/' || extract(year FROM maturity)::int || '/'
            """,
            prefixes,
        )
        self.sql("UPDATE bench_doc SET name = prefix || lpad(i::text, 7, '0')")
        self.sql("ANALYZE bench_doc")
        sample_of = (
            f"CASE d.kind WHEN 'inv' THEN {moves['inv'].id} WHEN 'ref' THEN {moves['ref'].id} "
            f"ELSE {moves['pay'].id} END"
        )
        full = "d.amount / 100.0"
        left = "d.residual / 100.0"
        move_overrides = {
            "id": f"{base_m} + d.i",
            "name": "d.name",
            "sequence_prefix": "d.prefix",
            "sequence_number": "d.i",
            "partner_id": "d.partner_id",
            "commercial_partner_id": "d.partner_id",
            "partner_shipping_id": "CASE WHEN s.partner_shipping_id IS NULL THEN NULL ELSE d.partner_id END",
            "invoice_partner_display_name": "p.name",
            "payment_reference": "CASE WHEN s.payment_reference IS NULL THEN NULL ELSE d.name END",
            "date": "d.date",
            "invoice_date": "CASE WHEN s.invoice_date IS NULL THEN NULL ELSE d.date END",
            "invoice_date_due": "d.maturity",
            "payment_state": "CASE WHEN s.move_type = 'entry' THEN s.payment_state ELSE d.payment_state END",
            "access_token": "NULL",
            "create_date": stamp,
            "write_date": stamp,
        }
        for column in (
            "amount_untaxed",
            "amount_tax",
            "amount_total",
            "amount_untaxed_signed",
            "amount_untaxed_in_currency_signed",
            "amount_tax_signed",
            "amount_total_signed",
            "amount_total_in_currency_signed",
        ):
            move_overrides[column] = f"round(s.{column} * {full}, 2)"
        for column in ("amount_residual", "amount_residual_signed"):
            move_overrides[column] = f"round(s.{column} * {left}, 2)"
        rows = self.copy_rows(
            "account_move",
            move_overrides,
            f"FROM bench_doc d JOIN account_move s ON s.id = {sample_of} JOIN res_partner p ON p.id = d.partner_id",
        )
        self.cr.execute("SELECT kind, COUNT(*) FROM bench_doc GROUP BY kind")
        by_kind = dict(self.cr.fetchall())
        self.counts["invoices"] = by_kind.get("inv", 0) - 1001
        self.counts["special_invoices"] = 1001
        self.counts["credit_notes"] = by_kind.get("ref", 0)
        self.counts["payments_on_account"] = by_kind.get("pay", 0)
        assert rows == sum(by_kind.values()), (rows, by_kind)

        receivable_ids = receivable_account_ids(self.cr)
        is_receivable = f"s.account_id IN ({','.join(map(str, receivable_ids))})"
        line_overrides = {
            "move_id": f"{base_m} + d.i",
            "move_name": "d.name",
            "partner_id": "CASE WHEN s.partner_id IS NULL THEN NULL ELSE d.partner_id END",
            "name": f"CASE WHEN {is_receivable} THEN d.name ELSE s.name END",
            "date": "d.date",
            "invoice_date": "CASE WHEN s.invoice_date IS NULL THEN NULL ELSE d.date END",
            "date_maturity": "CASE WHEN s.date_maturity IS NULL THEN NULL ELSE d.maturity END",
            "reconciled": f"CASE WHEN {is_receivable} THEN d.reconciled ELSE s.reconciled END",
            "create_date": stamp,
            "write_date": stamp,
        }
        for column in ("debit", "credit", "balance", "amount_currency", "price_unit", "price_subtotal", "price_total"):
            line_overrides[column] = f"round(s.{column} * {full}, 2)"
        for column in ("amount_residual", "amount_residual_currency"):
            line_overrides[column] = f"round(s.{column} * CASE WHEN {is_receivable} THEN {left} ELSE {full} END, 2)"
        self.counts["journal_items"] = self.copy_rows(
            "account_move_line",
            line_overrides,
            f"FROM bench_doc d JOIN account_move_line s ON s.move_id = {sample_of}",
        )

        # confirmed orders, not invoiced, two lines each
        orders = max(n * 3 // 10, 1)
        self.sql("DROP TABLE IF EXISTS bench_order")
        self.sql(
            f"""
            CREATE TEMP TABLE bench_order ON COMMIT DROP AS
            SELECT o.j, {base_p} + 1 + ((o.j::bigint * 2246822519) % 4294967296) * {n} / 4294967296 AS partner_id,
                   1 + o.j % 5 AS qty,
                   round(50 + (o.j * 31 + 17) % 1450 + (o.j % 100) / 100.0, 2) AS a1,
                   round(50 + (o.j * 53 + 34) % 1450, 2) AS a2,
                   now() AT TIME ZONE 'UTC' - (o.j % 60) * interval '1 day' AS date
              FROM generate_series(1, {orders}) AS o(j)
            """
        )
        order = samples["order"]
        order_overrides = {
            "id": f"{base_o} + o.j",
            "name": "'BS' || lpad(o.j::text, 7, '0')",
            "partner_id": "o.partner_id",
            "partner_invoice_id": "o.partner_id",
            "partner_shipping_id": "o.partner_id",
            "credit_partner_id": "o.partner_id",
            "date_order": "o.date",
            "validity_date": "o.date::date + 30",
            "access_token": "NULL",
            "create_date": stamp,
            "write_date": stamp,
        }
        for column in ("amount_untaxed", "amount_tax", "amount_total"):
            order_overrides[column] = f"round(s.{column} * (o.a1 + o.a2) / 100.0, 2)"
        self.counts["orders"] = self.copy_rows(
            "sale_order",
            order_overrides,
            f"FROM bench_order o JOIN sale_order s ON s.id = {order.id}",
        )
        amount = "(CASE WHEN ln = 1 THEN o.a1 ELSE o.a2 END)"
        line_overrides = {
            "order_id": f"{base_o} + o.j",
            "order_partner_id": "o.partner_id",
            "sequence": "10 * ln",
            "product_uom_qty": "o.qty",
            "qty_to_invoice": "o.qty",
            "price_unit": f"round({amount} / o.qty, 2)",
            "technical_price_unit": f"round({amount} / o.qty, 2)",
            "price_reduce_taxexcl": f"round({amount} / o.qty, 2)",
            "price_reduce_taxinc": f"round({amount} / o.qty, 2)",
            "price_subtotal": f"round({amount} / o.qty, 2) * o.qty",
            "price_total": f"round({amount} / o.qty, 2) * o.qty",
            "untaxed_amount_to_invoice": f"round({amount} / o.qty, 2) * o.qty",
            "create_date": stamp,
            "write_date": stamp,
        }
        self.counts["order_lines"] = self.copy_rows(
            "sale_order_line",
            line_overrides,
            "FROM bench_order o CROSS JOIN generate_series(1, 2) AS ln "
            f"JOIN sale_order_line s ON s.order_id = {order.id}",
        )
        # order totals from their (rounded) lines
        self.sql(
            f"""
            UPDATE sale_order so SET amount_untaxed = t.total, amount_total = t.total
              FROM (SELECT order_id, SUM(price_total) AS total FROM sale_order_line
                     WHERE order_id > {base_o} GROUP BY order_id) t
             WHERE so.id = t.order_id
            """
        )

        # the samples have served: remove their documents (the two sample partners stay, unused),
        # with the foreign key triggers back on so that their lines go with them
        self.sql("SET LOCAL session_replication_role = origin")
        self.sql("DELETE FROM account_move WHERE id = ANY(%s)", [[move.id for move in moves.values()]])
        self.sql("DELETE FROM sale_order WHERE id = %s", [order.id])
        self.env["ir.config_parameter"].set_param(
            META_KEY,
            json.dumps(
                {
                    "customers": n,
                    "invoices": m,
                    "base_partner": base_p,
                    "one_invoice": base_p + one_k,
                    "thousand_invoices": base_p + thousand_k,
                    "product": samples["product"].id,
                    "counts": self.counts,
                }
            ),
        )
        self.env.invalidate_all()
        return self.counts


def data_facts(cr):
    """Counts shown under the report (read before any pass changes the data)."""
    return {
        "open_receivable_lines": scalar(
            cr,
            "SELECT COUNT(*) FROM account_move_line WHERE parent_state = 'posted' AND NOT reconciled "
            "AND account_id = ANY(%s)",
            [receivable_account_ids(cr)],
        ),
        "journal_items_total": scalar(cr, "SELECT COUNT(*) FROM account_move_line"),
    }


def shift_customers(cr, customer_ids, held_ids, share=0.01, days_overdue=60):
    """Change the receivables of ``share`` of ``customer_ids`` so that their hold should change,
    in the generator's way (bulk SQL on the stored columns: no ORM write, no trigger of the addon,
    like time passing and payments booked during the day):

    - half of them are on hold (``held_ids``): every open invoice of theirs gets paid
      (receivable residual 0, reconciled; the invoice ``paid``), so nothing is owed nor overdue;
    - the other half are not on hold and owe something: their open invoices fall due
      ``days_overdue`` days ago.

    Customers are picked by a hash of their id, so spread evenly and the same from run to run.
    The rows changed are kept in temporary tables for :func:`unshift_customers`.

    :return: {"customers": n, "paid": [ids], "overdue": [ids]}
    """
    wanted = max(1, round(len(customer_ids) * share))
    receivables = receivable_account_ids(cr)
    cr.execute(
        """
        SELECT aml.partner_id, SUM(aml.amount_residual)
          FROM account_move_line aml
         WHERE aml.partner_id = ANY(%s) AND aml.account_id = ANY(%s)
           AND aml.parent_state = 'posted' AND NOT aml.reconciled
      GROUP BY aml.partner_id
        HAVING MAX(aml.amount_residual) > 0
        """,
        [list(customer_ids), receivables],
    )
    owing = dict(cr.fetchall())
    held = set(held_ids)

    def spread(ids):
        return sorted(ids, key=lambda pid: ((pid * 2654435761) % 4294967296, pid))

    to_pay = spread(pid for pid in owing if pid in held)[: (wanted + 1) // 2]
    to_overdue = spread(pid for pid, balance in owing.items() if pid not in held and balance > 0)
    to_overdue = to_overdue[: wanted - len(to_pay)]
    open_lines = (
        "partner_id = ANY(%(partners)s) AND account_id = ANY(%(accounts)s) "
        "AND parent_state = 'posted' AND NOT reconciled AND amount_residual > 0"
    )
    # what is about to change, as it was (temporary tables outlive the commits of this connection)
    cr.execute("DROP TABLE IF EXISTS bench_shift_line, bench_shift_move")
    cr.execute(
        f"CREATE TEMP TABLE bench_shift_line AS SELECT * FROM account_move_line WHERE {open_lines}",
        {"partners": to_pay + to_overdue, "accounts": receivables},
    )
    cr.execute(
        "CREATE TEMP TABLE bench_shift_move AS SELECT * FROM account_move "
        "WHERE id IN (SELECT move_id FROM bench_shift_line)"
    )
    if to_pay:
        cr.execute(
            f"""
            WITH paid AS (
                UPDATE account_move_line SET amount_residual = 0, amount_residual_currency = 0, reconciled = true
                 WHERE {open_lines}
             RETURNING move_id
            )
            UPDATE account_move SET amount_residual = 0, amount_residual_signed = 0, payment_state = 'paid'
             WHERE id IN (SELECT move_id FROM paid)
            """,
            {"partners": to_pay, "accounts": receivables},
        )
    if to_overdue:
        cr.execute(
            f"""
            WITH due AS (
                UPDATE account_move_line SET date_maturity = CURRENT_DATE - %(days)s
                 WHERE {open_lines}
             RETURNING move_id
            )
            UPDATE account_move SET invoice_date_due = CURRENT_DATE - %(days)s
             WHERE id IN (SELECT move_id FROM due)
            """,
            {"partners": to_overdue, "accounts": receivables, "days": days_overdue},
        )
    return {"customers": len(to_pay) + len(to_overdue), "paid": to_pay, "overdue": to_overdue}


def unshift_customers(cr):
    """Put back what :func:`shift_customers` changed."""
    cr.execute(
        """
        UPDATE account_move_line l
           SET amount_residual = b.amount_residual, amount_residual_currency = b.amount_residual_currency,
               reconciled = b.reconciled, date_maturity = b.date_maturity
          FROM bench_shift_line b
         WHERE l.id = b.id
        """
    )
    cr.execute(
        """
        UPDATE account_move m
           SET amount_residual = b.amount_residual, amount_residual_signed = b.amount_residual_signed,
               payment_state = b.payment_state, invoice_date_due = b.invoice_date_due
          FROM bench_shift_move b
         WHERE m.id = b.id
        """
    )
    cr.execute("DROP TABLE bench_shift_line, bench_shift_move")
