"""Profile of one order confirmation, credit hold on against off (issue
"Confirmation at plain Odoo's cost"): what one costs in CPU, the SQL
statements it runs and where credit_hold's Python time goes.

Run it in ``odoo-bin shell`` on the load test's database (``make loadtest``
leaves it), e.g.::

    .odoo/18.0/venv/bin/python .odoo/18.0/src/odoo-bin shell --addons-path=... \\
        -d credit_hold_loadtest --no-http < bench/profile_confirmation.py

It creates customers with a limit nobody reaches and one quotation each
(the check alone: nothing is held) and confirms them one transaction each
(committed, as a request does), credit hold off and on:

1. CPU: ROUNDS rounds of ORDERS confirmations off, then ORDERS on, with no
   profiler: the CPU time of this process (Odoo) and of its PostgreSQL
   backend (``/proc/<pid>/stat`` of ``pg_backend_pid()``) per confirmation;
   the median of the rounds;
2. statements: ORDERS off and ORDERS on, each SQL statement counted by its
   text (the first words, numbers and parameters left out) with its time
   measured in the client (PostgreSQL's time and the round trip);
3. Python: ORDERS on under cProfile, the cumulative time of credit_hold's
   own functions (cProfile's overhead inflates many small calls: read it
   for where, not how much);
4. the check's own statements for one customer under
   ``EXPLAIN (ANALYZE, BUFFERS)`` (planning and execution time).

It prints markdown tables.
"""

# env is the one odoo-bin shell gives
# ruff: noqa: F821
import cProfile
import os
import pstats
import re
import statistics
import time
from collections import Counter, defaultdict

from odoo.sql_db import Cursor
from odoo.tools import SQL

ORDERS = 60
ROUNDS = 3
NUMBER = re.compile(r"\b\d+\b")
SPACE = re.compile(r"\s+")
TICK = os.sysconf("SC_CLK_TCK")


def kind(query):
    text = getattr(query, "code", query)  # an SQL object: its code, without the parameters
    return SPACE.sub(" ", NUMBER.sub("N", str(text))).strip()[:100]


def backend_cpu(pid):
    """utime + stime of a process, in seconds (another process: PostgreSQL's backend)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


statements = {"off": Counter(), "on": Counter()}
seconds = {"off": defaultdict(float), "on": defaultdict(float)}
mode = None
original = Cursor.execute


def execute(self, query, params=None, log_exceptions=True):
    if mode is None:
        return original(self, query, params, log_exceptions)
    start = time.perf_counter()
    try:
        return original(self, query, params, log_exceptions)
    finally:
        key = kind(query)
        statements[mode][key] += 1
        seconds[mode][key] += time.perf_counter() - start


company = env.company
product = env["product.product"].search([("name", "=", "Loadtest Item")], limit=1)
stamp = f"PROF{int(time.time())}"
count = 2 * (ORDERS + 1) * ROUNDS + 2 * (ORDERS + 1) + ORDERS + 2
partners = env["res.partner"].create(
    [{"name": f"{stamp} {i:04d}", "is_company": True, "customer_rank": 1, "credit_limit": 10**9} for i in range(count)]
)
orders = env["sale.order"].create(
    [
        {
            "partner_id": p.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1, "price_unit": 100})],
        }
        for p in partners
    ]
)
env.cr.commit()
queue = list(orders)


def take(n):
    batch = queue[:n]
    del queue[:n]
    return batch


def confirm(batch, profiler=None):
    for order in batch:
        if profiler:
            profiler.enable()
        order.action_confirm()
        env.flush_all()
        env.cr.commit()
        if profiler:
            profiler.disable()
        env.invalidate_all()
    assert {order.state for order in batch} == {"sale"}, [order.state for order in batch]


def switch(enabled):
    company.credit_hold_enabled = enabled
    env.cr.commit()
    # warm-up of this mode (caches, plans)
    confirm(take(1))


# 1. CPU, no profiler
pg_pid = env.execute_query(SQL("SELECT pg_backend_pid()"))[0][0]
cpu = {"off": [], "on": []}
for _round in range(ROUNDS):
    for label, enabled in (("off", False), ("on", True)):
        switch(enabled)
        batch = take(ORDERS)
        odoo0, pg0 = time.process_time(), backend_cpu(pg_pid)
        confirm(batch)
        odoo1, pg1 = time.process_time(), backend_cpu(pg_pid)
        cpu[label].append((1000 * (odoo1 - odoo0) / ORDERS, 1000 * (pg1 - pg0) / ORDERS))

# 2. statements, 3. cProfile
profiles = {}
for label, enabled in (("off", False), ("on", True)):
    switch(enabled)
    Cursor.execute = execute
    mode = label
    confirm(take(ORDERS))
    mode = None
    Cursor.execute = original
    if enabled:
        profiler = cProfile.Profile()
        confirm(take(ORDERS), profiler)
        profiles[label] = pstats.Stats(profiler)
company.credit_hold_enabled = True
env.cr.commit()

# 4. EXPLAIN (ANALYZE, BUFFERS) of the check's own statements, for one of these customers
captured = []


def capture(self, query, params=None, log_exceptions=True):
    captured.append((query, params))
    return original(self, query, params, log_exceptions)


order = take(1)[0]
Cursor.execute = capture
order._credit_hold_stop_held()
Cursor.execute = original
env.cr.rollback()
env.invalidate_all()
explained = []
for query, params in captured:
    text = str(getattr(query, "code", query))
    if "credit_hold_lock" in text or '"on_hold_type"' in text:
        plan = env.execute_query(
            SQL("EXPLAIN (ANALYZE, BUFFERS, SUMMARY) %s", query if params is None else SQL(text, *params))
        )
        env.cr.rollback()
        lines = [row[0] for row in plan]
        buffers = next((line.strip() for line in lines if line.strip().startswith("Buffers")), "")
        summary = [line for line in lines if line.startswith(("Planning Time", "Execution Time"))]
        explained.append((kind(query), summary, buffers))

print(f"\n### One confirmation (nobody held: the check alone), {ORDERS} orders a mode\n")
print(f"CPU per confirmation, {ROUNDS} rounds of off then on, no profiler (median of the rounds):\n")
print("| | Odoo ms | PostgreSQL ms | total ms | rounds (total) |")
print("|---|---:|---:|---:|---|")
medians = {}
for label in ("off", "on"):
    totals = [odoo + pg for odoo, pg in cpu[label]]
    medians[label] = statistics.median(totals)
    print(
        f"| {label} | {statistics.median(o for o, _p in cpu[label]):.1f} | "
        f"{statistics.median(p for _o, p in cpu[label]):.1f} | {medians[label]:.1f} | "
        f"{', '.join(f'{t:.1f}' for t in totals)} |"
    )
print(f"\nON / OFF: {medians['on'] / medians['off']:.3f}\n")
total = {m: sum(statements[m].values()) / ORDERS for m in statements}
sql = {m: 1000 * sum(seconds[m].values()) / ORDERS for m in seconds}
print(f"statements per confirmation: off {total['off']:.1f}, on {total['on']:.1f}; ")
print(f"SQL time per confirmation (client side): off {sql['off']:.2f} ms, on {sql['on']:.2f} ms\n")
print("Statements whose count differs (the others: the same count, off and on):\n")
print("| statement (first words) | off: n / ms | on: n / ms |")
print("|---|---:|---:|")
same = [0.0, 0.0, 0.0]
for key in sorted(set(statements["off"]) | set(statements["on"]), key=lambda k: -seconds["on"][k]):
    off_n, on_n = statements["off"][key] / ORDERS, statements["on"][key] / ORDERS
    off_ms, on_ms = 1000 * seconds["off"][key] / ORDERS, 1000 * seconds["on"][key] / ORDERS
    if off_n == on_n:
        same[0] += off_ms
        same[1] += on_ms
        same[2] += off_n
        continue
    print(f"| `{key.replace('|', '/')}` | {off_n:.2f} / {off_ms:.2f} | {on_n:.2f} / {on_ms:.2f} |")
print(f"| the other statements | {same[2]:.2f} / {same[0]:.2f} | {same[2]:.2f} / {same[1]:.2f} |")

print("\nThe check's own statements, EXPLAIN (ANALYZE, BUFFERS) for one customer:\n")
print("| statement (first words) | planning | execution | buffers (top node) |")
print("|---|---:|---:|---|")
for key, summary, buffers in explained:
    planning = next((line.split(": ")[1] for line in summary if line.startswith("Planning")), "")
    execution = next((line.split(": ")[1] for line in summary if line.startswith("Execution")), "")
    print(f"| `{key.replace('|', '/')}` | {planning} | {execution} | {buffers} |")

print("\n| credit_hold function (cumulative, per confirmation, cProfile) | calls | ms |")
print("|---|---:|---:|")
rows = [
    (func, stat) for func, stat in profiles["on"].stats.items() if "credit_hold" in func[0] and "/tests/" not in func[0]
]
rows.sort(key=lambda item: -item[1][3])
for (filename, line, name), (_cc, calls, _tt, cumulative, _callers) in rows[:15]:
    short = filename.split("credit_hold", 1)[1].lstrip("/")
    print(f"| `{short}:{line} {name}` | {calls / ORDERS:.1f} | {1000 * cumulative / ORDERS:.2f} |")
