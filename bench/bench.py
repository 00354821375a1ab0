#!/usr/bin/env python3
"""Benchmark of credit_hold against the floor, Odoo's own credit figures and OCA.

``make bench`` (SIZE=small, the default) or ``make bench SIZE=large`` runs it.
It builds a fresh database ``credit_hold_bench_<size>`` (cloned from the test
runner's template when it exists), installs ``credit_hold`` and OCA's
``account_financial_risk`` without demo data, enables the company's credit
hold (over limit and overdue, 5 grace days) and generates the data set below
with bulk SQL. Then it measures, in this one process, with the Odoo ORM:

(a) the scheduled full evaluation, ``_cron_evaluate_credit_hold(batch_size=5000)``
    called and committed until it returns 0 (``None`` counts as 0);
(b) the same again right after: nothing changed, so nothing is written;
(c) the check at order confirmation, ``_credit_hold_stop_held()``, on 200
    quotations of the customer with 1 invoice and 200 of the customer with
    1,000 invoices (each call rolled back);
(d) the floor: one bare SQL aggregate of the open receivables per customer;
(e) the peers on the same customers: Odoo's ``credit`` / ``credit_to_invoice``
    and OCA's ``risk_total`` / ``risk_exception`` read, and OCA's risk
    exception search.

The data set. Every row is a copy of a document first made through the ORM
(one invoice, one credit note, one payment on account, one confirmed order,
one customer and one contact, each of 100.00), with its partner, dates and
amounts replaced; amounts are scaled from 100.00, so the stored totals,
residuals, signs and states stay consistent with what Odoo computes.

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

Results: a table on stdout, ``bench/results/<size>-<timestamp>.json``,
``bench/results/latest-<size>.json`` and the table in ``bench/RESULTS.md``.
See bench/README.md.
"""

import argparse
import ast
import contextlib
import cProfile
import datetime
import functools
import importlib.util
import io
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
RESULTS_MD = BENCH_DIR / "RESULTS.md"
LOG_DIR = ROOT / ".test-logs"

# customers, invoices
SIZES = {"small": (1_000, 10_000), "large": (100_000, 1_000_000)}
BATCH_SIZE = 5000
CHECK_ORDERS = 200
CHECK_WARMUP = 5
MAX_CRON_CALLS = 10_000
OCA_MODULE = "account_financial_risk"
OCA_SERIES = "18.0"
META_KEY = "credit_hold_bench.meta"
ONE_INVOICE = "Bench One Invoice Co"
THOUSAND_INVOICES = "Bench Thousand Invoices Co"
# Columns that exist only with account_financial_risk installed.
OPTIONAL_COLUMNS = {"risk_invoice_open_include", "risk_invoice_unpaid_include"}


def bench_addons_dir():
    """Where OCA's modules are unpacked: outside the repository."""
    default = Path(os.environ.get("ODOO_HOME", "/opt/odoo18")) / "bench-addons"
    return Path(os.environ.get("BENCH_ADDONS") or default)


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_devtool():
    """The project's Odoo / PostgreSQL helpers (tools/devtool.py), by path."""
    spec = importlib.util.spec_from_file_location("credit_hold_devtool", ROOT / "tools" / "devtool.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------
# OCA's account_financial_risk: wheel from PyPI, unpacked outside the repo
# ----------------------------------------------------------------------


def addon_dir(name, addons_paths):
    for path in addons_paths:
        if (Path(path) / name / "__manifest__.py").is_file():
            return Path(path) / name
    return None


def fetch_oca_addon(name, target):
    """Download the wheel of OCA addon ``name`` for 18.0 and unpack the addon into ``target``."""
    requirement = f"odoo-addon-{name.replace('_', '-')}=={OCA_SERIES}.*"
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q"]
        out = subprocess.run([*cmd, "-d", tmp, requirement], capture_output=True, text=True, check=False)
        wheels = list(Path(tmp).glob("*.whl"))
        if out.returncode or not wheels:
            raise RuntimeError(f"pip download {requirement} failed: {(out.stderr or out.stdout).strip()[-500:]}")
        prefix = f"odoo/addons/{name}/"
        target.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(wheels[0]) as wheel:
            for member in wheel.namelist():
                if member.startswith(prefix) and not member.endswith("/"):
                    dest = target / name / member[len(prefix) :]
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(wheel.read(member))
    if not (target / name / "__manifest__.py").is_file():
        raise RuntimeError(f"the wheel of {requirement} holds no odoo/addons/{name}")


def ensure_oca(odoo_paths):
    """Make OCA's module and its non-core dependencies available.

    :return: (manifest version or None, why not)
    """
    target = bench_addons_dir()
    paths = [*odoo_paths, str(ROOT), str(target)]
    todo, seen = [OCA_MODULE], set()
    try:
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            path = addon_dir(name, paths)
            if path is None:
                log(f"fetching OCA {name} {OCA_SERIES} from PyPI into {target}")
                fetch_oca_addon(name, target)
                path = target / name
            manifest = ast.literal_eval((path / "__manifest__.py").read_text())
            todo.extend(manifest.get("depends", []))
    except (RuntimeError, OSError, ValueError, SyntaxError) as exc:
        return None, str(exc)
    manifest = ast.literal_eval((target / OCA_MODULE / "__manifest__.py").read_text())
    return manifest.get("version"), None


# ----------------------------------------------------------------------
# Database: fresh, from the test runner's template when there is one
# ----------------------------------------------------------------------


def install(devtool, odoo, dbname, modules, addons_path, logfile):
    cmd = odoo.command(
        f"--addons-path={addons_path}",
        *devtool.db_args(),
        "-d",
        dbname,
        "-i",
        ",".join(modules),
        "--without-demo=all",
        "--stop-after-init",
        "--max-cron-threads=0",
        "--log-level=warn",
    )
    with open(logfile, "w") as fh:
        code = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, check=False).returncode
    return code


def tail(path, lines=12):
    text = Path(path).read_text(errors="replace").strip().splitlines()
    return "\n".join(text[-lines:])


def create_database(devtool, odoo, dbname, oca_ok):
    """Fresh database with credit_hold (and OCA) installed.

    :return: (addons path, OCA installed, why not)
    """
    LOG_DIR.mkdir(exist_ok=True)
    devtool.drop_db(dbname)
    template = devtool.template_name(odoo, devtool.addon_dependencies())
    if devtool.db_exists(template):
        log(f"creating {dbname} from template {template}")
        devtool.clone_db(template, dbname)
    else:
        log(f"no template {template}: installing into an empty {dbname} (slower)")
    base_path = odoo.addons_path
    logfile = LOG_DIR / f"{dbname}-install.log"
    why = None
    if oca_ok:
        addons_path = f"{base_path},{bench_addons_dir()}"
        log(f"installing credit_hold and {OCA_MODULE} (log: {logfile.relative_to(ROOT)})")
        if install(devtool, odoo, dbname, ["credit_hold", OCA_MODULE], addons_path, logfile) == 0:
            return addons_path, True, None
        why = f"installing {OCA_MODULE} failed:\n{tail(logfile)}"
        log(why)
        devtool.drop_db(dbname)
        if devtool.db_exists(template):
            devtool.clone_db(template, dbname)
    log("installing credit_hold")
    if install(devtool, odoo, dbname, ["credit_hold"], base_path, logfile):
        raise RuntimeError(f"installing credit_hold failed, see {logfile}:\n{tail(logfile)}")
    return base_path, False, why


# ----------------------------------------------------------------------
# Memory and timing helpers
# ----------------------------------------------------------------------


def reset_peak_rss():
    """Reset VmHWM (Linux) so that the next peak is the one of the step."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss_mb():
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Parts:
    """Inclusive time and queries spent in named methods (wrapped in place)."""

    def __init__(self):
        self.stats = defaultdict(lambda: {"seconds": 0.0, "calls": 0, "queries": 0})
        self._restore = []

    def wrap_method(self, model, name, label):
        cls = type(model)
        if not hasattr(cls, name):
            return
        original = getattr(cls, name)
        had_own = name in cls.__dict__
        stats = self.stats[label]

        @functools.wraps(original)
        def wrapper(records, *args, **kwargs):
            cr = records.env.cr
            queries, start = cr.sql_log_count, time.perf_counter()
            try:
                return original(records, *args, **kwargs)
            finally:
                stats["seconds"] += time.perf_counter() - start
                stats["calls"] += 1
                stats["queries"] += cr.sql_log_count - queries

        setattr(cls, name, wrapper)
        self._restore.append((cls, name, original if had_own else None))

    def wrap_function(self, module, name, label):
        original = getattr(module, name, None)
        if original is None:
            return
        stats = self.stats[label]

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                stats["seconds"] += time.perf_counter() - start
                stats["calls"] += 1

        setattr(module, name, wrapper)
        self._restore.append((module, name, original))

    def reset(self):
        for stats in self.stats.values():
            stats.update(seconds=0.0, calls=0, queries=0)

    def snapshot(self):
        """The parts that ran, the longest first."""
        ran = sorted((item for item in self.stats.items() if item[1]["calls"]), key=lambda item: -item[1]["seconds"])
        return {
            label: {"seconds": round(s["seconds"], 3), "calls": s["calls"], "queries": s["queries"]} for label, s in ran
        }

    def unwrap(self):
        for owner, name, original in reversed(self._restore):
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)
        self._restore.clear()


def percentile(values, pct):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


# ----------------------------------------------------------------------
# The data set (bulk SQL, copies of ORM-made samples)
# ----------------------------------------------------------------------


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
        order.order_line.tax_id = False
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

        receivable_ids = self.receivable_account_ids()
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

    def receivable_account_ids(self):
        self.cr.execute("SELECT id FROM account_account WHERE account_type = 'asset_receivable' ORDER BY id")
        return [row[0] for row in self.cr.fetchall()]


# ----------------------------------------------------------------------
# The measures
# ----------------------------------------------------------------------


class Bench:
    def __init__(self, env, meta, oca_installed, parts):
        self.env = env
        self.cr = env.cr
        self.meta = meta
        self.company = env.company
        self.oca_installed = oca_installed
        self.parts = parts
        self.customer_ids = list(range(meta["base_partner"] + 1, meta["base_partner"] + meta["customers"] + 3))
        self.customer_set = set(self.customer_ids)

    def scalar(self, query, params=None):
        self.cr.execute(query, params)
        return self.cr.fetchone()[0]

    def on_hold_count(self):
        return self.scalar(
            "SELECT COUNT(*) FROM res_partner WHERE id = commercial_partner_id AND (on_hold->>%s)::boolean",
            [str(self.company.id)],
        )

    def full_evaluation(self, profile=None):
        """(a) and (b): the scheduled job, committed after each call, until it returns 0."""
        cr = self.cr
        partner = self.env["res.partner"]
        since = self.scalar("SELECT now() AT TIME ZONE 'UTC'")
        last_message = self.scalar("SELECT COALESCE(MAX(id), 0) FROM mail_message")
        cr.commit()
        self.env.invalidate_all()
        self.parts.reset()
        reset_peak_rss()
        queries, calls, returns = cr.sql_log_count, 0, []
        start = time.perf_counter()
        if profile:
            profile.enable()
        commit = {"seconds": 0.0, "calls": 0, "queries": 0}
        while True:
            remaining = partner._cron_evaluate_credit_hold(batch_size=BATCH_SIZE)
            # the commit flushes what the call left pending and writes the tracking messages
            commit_queries, commit_start = cr.sql_log_count, time.perf_counter()
            cr.commit()
            commit["seconds"] += time.perf_counter() - commit_start
            commit["queries"] += cr.sql_log_count - commit_queries
            commit["calls"] += 1
            calls += 1
            returns.append(remaining)
            if not remaining:
                break
            if calls >= MAX_CRON_CALLS:
                raise RuntimeError(f"_cron_evaluate_credit_hold still returns {remaining} after {calls} calls")
        if profile:
            profile.disable()
        seconds = time.perf_counter() - start
        parts = self.parts.snapshot()
        result = {
            "seconds": round(seconds, 3),
            "queries": cr.sql_log_count - queries,
            "calls": calls,
            "returned": returns[:5] + (["..."] if len(returns) > 5 else []),
            "peak_rss_mb": peak_rss_mb(),
            "rows_written": self.scalar("SELECT COUNT(*) FROM res_partner WHERE write_date >= %s", [since]),
            "messages": self.scalar("SELECT COUNT(*) FROM mail_message WHERE id > %s", [last_message]),
            "on_hold": self.on_hold_count(),
            "parts": {
                **parts,
                "commit after each call (flush, tracking messages)": {
                    "seconds": round(commit["seconds"], 3),
                    "calls": commit["calls"],
                    "queries": commit["queries"],
                },
            },
        }
        cr.commit()
        return result

    def floor(self, runs=3):
        """(d): one bare SQL aggregate over the same open receivable lines (best of ``runs``)."""
        query = """
            SELECT aml.partner_id, SUM(aml.amount_residual),
                   COALESCE(SUM(aml.amount_residual) FILTER (WHERE aml.date_maturity < CURRENT_DATE - %s), 0)
              FROM account_move_line aml
             WHERE aml.parent_state = 'posted' AND NOT aml.reconciled
               AND aml.account_id = ANY(%s) AND aml.company_id = %s
          GROUP BY aml.partner_id
        """
        self.cr.execute("SELECT id FROM account_account WHERE account_type = 'asset_receivable'")
        accounts = [row[0] for row in self.cr.fetchall()]
        grace = self.company.credit_hold_grace_days
        times, rows = [], []
        for _ in range(runs):
            start = time.perf_counter()
            self.cr.execute(query, [grace, accounts, self.company.id])
            rows = self.cr.fetchall()
            times.append(time.perf_counter() - start)
        return {
            "seconds": round(min(times), 4),
            "runs": [round(t, 4) for t in times],
            "partners": len(rows),
            "queries": 1,
            "balance_sum": round(float(sum(row[1] for row in rows if row[0] in self.customer_set)), 2),
        }

    def timed_read(self, fields, label):
        """Read ``fields`` on all bench customers through the ORM, cold cache."""
        self.env.invalidate_all()
        partners = self.env["res.partner"].with_company(self.company).browse(self.customer_ids)
        reset_peak_rss()
        queries, start = self.cr.sql_log_count, time.perf_counter()
        values = partners.read(fields)
        seconds = time.perf_counter() - start
        result = {
            "seconds": round(seconds, 3),
            "queries": self.cr.sql_log_count - queries,
            "partners": len(values),
            "peak_rss_mb": peak_rss_mb(),
        }
        log(f"{label}: {seconds:.3f} s")
        self.cr.rollback()
        return result, values

    def native(self):
        """(e) Odoo's own figures: ``credit`` (receivables) and ``credit_to_invoice`` (orders)."""
        result, values = self.timed_read(["credit", "credit_to_invoice"], "native credit + credit_to_invoice")
        partners = self.env["res.partner"].with_company(self.company).browse(self.customer_ids)
        limits = {row["id"]: row["credit_limit"] for row in partners.read(["credit_limit"])}
        result["balance_sum"] = round(sum(row["credit"] for row in values), 2)
        result["over_limit"] = sum(
            1
            for row in values
            if limits.get(row["id"]) and row["credit"] + row["credit_to_invoice"] >= limits[row["id"]]
        )
        self.cr.rollback()
        return result

    def ours_figures(self):
        """Our non-stored figures on all customers, read like the native ones."""
        fields = ["total_balance", "credit_exposure", "overdue_amount"]
        result, values = self.timed_read(fields, "ours: figures read")
        result["balance_sum"] = round(sum(row["total_balance"] for row in values), 2)
        return result

    def oca(self):
        """(e) OCA's account_financial_risk: risk_total / risk_exception read, then its search."""
        if not self.oca_installed:
            return None
        read, values = self.timed_read(["risk_total", "risk_exception"], "OCA risk_total + risk_exception read")
        read["exceptions"] = sum(1 for row in values if row["risk_exception"])
        self.env.invalidate_all()
        reset_peak_rss()
        queries, start = self.cr.sql_log_count, time.perf_counter()
        found = self.env["res.partner"].with_company(self.company).search([("risk_exception", "=", True)])
        seconds = time.perf_counter() - start
        search = {
            "seconds": round(seconds, 3),
            "queries": self.cr.sql_log_count - queries,
            "found": len(found),
            "peak_rss_mb": peak_rss_mb(),
        }
        log(f"OCA risk exception search: {seconds:.3f} s")
        self.cr.rollback()
        return {"read": read, "search": search}

    def confirmation(self):
        """(c): ``_credit_hold_stop_held()`` on 200 quotations of each special customer."""
        env, cr = self.env, self.cr
        customers = {"1 invoice": self.meta["one_invoice"], "1,000 invoices": self.meta["thousand_invoices"]}
        cr.execute(
            "DELETE FROM sale_order WHERE state = 'draft' AND partner_id = ANY(%s)",
            [list(customers.values())],
        )
        product = env["product.product"].browse(self.meta["product"])
        orders = {}
        for label, partner_id in customers.items():
            orders[label] = (
                env["sale.order"]
                .with_context(tracking_disable=True)
                .create(
                    [
                        {
                            "partner_id": partner_id,
                            "order_line": [
                                (
                                    0,
                                    0,
                                    {
                                        "product_id": product.id,
                                        "product_uom_qty": 1,
                                        "price_unit": 10.0,
                                        "tax_id": [(6, 0, [])],
                                    },
                                )
                            ],
                        }
                        for _ in range(CHECK_ORDERS)
                    ]
                )
                .ids
            )
        cr.commit()
        results = {}
        for label, ids in orders.items():
            for order_id in ids[:CHECK_WARMUP]:
                env["sale.order"].browse(order_id)._credit_hold_stop_held()
                cr.rollback()
            times, queries, held = [], [], 0
            for order_id in ids:
                order = env["sale.order"].browse(order_id)
                count, start = cr.sql_log_count, time.perf_counter()
                stopped = order._credit_hold_stop_held()
                times.append((time.perf_counter() - start) * 1000)
                queries.append(cr.sql_log_count - count)
                held += len(stopped)
                cr.rollback()
            results[label] = {
                "orders": len(ids),
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(percentile(times, 95), 2),
                "max_ms": round(max(times), 2),
                "mean_ms": round(statistics.fmean(times), 2),
                "queries": statistics.median_low(queries),
                "queries_min_max": [min(queries), max(queries)],
                "held": held,
            }
            log(
                f"confirmation check, {label}: p50 {results[label]['p50_ms']} ms, "
                f"p95 {results[label]['p95_ms']} ms, {results[label]['queries']} queries"
            )
        return results

    def data_facts(self):
        recv = DataSet(self.env, 0, 0).receivable_account_ids()
        return {
            "open_receivable_lines": self.scalar(
                "SELECT COUNT(*) FROM account_move_line WHERE parent_state = 'posted' AND NOT reconciled "
                "AND account_id = ANY(%s)",
                [recv],
            ),
            "journal_items_total": self.scalar("SELECT COUNT(*) FROM account_move_line"),
        }


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------


def ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


def evaluate_targets(res):
    full, nochange = res["full_evaluation"], res["no_change"]
    targets = [
        ("full evaluation under 15 s", "< 15 s", f"{full['seconds']} s", full["seconds"] < 15),
        (
            "full evaluation within 10x of the floor (d)",
            "<= 10x",
            f"{res['ratios']['ours_floor']}x",
            res["ratios"]["ours_floor"] is not None and res["ratios"]["ours_floor"] <= 10,
        ),
        ("no-change run writes 0 rows", "0", str(nochange["rows_written"]), nochange["rows_written"] == 0),
        (
            "memory of the full evaluation under 1.5 GB",
            "< 1536 MB",
            f"{full['peak_rss_mb']} MB",
            full["peak_rss_mb"] < 1536,
        ),
    ]
    oca = res["oca"]
    if oca:
        speedup = ratio(oca["read"]["seconds"], full["seconds"])
        targets.append(
            ("at least 10x faster than OCA's risk computation", ">= 10x", f"{speedup}x", (speedup or 0) >= 10)
        )
    else:
        targets.append(("at least 10x faster than OCA's risk computation", ">= 10x", "OCA not installed", None))
    native = res["native"]["seconds"]
    targets.append(
        (
            "not slower than Odoo's native credit figures",
            f"<= {native} s",
            f"{full['seconds']} s",
            full["seconds"] <= native,
        )
    )
    checks = res["confirmation"]
    one, thousand = checks["1 invoice"], checks["1,000 invoices"]
    worst = max(one["p95_ms"], thousand["p95_ms"])
    targets.append(("confirmation check p95 under 25 ms", "< 25 ms", f"{worst} ms", worst < 25))
    same = one["queries"] == thousand["queries"] and thousand["p95_ms"] <= 1.25 * one["p95_ms"] + 1
    targets.append(
        (
            "same check for 1 and 1,000 invoices",
            "same queries, p95 within 25 % + 1 ms",
            f"{one['queries']}/{thousand['queries']} queries, {one['p95_ms']}/{thousand['p95_ms']} ms",
            same,
        )
    )
    return [{"target": t, "wanted": w, "measured": m, "ok": ok} for t, w, m, ok in targets]


def mark(ok):
    return {True: "ok", False: "MISSED", None: "n/a"}[ok]


def report_lines(res, markdown=False):
    """The result table, as plain text or markdown."""
    full, nochange, floor, native = res["full_evaluation"], res["no_change"], res["floor"], res["native"]
    oca, ours_read, checks = res["oca"], res["ours_figures_read"], res["confirmation"]
    rows = [
        ("(a) full evaluation (cron, all customers)", full["seconds"], full["queries"], full["rows_written"],
         full["peak_rss_mb"]),
        ("(b) no-change run", nochange["seconds"], nochange["queries"], nochange["rows_written"],
         nochange["peak_rss_mb"]),
        ("(d) floor: bare SQL aggregate", floor["seconds"], 1, None, None),
        ("(e) Odoo native credit + credit_to_invoice", native["seconds"], native["queries"], None,
         native["peak_rss_mb"]),
        ("(e) ours: figures read (balance, exposure, overdue)", ours_read["seconds"], ours_read["queries"], None,
         ours_read["peak_rss_mb"]),
    ]  # fmt: skip
    if oca:
        rows.append(
            ("(e) OCA risk_total + risk_exception read", oca["read"]["seconds"], oca["read"]["queries"], None,
             oca["read"]["peak_rss_mb"])
        )  # fmt: skip
        rows.append(
            ("(e) OCA risk exception search", oca["search"]["seconds"], oca["search"]["queries"], None,
             oca["search"]["peak_rss_mb"])
        )  # fmt: skip

    def cell(value, unit=""):
        return "-" if value is None else f"{value:,}{unit}" if isinstance(value, int) else f"{value}{unit}"

    data = res["data"]
    title = (
        f"credit_hold benchmark, {res['size']}: {data['customers']:,} customers, {data['invoices']:,} invoices "
        f"(+{data['special_invoices']:,} of the 2 special customers), {res['timestamp']}"
    )
    out = []
    if markdown:
        out += [
            f"### {title}",
            "",
            "| measure | time | queries | rows written | peak RSS |",
            "|---|---:|---:|---:|---:|",
        ]
        out += [f"| {r[0]} | {r[1]} s | {cell(r[2])} | {cell(r[3])} | {cell(r[4], ' MB')} |" for r in rows]
    else:
        out += [title, "", f"{'measure':<54}{'time':>11}{'queries':>10}{'rows written':>14}{'peak RSS':>12}"]
        out += [f"{r[0]:<54}{r[1]:>9} s{cell(r[2]):>10}{cell(r[3]):>14}{cell(r[4], ' MB'):>12}" for r in rows]
    out.append("")
    check_head = ("(c) confirmation check, 200 orders", "p50", "p95", "max", "queries")
    if markdown:
        out += [f"| {' | '.join(check_head)} |", "|---|---:|---:|---:|---:|"]
    else:
        out.append(f"{check_head[0]:<54}{check_head[1]:>11}{check_head[2]:>10}{check_head[3]:>14}{check_head[4]:>12}")
    for label, c in checks.items():
        name = f"customer with {label}"
        if markdown:
            out.append(f"| {name} | {c['p50_ms']} ms | {c['p95_ms']} ms | {c['max_ms']} ms | {c['queries']} |")
        else:
            out.append(f"{name:<54}{c['p50_ms']:>8} ms{c['p95_ms']:>7} ms{c['max_ms']:>11} ms{c['queries']:>12}")
    out.append("")

    def note(text):
        out.append(f"- {text}" if markdown else text)

    r = res["ratios"]
    note(
        f"ratios (a) / peer: ours/native {r['ours_native']}, ours/OCA {r['ours_oca']}, ours/floor {r['ours_floor']}; "
        f"on hold after (a): {full['on_hold']:,} of {data['customers'] + 2:,} customers"
        f" ({full['messages']:,} chatter messages); OCA risk exceptions: "
        f"{oca['read']['exceptions'] if oca else '-'}; native over limit: {native['over_limit']}"
    )
    note(
        f"sanity, sum of the customers' open receivables: floor {floor['balance_sum']:,}, "
        f"ours {ours_read['balance_sum']:,}, Odoo native {native['balance_sum']:,}"
    )
    if full["parts"]:
        out.append("")
        out.append("where the time of (a) goes (inclusive; nested parts overlap):")
        if markdown:
            out += ["", "| part | time | calls | queries |", "|---|---:|---:|---:|"]
        for label, p in full["parts"].items():
            if markdown:
                out.append(f"| {label} | {p['seconds']} s | {p['calls']:,} | {p['queries']:,} |")
            else:
                out.append(f"  {label:<52}{p['seconds']:>9} s{p['calls']:>10,} calls{p['queries']:>10,} queries")
    out.append("")
    out.append("targets (set for the large size):")
    if markdown:
        out += ["", "| target | wanted | measured | |", "|---|---|---|---|"]
    for t in res["targets"]:
        if markdown:
            out.append(f"| {t['target']} | {t['wanted']} | {t['measured']} | {mark(t['ok'])} |")
        else:
            out.append(f"  {mark(t['ok']):<7}{t['target']:<50}{t['wanted']:<38}{t['measured']}")
    m = res["machine"]
    out.append("")
    note(
        f"machine: {m['cpu_count']} CPU ({m['cpu_model']}), {m['memory_gb']} GB RAM, PostgreSQL {m['postgresql']}, "
        f"Odoo {m['odoo']}, Python {m['python']}, OCA {OCA_MODULE} {m['oca_version'] or '(not installed)'}"
    )
    code = res["code"]
    changed = code["credit_hold_changed_files"]
    dirty = f" + {changed} uncommitted file(s)" if changed else ""
    note(f"code: credit_hold at commit {code['commit']}{dirty}")
    if res.get("oca_why_not"):
        note("OCA not measured: " + res["oca_why_not"].replace("\n", " / "))
    note(
        f"data: generated in {data['generation_seconds']} s ({data['journal_items_total']:,} journal items, "
        f"{data['open_receivable_lines']:,} open receivable lines, {data['orders']:,} confirmed orders, "
        f"{data['contacts']:,} contacts, {data['credit_notes']:,} credit notes, "
        f"{data['payments_on_account']:,} payments on account)"
    )
    return out


def write_results(res):
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = res["timestamp"].replace(":", "").replace("-", "").replace(" ", "-")
    text = json.dumps(res, indent=2, default=str)
    for name in (f"{res['size']}-{stamp}.json", f"latest-{res['size']}.json"):
        (RESULTS_DIR / name).write_text(text + "\n")
    begin, end = f"<!-- bench:{res['size']} -->", f"<!-- /bench:{res['size']} -->"
    section = "\n".join([begin, *report_lines(res, markdown=True), end])
    current = RESULTS_MD.read_text() if RESULTS_MD.exists() else ""
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        current = head + section + rest.split(end, 1)[1]
    else:
        if not current:
            current = (
                "# Benchmark results\n\nWritten by `make bench` (small) and `make bench SIZE=large`; "
                "see bench/README.md for the data set and the measures.\n"
            )
        current = current.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS_MD.write_text(current)


def code_facts():
    """Which credit_hold was measured: the commit, and the files changed since (read-only git)."""

    def git(*args):
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return out.stdout.strip() if out.returncode == 0 else None

    status = git("status", "--porcelain", "--", "credit_hold")
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "credit_hold_changed_files": len(status.splitlines()) if status else 0,
    }


def machine_facts(cr, oca_version):
    import odoo

    cr.execute("SHOW server_version")
    pg = cr.fetchone()[0]
    cpu_model = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    memory = None
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gb": memory,
        "postgresql": pg,
        "odoo": odoo.release.version,
        "python": platform.python_version(),
        "oca_version": oca_version,
    }


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def open_registry(devtool, dbname, addons_path):
    import odoo
    from odoo.tools import config

    config.parse_config([f"--addons-path={addons_path}", *devtool.db_args(), "-d", dbname, "--log-level=warn"])
    return odoo.modules.registry.Registry(dbname)


def wrap_parts(env, parts):
    """Time every ``_credit_hold_*`` method of res.partner (whatever the module
    calls them today), its ``write`` and the pure ``decide()``."""
    partner = env["res.partner"]
    names = sorted(name for name in dir(type(partner)) if name.startswith(("_credit_hold_", "_cron_evaluate_credit")))
    for name in [*names, "write"]:
        if callable(getattr(type(partner), name, None)):
            parts.wrap_method(partner, name, f"res.partner.{name}()")
    module = sys.modules.get("odoo.addons.credit_hold.models.res_partner")
    if module is not None:
        parts.wrap_function(module, "decide", "decide() (pure rules)")


def run(args, devtool):
    odoo_bin = os.environ["BENCH_ODOO_BIN"]
    sys.path.insert(0, str(Path(odoo_bin).resolve().parent))
    odoo_paths = [p for p in os.environ.get("BENCH_ODOO_ADDONS", "").split(",") if p]
    odoo = devtool.Odoo(odoo_bin, sys.executable, odoo_paths)
    customers, invoices = SIZES[args.size]
    customers = args.customers or customers
    invoices = args.invoices or invoices
    dbname = args.db or f"credit_hold_bench_{args.size}"
    started = time.perf_counter()

    oca_version, oca_why = ensure_oca(odoo_paths)
    if oca_why:
        log(f"OCA {OCA_MODULE} not available: {oca_why}")
    if args.reuse_db:
        addons_path = f"{odoo.addons_path},{bench_addons_dir()}" if oca_version else odoo.addons_path
        oca_installed = oca_version is not None
    else:
        addons_path, oca_installed, why = create_database(devtool, odoo, dbname, oca_version is not None)
        oca_why = oca_why or why
    if not oca_installed:
        oca_version = None

    from odoo import SUPERUSER_ID, api

    registry = open_registry(devtool, dbname, addons_path)
    if oca_installed and OCA_MODULE not in registry._init_modules:
        oca_installed, oca_version = False, None
        oca_why = oca_why or f"{OCA_MODULE} is not installed in {dbname}"
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.company
        if args.reuse_db:
            meta = json.loads(env["ir.config_parameter"].get_param(META_KEY) or "null")
            if not meta:
                raise RuntimeError(f"{dbname} holds no bench data: run without --reuse-db")
            log(f"reusing {dbname}: holds reset")
            cr.execute("UPDATE res_partner SET on_hold = NULL, credit_hold_reason = NULL WHERE on_hold IS NOT NULL")
            counts, generation = meta["counts"], meta.get("generation_seconds")
        else:
            settings = {"account_use_credit_limit": True}
            if oca_installed:
                settings["invoice_unpaid_margin"] = 5
            company.write(settings)
            log(f"generating the data set: {customers:,} customers, {invoices:,} invoices")
            start = time.perf_counter()
            counts = DataSet(env, customers, invoices).generate()
            cr.commit()
            cr.execute("ANALYZE")
            generation = round(time.perf_counter() - start, 1)
            cr.commit()
            meta = json.loads(env["ir.config_parameter"].get_param(META_KEY))
            meta["generation_seconds"] = generation
            env["ir.config_parameter"].set_param(META_KEY, json.dumps(meta))
            log(f"data set generated in {generation} s: {counts}")
        company.write(
            {
                "credit_hold_enabled": True,
                "credit_hold_over_limit": True,
                "credit_hold_overdue": True,
                "credit_hold_grace_days": 5,
            }
        )
        cr.commit()

        parts = Parts()
        wrap_parts(env, parts)
        bench = Bench(env, meta, oca_installed, parts)
        profile = cProfile.Profile() if args.profile else None
        log("(a) full evaluation ...")
        full = bench.full_evaluation(profile)
        log(f"(a) full evaluation: {full['seconds']} s, {full['rows_written']} rows written, {full['calls']} call(s)")
        if profile:
            LOG_DIR.mkdir(exist_ok=True)
            stream = io.StringIO()
            pstats.Stats(profile, stream=stream).sort_stats("cumulative").print_stats(60)
            path = LOG_DIR / f"bench-{args.size}-profile.txt"
            path.write_text(stream.getvalue())
            log(f"profile of (a) (cProfile, inflates the time): {path}")
        log("(b) no-change run ...")
        nochange = bench.full_evaluation()
        log(f"(b) no-change run: {nochange['seconds']} s, {nochange['rows_written']} rows written")
        parts.unwrap()
        floor = bench.floor()
        log(f"(d) floor: {floor['seconds']} s for {floor['partners']} customers")
        native = bench.native()
        ours_read = bench.ours_figures()
        oca = bench.oca()
        log("(c) confirmation checks ...")
        checks = bench.confirmation()
        facts = bench.data_facts()
        res = {
            "size": args.size if not (args.customers or args.invoices) else "custom",
            "timestamp": datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
            "database": dbname,
            "machine": machine_facts(cr, oca_version),
            "code": code_facts(),
            "data": {
                **counts,
                **facts,
                "customers": meta["customers"],
                "invoices": meta["invoices"],
                "generation_seconds": generation,
            },
            "full_evaluation": full,
            "no_change": nochange,
            "floor": floor,
            "native": native,
            "ours_figures_read": ours_read,
            "oca": oca,
            "oca_why_not": oca_why if not oca_installed else None,
            "confirmation": checks,
        }
        res["ratios"] = {
            "ours_native": ratio(full["seconds"], native["seconds"]),
            "ours_oca": ratio(full["seconds"], oca["read"]["seconds"]) if oca else None,
            "ours_floor": ratio(full["seconds"], floor["seconds"]),
        }
        res["targets"] = evaluate_targets(res)
        res["total_seconds"] = round(time.perf_counter() - started, 1)
        cr.rollback()
    print()
    print("\n".join(report_lines(res)))
    write_results(res)
    print(f"\nresults: {RESULTS_DIR.relative_to(ROOT)}/latest-{res['size']}.json, {RESULTS_MD.relative_to(ROOT)}")
    print(f"total {res['total_seconds']} s; database {dbname} kept for inspection")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default=os.environ.get("SIZE") or "small")
    parser.add_argument("--customers", type=int, help="override the size's number of customers")
    parser.add_argument("--invoices", type=int, help="override the size's number of invoices")
    parser.add_argument("--db", help="database name (default credit_hold_bench_<size>)")
    parser.add_argument("--reuse-db", action="store_true", help="measure again on the existing bench database")
    parser.add_argument("--profile", action="store_true", help="cProfile the full evaluation into .test-logs/")
    args = parser.parse_args()
    devtool = load_devtool()
    if not os.environ.get("BENCH_ODOO_BIN"):
        odoo, why = devtool.find_odoo()
        if not odoo:
            print(
                f"make bench: no Odoo 18.0 found: {why}.\n"
                "Install Odoo 18.0 (see README.md, 'Prerequisites') or point ODOO_HOME / ODOO_BIN / ODOO_PYTHON at it."
            )
            return 2
        env = {**os.environ, "BENCH_ODOO_BIN": odoo.bin, "BENCH_ODOO_ADDONS": ",".join(odoo.addons_paths)}
        argv = [odoo.python, str(Path(__file__).resolve()), *sys.argv[1:]]
        os.execve(odoo.python, argv, env)  # noqa: S606 - the same script, in the Odoo interpreter
    return run(args, devtool)


if __name__ == "__main__":
    sys.exit(main())
