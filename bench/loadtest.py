#!/usr/bin/env python3
"""Load test of order confirmation over XML-RPC: credit hold on against off.

``make loadtest`` runs it with plain python3 (standard library only); Odoo is
found as ``make test`` finds it (tools/devtool.py) and runs in its own
interpreter.

1. A database ``credit_hold_loadtest`` with ``credit_hold`` installed, cloned
   from the test runner's template when it exists (``--reuse-db``: use it as
   it is). The admin password is set to ``--password`` (default ``admin``).
2. Odoo serves that database with ``--workers`` (default 4) on free ports of
   127.0.0.1, ``--max-cron-threads=0``. It is stopped at the end, also on
   error or Ctrl-C.
3. Through XML-RPC: the company gets credit hold on, limit basis
   ``exposure``; one product at a fixed price, no tax; for each phase, fresh
   customers with credit limits and fresh quotations.
4. Each phase confirms its quotations (``sale.order.action_confirm`` through
   ``execute_kw``, one order a request) from ``--clients`` (default 16)
   threads, each with its own ServerProxy. Measured: latency per request,
   throughput and the server's CPU time (utime + stime from /proc) of Odoo's
   processes and of the PostgreSQL backends of the database, per order.
5. Shapes: (a) one order per customer; (b) six orders per customer, queued
   customer by customer so that the clients confirm orders of the same
   customer at the same moment; (c) is (a) with limits nobody reaches (the
   check alone). Three rounds of ON, OFF per shape,
   ``credit_hold_enabled`` switched by RPC between phases.
6. After each phase the orders are read from the database (psql) and checked:
   no order lost, no failed request, and with credit hold on the confirmed
   orders of each customer stay under its limit while exactly the orders that
   did not fit are held.

Results: a table on stdout, ``bench/results/loadtest-<timestamp>.json`` and
the figures section of ``bench/LOADTEST.md``. See bench/LOADTEST.md.
"""

import argparse
import collections
import contextlib
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import xmlrpc.client
from pathlib import Path

from credit_bench.common import load_devtool, log
from credit_bench.database import from_template
from credit_bench.report import code_facts

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
LOADTEST_MD = BENCH_DIR / "LOADTEST.md"
LOG_DIR = ROOT / ".test-logs"

HOST = "127.0.0.1"  # the only host this script ever talks to
DBNAME = "credit_hold_loadtest"
PRICE = 100.0  # the product's fixed price, no tax
# shape (a): one order per customer of 1, 2 or 3 units, limit 250: the 3-unit orders (300) do not fit
A_LIMIT = 250.0
# shape (c): shape (a) with a limit nobody reaches: the check alone, nothing held
C_LIMIT = 1000.0
# shape (b): six orders of one unit per customer, limit 350 (3.5 orders): three fit, three are held
B_ORDERS_PER_CUSTOMER = 6
B_LIMIT = 350.0
# issue "Confirmation at plain Odoo's cost": each the median of the rounds' ON/OFF ratios (queries: ON - OFF,
# in-worker p50: ON - OFF in ms)
TARGETS = {
    "c": {"throughput": None, "cpu": 1.05, "queries": 2, "p50_ms": 5},
    "a": {"throughput": 0.9, "cpu": 1.1, "queries": None, "p50_ms": None},
    "b": {"throughput": 0.75, "cpu": None, "queries": None, "p50_ms": None},
}
REQUEST_TIMEOUT = 120  # seconds, one XML-RPC request
PHASE_TIMEOUT = 180  # seconds, one phase: orders not sent by then count as failed
START_TIMEOUT = 120  # seconds for Odoo to answer
CLK_TCK = os.sysconf("SC_CLK_TCK")
# one section of figures per Odoo series
FIGURES_MARKERS = "<!-- loadtest:figures-{series} -->", "<!-- /loadtest:figures-{series} -->"


# Odoo's request log line ends with: query count, SQL seconds, other seconds (retries and their waits
# included); 19.0 adds "#model.method" to the path
REQUEST_LOG_RE = re.compile(r'"POST /xmlrpc/2/object(?:#[\w.]+)? HTTP/[\d.]+" 200 - (\d+) ([\d.]+) ([\d.]+)')


def percentile(values, pct):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


# ----------------------------------------------------------------------
# The database
# ----------------------------------------------------------------------


def odoo_cmd(devtool, odoo, dbname, *args, subcommand=None):
    head = [subcommand] if subcommand else []
    return odoo.command(*head, f"--addons-path={odoo.addons_path}", *devtool.db_args(), "-d", dbname, *args)


def prepare_database(devtool, odoo, dbname, password, reuse):
    """A database with credit_hold installed and a known admin password."""
    LOG_DIR.mkdir(exist_ok=True)
    if reuse and devtool.db_exists(dbname):
        log(f"reusing database {dbname}")
        return
    from_template(devtool, odoo, dbname)
    logfile = LOG_DIR / f"{dbname}-install.log"
    log(f"installing credit_hold (log: {logfile.relative_to(ROOT)})")
    cmd = odoo_cmd(
        devtool,
        odoo,
        dbname,
        "-i",
        "credit_hold",
        *devtool.without_demo(),
        "--stop-after-init",
        "--max-cron-threads=0",
        "--http-port=0",
        "--log-level=warn",
    )
    with open(logfile, "w") as fh:
        code = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, check=False).returncode
    if code:
        raise RuntimeError(f"installing credit_hold failed (exit {code}), see {logfile}")
    log("setting the admin password")
    script = (
        "user = env.ref('base.user_admin')\n"
        f"user.password = {password!r}\n"
        "env.cr.commit()\n"
    )  # fmt: skip
    out = subprocess.run(
        odoo_cmd(devtool, odoo, dbname, "--no-http", "--log-level=warn", subcommand="shell"),
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise RuntimeError(f"setting the admin password failed: {out.stderr[-1000:]}")


# ----------------------------------------------------------------------
# The server: Odoo with workers on 127.0.0.1, always stopped
# ----------------------------------------------------------------------


# Run with Odoo's Python: makes pkg_resources find the distributions gevent requires.
# An old setuptools' pkg_resources does not find a distribution installed under the normalized
# name (zope_interface-8.7.dist-info for zope.interface): Odoo's gevent process (spawned by the
# master with --workers) then dies at start, and the master spawns it again and again, burning
# about 0.5 s of CPU each time. The shim is one METADATA file per such distribution, naming
# the installed version; no code.
GEVENT_SHIM = """
import importlib.metadata, os, sys
try:
    import pkg_resources
except ImportError:
    sys.exit(0)
shim, made = sys.argv[1], []
for _ in range(20):
    try:
        pkg_resources.WorkingSet([shim, *sys.path]).require("gevent")
        break
    except pkg_resources.DistributionNotFound as exc:
        name = exc.req.project_name
        version = importlib.metadata.version(name)
        folder = os.path.join(shim, f"{name}-{version}.dist-info")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "METADATA"), "w") as fh:
            fh.write(f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n")
        made.append(f"{name} {version}")
print(", ".join(made))
"""


def gevent_shim(odoo):
    """Extra environment for the server: PYTHONPATH with the shim, when one is needed."""
    shim = LOG_DIR / "loadtest-gevent-shim"
    shutil.rmtree(shim, ignore_errors=True)
    shim.mkdir(parents=True)
    out = subprocess.run([odoo.python, "-c", GEVENT_SHIM, str(shim)], capture_output=True, text=True, check=False)
    if out.returncode:
        log(
            f"warning: gevent's requirements cannot be resolved; Odoo's gevent process may fail to start:\n{out.stderr}"
        )
        return {}, None
    made = out.stdout.strip()
    if not made:
        return {}, None
    log(f"gevent: pkg_resources does not find {made}: metadata shim in {shim.relative_to(ROOT)} on PYTHONPATH")
    path = os.pathsep.join(p for p in (str(shim), os.environ.get("PYTHONPATH")) if p)
    return {"PYTHONPATH": path}, made


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class OdooServer:
    """``with OdooServer(...) as server:`` starts Odoo and stops it on the way out."""

    def __init__(self, devtool, odoo, dbname, workers, logfile):
        self.port = free_port()
        self.gevent_port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.logfile = logfile
        self.cmd = odoo_cmd(
            devtool,
            odoo,
            dbname,
            f"--db-filter=^{dbname}$",
            f"--http-interface={HOST}",
            f"--http-port={self.port}",
            f"--gevent-port={self.gevent_port}",
            f"--workers={workers}",
            "--max-cron-threads=0",
            "--log-level=info",  # a werkzeug line per request: query count, SQL time, other time
        )
        self.proc = None
        self._log = None
        self.env, self.shim = gevent_shim(odoo)

    def __enter__(self):
        self._log = open(self.logfile, "w")  # closed in stop()
        # its own session: the whole process group can be stopped by this pid
        self.proc = subprocess.Popen(
            self.cmd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **self.env},
        )
        log(f"odoo: pid {self.proc.pid}, {self.url} (log: {self.logfile.relative_to(ROOT)})")
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common", transport=TimeoutTransport(5))
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"odoo exited with {self.proc.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError, xmlrpc.client.Error, http.client.HTTPException):
                common.version()
                return
            time.sleep(0.5)
        raise RuntimeError(f"odoo did not answer within {START_TIMEOUT} s:\n{self.log_tail()}")

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                log("odoo did not stop within 30 s: killing its process group")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        # workers left behind by a dead master (same group, started by us)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        log(f"odoo stopped (exit {self.proc.returncode})")
        self.proc = None
        if self._log:
            self._log.close()
            self._log = None

    def log_tail(self, lines=20):
        with contextlib.suppress(OSError):
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def log_size(self):
        with contextlib.suppress(OSError):
            return self.logfile.stat().st_size
        return 0

    def log_since(self, offset):
        with open(self.logfile, "rb") as fh:
            fh.seek(offset)
            return fh.read().decode(errors="replace")


# ----------------------------------------------------------------------
# CPU time from /proc
# ----------------------------------------------------------------------


def proc_stat(pid):
    """(comm, ppid, utime + stime, cutime + cstime) in seconds, or None when gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state): ppid = 4, utime 14, stime 15, cutime 16, cstime 17
    return (
        comm,
        int(fields[1]),
        (int(fields[11]) + int(fields[12])) / CLK_TCK,
        (int(fields[13]) + int(fields[14])) / CLK_TCK,
    )


def all_pids():
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def odoo_cpu(master_pid):
    """CPU seconds of Odoo: the master, its live workers and the workers it has reaped."""
    master = proc_stat(master_pid)
    if master is None:
        return None
    total = master[2] + master[3]
    for pid in all_pids():
        stat = proc_stat(pid)
        if stat and stat[1] == master_pid:
            total += stat[2]
    return total


def pg_backend_cpu(devtool, dbname):
    """{pid: CPU seconds} of the PostgreSQL backends connected to ``dbname``."""
    out = devtool.psql(f"SELECT pid FROM pg_stat_activity WHERE datname = '{dbname}'")
    cpu = {}
    for line in out.splitlines():
        stat = proc_stat(int(line))
        if stat:
            cpu[int(line)] = stat[2]
    return cpu


def pg_all_cpu():
    """CPU seconds of every postgres process (every database, background
    processes) plus what the postmaster has reaped: noisy on a shared machine."""
    total = 0.0
    stats = {pid: stat for pid in all_pids() if (stat := proc_stat(pid)) and stat[0].startswith("postgres")}
    for stat in stats.values():
        total += stat[2]
        if stat[1] not in stats:  # the postmaster
            total += stat[3]
    return total


def machine_busy():
    """CPU seconds the whole machine spent busy (every CPU, /proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLK_TCK


class CpuSnapshot:
    def __init__(self, devtool, dbname, master_pid):
        self.odoo = odoo_cpu(master_pid)
        self.pg = pg_backend_cpu(devtool, dbname)
        self.pg_all = pg_all_cpu()
        self.client = sum(os.times()[:2])
        self.machine = machine_busy()

    def delta(self, before):
        common = set(self.pg) & set(before.pg)
        pg = sum(self.pg[pid] - before.pg[pid] for pid in common)
        pg += sum(self.pg[pid] for pid in set(self.pg) - set(before.pg))  # backends opened during the phase
        return {
            "odoo": round(self.odoo - before.odoo, 2),
            "pg": round(pg, 2),
            "pg_backends_gone": len(set(before.pg) - set(self.pg)),  # their last CPU time is not counted
            "pg_all": round(self.pg_all - before.pg_all, 2),
            "client": round(self.client - before.client, 2),
            # everything else the machine did meanwhile (other users' work competes for the cores)
            "other": round(
                (self.machine - before.machine) - (self.odoo - before.odoo) - pg - (self.client - before.client), 2
            ),
        }


# ----------------------------------------------------------------------
# XML-RPC
# ----------------------------------------------------------------------


class TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = self.timeout
        return conn


class Rpc:
    """One client: its own ServerProxy (its own HTTP connection)."""

    def __init__(self, url, db, uid, password):
        if not url.startswith(f"http://{HOST}:"):
            raise ValueError(f"the load test only talks to {HOST}, not {url}")
        self.db, self.uid, self.password = db, uid, password
        self.proxy = xmlrpc.client.ServerProxy(
            f"{url}/xmlrpc/2/object", allow_none=True, transport=TimeoutTransport(REQUEST_TIMEOUT)
        )

    def __call__(self, model, method, *args, **kwargs):
        return self.proxy.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


def login(url, db, password):
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", transport=TimeoutTransport(REQUEST_TIMEOUT))
    uid = common.authenticate(db, "admin", password, {})
    if not uid:
        raise RuntimeError(f"admin / {password!r} cannot log in to {db}: run without --reuse-db to reset it")
    return uid


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Setup:
    """Company settings, the product and each phase's customers and quotations, by RPC."""

    def __init__(self, rpc):
        self.rpc = rpc
        self.company_id = rpc("res.users", "read", [rpc.uid], ["company_id"])[0]["company_id"][0]
        self.product_id = None
        self.counter = 0

    def configure(self):
        self.rpc(
            "res.company",
            "write",
            [self.company_id],
            {
                "credit_hold_enabled": True,
                "credit_hold_prevent_orders": True,
                "credit_hold_over_limit": True,
                "credit_hold_limit_basis": "exposure",
                "credit_hold_new_customers": False,
            },
        )
        self.product_id = self.rpc(
            "product.product",
            "create",
            {
                "name": "Loadtest Item",
                "type": "service",
                "invoice_policy": "order",
                "list_price": PRICE,
                "taxes_id": [(6, 0, [])],
            },
        )

    def set_credit_hold(self, enabled):
        self.rpc("res.company", "write", [self.company_id], {"credit_hold_enabled": enabled})

    def phase_data(self, shape, orders, a_limit=A_LIMIT):
        """Customers and quotations; returns the order ids in confirmation order."""
        self.counter += 1
        if shape in ("a", "c"):
            customers = orders
            limits = [a_limit if shape == "a" else C_LIMIT] * customers
            quantities = [[1 + i % 3] for i in range(customers)]
        else:
            customers = max(1, orders // B_ORDERS_PER_CUSTOMER)
            limits = [B_LIMIT] * customers
            quantities = [[1] * B_ORDERS_PER_CUSTOMER for _ in range(customers)]
        stamp = f"LT{self.counter:02d}{shape}"
        partner_ids = []
        for batch in chunks(list(range(customers)), 200):
            partner_ids += self.rpc(
                "res.partner",
                "create",
                [
                    {
                        "name": f"{stamp} Customer {i:04d}",
                        "is_company": True,
                        "customer_rank": 1,
                        "credit_limit": limits[i],
                    }
                    for i in batch
                ],
            )
        vals = [
            {
                "partner_id": partner_id,
                "order_line": [(0, 0, {"product_id": self.product_id, "product_uom_qty": qty, "price_unit": PRICE})],
            }
            for partner_id, qtys in zip(partner_ids, quantities, strict=True)
            for qty in qtys
        ]
        order_ids = []
        for batch in chunks(vals, 100):
            order_ids += self.rpc("sale.order", "create", batch)
        # customer by customer: in shape (b) the six orders of a customer are taken at the same moment
        return order_ids


# ----------------------------------------------------------------------
# One phase: confirm every order from N concurrent clients
# ----------------------------------------------------------------------


def confirm_all(url, db, uid, password, order_ids, clients):
    """Confirm ``order_ids``, one a request, from ``clients`` threads."""
    queue = collections.deque(order_ids)
    results = []  # (order id, seconds, error or None)
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    deadline = [None]

    def client():
        rpc = Rpc(url, db, uid, password)
        barrier.wait()
        mine = []
        while time.monotonic() < deadline[0]:
            try:
                order_id = queue.popleft()
            except IndexError:
                break
            start = time.perf_counter()
            error = None
            try:
                rpc("sale.order", "action_confirm", [order_id])
            except xmlrpc.client.Fault as exc:
                error = "Fault: " + (exc.faultString.strip().splitlines() or [""])[-1][:300]
            except (OSError, xmlrpc.client.Error, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"[:300]
            mine.append((order_id, time.perf_counter() - start, error))
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + PHASE_TIMEOUT
    start = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join(PHASE_TIMEOUT + REQUEST_TIMEOUT + 10)
    wall = time.perf_counter() - start
    unsent = list(queue)
    return results, unsent, wall


# ----------------------------------------------------------------------
# The invariant, from the database
# ----------------------------------------------------------------------


def check_orders(devtool, dbname, company_id, order_ids, credit_hold_on):
    """Read the phase's orders with psql and check them.

    :return: dict with counts and the list of violations
    """
    out = devtool.psql(
        f"""
        SELECT so.id, so.state, COALESCE(so.credit_status, ''), so.amount_total, so.partner_id,
               COALESCE((p.credit_limit ->> '{company_id}')::numeric, 0)
          FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
         WHERE so.id IN ({",".join(str(i) for i in order_ids)})
         ORDER BY so.id
        """,
        dbname=dbname,
    )
    rows = [line.split("|") for line in out.splitlines() if line]
    found = {int(r[0]) for r in rows}
    violations = [f"order {oid}: not in the database" for oid in sorted(set(order_ids) - found)]
    by_customer = collections.defaultdict(list)
    confirmed = held = lost = 0
    for oid, state, status, amount_text, partner, limit_text in rows:
        amount, limit = float(amount_text), float(limit_text)
        by_customer[int(partner)].append((int(oid), state, status, amount, limit))
        if state == "sale":
            confirmed += 1
        elif state == "draft" and status == "held":
            held += 1
        else:
            lost += 1
            violations.append(f"order {oid}: state {state!r}, credit_status {status!r} (neither confirmed nor held)")
    lost += len(set(order_ids) - found)
    if not credit_hold_on and held:
        violations.append(f"{held} order(s) held while credit hold is off")
    if credit_hold_on:
        for partner, orders in by_customer.items():
            limit = orders[0][4]
            total = sum(o[3] for o in orders if o[1] == "sale")
            # the addon's rule: over the limit means exposure (with the order) at or above the limit
            if limit and total >= limit:
                violations.append(f"customer {partner}: confirmed {total:.2f} is not under its limit {limit:.2f}")
            for oid, state, status, amount, _limit in orders:
                if status == "held" and state == "draft" and limit and total + amount < limit:
                    violations.append(
                        f"order {oid} held although it fits: confirmed {total:.2f} + {amount:.2f} < limit {limit:.2f}"
                    )
    return {"confirmed": confirmed, "held": held, "lost": lost, "violations": violations}


# ----------------------------------------------------------------------
# The run
# ----------------------------------------------------------------------


def run_phase(ctx, setup, shape, round_no, on, orders):
    server, devtool, dbname = ctx["server"], ctx["devtool"], ctx["dbname"]
    label = f"{shape}{round_no} {'ON ' if on else 'OFF'}"
    order_ids = setup.phase_data(shape, orders, ctx["a_limit"])
    setup.set_credit_hold(on)
    log_offset = server.log_size()
    before = CpuSnapshot(devtool, dbname, server.proc.pid)
    results, unsent, wall = confirm_all(server.url, dbname, ctx["uid"], ctx["password"], order_ids, ctx["clients"])
    after = CpuSnapshot(devtool, dbname, server.proc.pid)
    cpu = after.delta(before)
    server_log = server.log_since(log_offset)
    latencies = [r[1] for r in results]
    served = [(int(q), float(sql), float(other)) for q, sql, other in REQUEST_LOG_RE.findall(server_log)]
    server_times = [sql + other for _q, sql, other in served]
    errors = [r[2] for r in results if r[2]] + [f"order {oid}: not sent before the phase timeout" for oid in unsent]
    check = check_orders(devtool, dbname, setup.company_id, order_ids, on)
    done = len(results)
    server_cpu = cpu["odoo"] + cpu["pg"]
    phase = {
        "shape": shape,
        "round": round_no,
        "credit_hold": "on" if on else "off",
        "orders": len(order_ids),
        "customers": len(order_ids) if shape != "b" else len(order_ids) // B_ORDERS_PER_CUSTOMER,
        "seconds": round(wall, 3),
        "throughput": round(done / wall, 2) if wall else None,
        "latency_ms": {
            "p50": round(percentile(latencies, 50) * 1000, 1) if latencies else None,
            "p95": round(percentile(latencies, 95) * 1000, 1) if latencies else None,
            "max": round(max(latencies) * 1000, 1) if latencies else None,
            "mean": round(statistics.mean(latencies) * 1000, 1) if latencies else None,
        },
        # as Odoo logs them: time in the worker (queueing before it excluded), queries per request
        "server_ms": {
            "p50": round(percentile(server_times, 50) * 1000, 1) if served else None,
            "p95": round(percentile(server_times, 95) * 1000, 1) if served else None,
            "mean": round(statistics.mean(server_times) * 1000, 1) if served else None,
            "sql_mean": round(statistics.mean(s[1] for s in served) * 1000, 1) if served else None,
        },
        "queries_per_request": round(statistics.mean(s[0] for s in served), 1) if served else None,
        "requests_logged": len(served),
        "cpu_seconds": cpu,
        "other_load_cores": round(cpu["other"] / wall, 2) if wall else None,
        # an aid to read the throughput on a shared machine, not a target: orders/s per core left to us
        "throughput_per_free_core": round(done / wall / max(os.cpu_count() - cpu["other"] / wall, 0.1), 2)
        if wall
        else None,
        "cpu_ms_per_order": round(server_cpu / len(order_ids) * 1000, 2),
        "cpu_ms_per_order_odoo": round(cpu["odoo"] / len(order_ids) * 1000, 2),
        "cpu_ms_per_order_pg": round(cpu["pg"] / len(order_ids) * 1000, 2),
        "failed": len(errors),
        "errors": sorted(collections.Counter(errors).items(), key=lambda kv: -kv[1])[:10],
        "retries": server_log.count("tries left, try again"),
        "retries_exhausted": server_log.count("maximum number of tries reached"),
        **check,
        "violations": check["violations"][:20],
        "violation_count": len(check["violations"]),
    }
    log(
        f"{label}: {phase['orders']} orders in {phase['seconds']:.1f} s, {phase['throughput']} orders/s, "
        f"p50 {phase['latency_ms']['p50']} ms, p95 {phase['latency_ms']['p95']} ms "
        f"(in the worker: {phase['server_ms']['p50']} / {phase['server_ms']['p95']} ms, "
        f"{phase['queries_per_request']} queries), "
        f"CPU {phase['cpu_ms_per_order']} ms/order (odoo {phase['cpu_ms_per_order_odoo']}, "
        f"pg {phase['cpu_ms_per_order_pg']}), confirmed {phase['confirmed']}, held {phase['held']}, "
        f"lost {phase['lost']}, failed {phase['failed']}, retries {phase['retries']}, "
        f"other load {phase['other_load_cores']} cores"
    )
    for violation in phase["violations"][:5]:
        log(f"  VIOLATION {violation}")
    for error, count in phase["errors"][:5]:
        log(f"  FAILED x{count}: {error}")
    return phase


def summarize(phases):
    """Per shape: the ON/OFF ratios of each round and their median (the targets use the median)."""
    summary = {}
    for shape in [s for s in "cab" if any(p["shape"] == s for p in phases)]:
        rounds = sorted({p["round"] for p in phases if p["shape"] == shape})
        thr, cpu, adjusted, queries, p50 = [], [], [], [], []
        for round_no in rounds:
            on = next(p for p in phases if p["shape"] == shape and p["round"] == round_no and p["credit_hold"] == "on")
            off = next(
                p for p in phases if p["shape"] == shape and p["round"] == round_no and p["credit_hold"] == "off"
            )
            thr.append(on["throughput"] / off["throughput"])
            adjusted.append(on["throughput_per_free_core"] / off["throughput_per_free_core"])
            cpu.append(on["cpu_ms_per_order"] / off["cpu_ms_per_order"] if off["cpu_ms_per_order"] else float("nan"))
            queries.append((on["queries_per_request"] or 0) - (off["queries_per_request"] or 0))
            p50.append((on["server_ms"]["p50"] or 0) - (off["server_ms"]["p50"] or 0))
        mine = [p for p in phases if p["shape"] == shape]
        target = TARGETS[shape]
        entry = {
            "throughput_ratio": round(statistics.median(thr), 3),
            "throughput_ratios": [round(r, 3) for r in thr],
            "throughput_per_free_core_ratio": round(statistics.median(adjusted), 3),
            "throughput_per_free_core_ratios": [round(r, 3) for r in adjusted],
            "cpu_ratio": round(statistics.median(cpu), 3),
            "cpu_ratios": [round(r, 3) for r in cpu],
            "extra_queries": round(statistics.median(queries), 1),
            "extra_queries_per_round": [round(q, 1) for q in queries],
            "extra_p50_ms": round(statistics.median(p50), 1),
            "extra_p50_ms_per_round": [round(q, 1) for q in p50],
            "failed": sum(p["failed"] for p in mine),
            "lost": sum(p["lost"] for p in mine),
            "violations": sum(p["violation_count"] for p in mine),
            "retries_on": sum(p["retries"] for p in mine if p["credit_hold"] == "on"),
            "retries_off": sum(p["retries"] for p in mine if p["credit_hold"] == "off"),
        }
        entry["targets"] = {}
        if target["throughput"]:
            entry["targets"][f"throughput ON/OFF >= {target['throughput']}"] = (
                entry["throughput_ratio"] >= target["throughput"]
            )
        if target["cpu"]:
            entry["targets"][f"CPU/order ON/OFF <= {target['cpu']}"] = entry["cpu_ratio"] <= target["cpu"]
        if target["queries"] is not None:
            entry["targets"][f"at most {target['queries']} queries more than OFF"] = (
                entry["extra_queries"] <= target["queries"]
            )
        if target["p50_ms"] is not None:
            entry["targets"][f"in-worker p50 within {target['p50_ms']} ms of OFF"] = (
                entry["extra_p50_ms"] <= target["p50_ms"]
            )
        entry["targets"].update(
            {
                "zero failed requests": entry["failed"] == 0,
                "zero lost orders": entry["lost"] == 0,
                "invariant holds": entry["violations"] == 0,
            }
        )
        summary[shape] = entry
    return summary


SHAPE_NAMES = {
    "c": "(c) one order per customer, nobody held (the check alone)",
    "a": "(a) one order per customer, a third held",
    "b": "(b) six orders per customer, half held",
}


def report_lines(res):
    lines = [
        f"Load test {res['timestamp']}: Odoo {res.get('series', '18.0')}, {res['machine']['cpu_count']} cores, "
        f"{res['config']['workers']} workers, "
        f"{res['config']['clients']} XML-RPC clients, {res['config']['orders']} orders a phase, "
        f"PostgreSQL {res['machine']['postgresql']}, "
        f"credit_hold at {res['code']['credit_hold_commit']} (branch {res['code']['branch']}).",
        "",
        "| phase | orders | s | orders/s | orders/s per free core | p50 ms | p95 ms | in worker p50 / p95 ms "
        "| queries | CPU ms/order (odoo + pg) | confirmed | held | retries | failed | lost | invariant | other load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for p in res["phases"]:
        lines.append(
            f"| {p['shape']}{p['round']} {p['credit_hold'].upper()} | {p['orders']} | {p['seconds']:.1f} | "
            f"{p['throughput']:.1f} | {p['throughput_per_free_core']:.1f} | "
            f"{p['latency_ms']['p50']} | {p['latency_ms']['p95']} | "
            f"{p['server_ms']['p50']} / {p['server_ms']['p95']} | {p['queries_per_request']} | "
            f"{p['cpu_ms_per_order']:.1f} ({p['cpu_ms_per_order_odoo']:.1f} + {p['cpu_ms_per_order_pg']:.1f}) | "
            f"{p['confirmed']} | {p['held']} | {p['retries']} | {p['failed']} | {p['lost']} | "
            f"{'ok' if not p['violation_count'] else str(p['violation_count']) + ' violation(s)'} | "
            f"{p['other_load_cores']:.2f} |"
        )
    lines += [
        "",
        "Ratios: the median of the rounds (each round in brackets).",
        "",
        "| shape | throughput ON/OFF | per free core ON/OFF | CPU/order ON/OFF | queries ON - OFF "
        "| in-worker p50 ON - OFF ms | retries ON | targets |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for shape, s in res["summary"].items():
        targets = "; ".join(f"{name}: {'met' if ok else '**MISSED**'}" for name, ok in s["targets"].items())
        thr = ", ".join(f"{r:.2f}" for r in s["throughput_ratios"])
        cpu = ", ".join(f"{r:.2f}" for r in s["cpu_ratios"])
        free = ", ".join(f"{r:.2f}" for r in s["throughput_per_free_core_ratios"])
        queries = ", ".join(f"{q:+.1f}" for q in s["extra_queries_per_round"])
        p50 = ", ".join(f"{q:+.1f}" for q in s["extra_p50_ms_per_round"])
        lines.append(
            f"| {SHAPE_NAMES[shape]} | {s['throughput_ratio']:.2f} ({thr}) "
            f"| {s['throughput_per_free_core_ratio']:.2f} ({free}) | {s['cpu_ratio']:.2f} ({cpu}) "
            f"| {s['extra_queries']:+.1f} ({queries}) | {s['extra_p50_ms']:+.1f} ({p50}) | {s['retries_on']} "
            f"| {targets} |"
        )
    return lines


def write_results(res):
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = res["timestamp"].replace(":", "").replace("-", "").replace(" ", "-")
    path = RESULTS_DIR / f"loadtest-{stamp}.json"
    path.write_text(json.dumps(res, indent=2, default=str) + "\n")
    begin, end = (marker.format(series=res["series"]) for marker in FIGURES_MARKERS)
    section = "\n".join([begin, *report_lines(res), end])
    current = LOADTEST_MD.read_text() if LOADTEST_MD.exists() else "# Load test\n"
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        current = head + section + rest.split(end, 1)[1]
    else:
        current = current.rstrip("\n") + f"\n\n## Latest figures, Odoo {res['series']}\n\n" + section + "\n"
    LOADTEST_MD.write_text(current)
    return path


def machine_facts(devtool):
    cpu_model = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "loadavg_before": os.getloadavg(),
        "postgresql": devtool.psql("SHOW server_version"),
        "python": platform.python_version(),
    }


def run(args, devtool, odoo):
    started = time.perf_counter()
    machine = machine_facts(devtool)
    prepare_database(devtool, odoo, args.db, args.password, args.reuse_db)
    phases = []
    with OdooServer(devtool, odoo, args.db, args.workers, LOG_DIR / "loadtest-odoo.log") as server:
        uid = login(server.url, args.db, args.password)
        setup = Setup(Rpc(server.url, args.db, uid, args.password))
        setup.configure()
        ctx = {
            "server": server,
            "devtool": devtool,
            "dbname": args.db,
            "uid": uid,
            "password": args.password,
            "clients": args.clients,
            "a_limit": args.a_limit,
        }
        # warm-up, not measured: every worker loads the registry and its caches
        warmup = max(args.clients * 2, 6 * B_ORDERS_PER_CUSTOMER)
        log(f"warm-up: {warmup} orders, credit hold on and off (not measured)")
        for on in (True, False):
            ids = setup.phase_data("b", warmup)
            setup.set_credit_hold(on)
            confirm_all(server.url, args.db, uid, args.password, ids, args.clients)
        for shape in args.shapes:
            for round_no in range(1, args.rounds + 1):
                for on in (True, False):
                    phases.append(run_phase(ctx, setup, shape, round_no, on, args.orders))
        setup.set_credit_hold(True)
        shim = server.shim
    res = {
        "timestamp": datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
        "series": devtool.SERIES,
        "database": args.db,
        "machine": {**machine, "loadavg_after": os.getloadavg()},
        "code": code_facts(),
        "config": {
            "orders": args.orders,
            "clients": args.clients,
            "workers": args.workers,
            "rounds": args.rounds,
            "shapes": args.shapes,
            "price": PRICE,
            "shape_a_limit": args.a_limit,
            "shape_b_limit": B_LIMIT,
            "shape_b_orders_per_customer": B_ORDERS_PER_CUSTOMER,
        },
        "gevent_shim": shim,
        "phases": phases,
    }
    res["summary"] = summarize(phases)
    res["total_seconds"] = round(time.perf_counter() - started, 1)
    print()
    print("\n".join(report_lines(res)))
    path = write_results(res)
    print(f"\nresults: {path.relative_to(ROOT)}, {LOADTEST_MD.relative_to(ROOT)}; total {res['total_seconds']} s")
    correctness = all(s["failed"] == 0 and s["lost"] == 0 and s["violations"] == 0 for s in res["summary"].values())
    performance = all(all(s["targets"].values()) for s in res["summary"].values())
    if not correctness:
        print("FAILED: failed requests, lost orders or invariant violations (see above)")
        return 1
    if args.strict and not performance:
        print("FAILED: a performance target was missed (--strict)")
        return 1
    return 0


def on_sigterm(_signum, _frame):
    """SIGTERM as Ctrl-C: the server is stopped on the way out."""
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=300, help="orders per phase (default 300)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent XML-RPC clients (default 16)")
    parser.add_argument("--workers", type=int, default=4, help="Odoo --workers (default 4)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of ON, OFF per shape (default 3: the targets use the median)"
    )
    parser.add_argument(
        "--shapes",
        default="cab",
        help="shapes to run, any of c (nobody held: the check alone), a (a third held), b (six orders per "
        "customer) (default cab)",
    )
    parser.add_argument(
        "--a-limit",
        type=float,
        default=A_LIMIT,
        help=f"credit limit of shape (a)'s customers (default {A_LIMIT:g}: orders of 300 are held; 1000: none)",
    )
    parser.add_argument("--db", default=DBNAME, help=f"database (default {DBNAME})")
    parser.add_argument("--password", default="admin", help="admin password to set and use (default admin)")
    parser.add_argument("--reuse-db", action="store_true", help="use the existing database as it is")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a performance target is missed too")
    args = parser.parse_args()
    args.shapes = [s for s in "cab" if s in args.shapes]
    if not args.shapes or args.orders < B_ORDERS_PER_CUSTOMER or args.clients < 1 or args.workers < 1:
        parser.error("need --shapes with some of c, a, b, --orders >= 6, --clients >= 1, --workers >= 1")
    devtool = load_devtool()
    if args.db == DBNAME and devtool.SERIES != "18.0":
        args.db = f"{DBNAME}_{devtool.MAJOR}"
    odoo, why = devtool.find_odoo()
    if not odoo:
        print(f"make loadtest: no Odoo {devtool.SERIES} found: {why}.\nSee README.md, 'Where the commands find Odoo'.")
        return 2
    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        return run(args, devtool, odoo)
    except KeyboardInterrupt:
        print("interrupted: the server was stopped, nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
