"""Profile of one order confirmation, credit hold on against off (issue
"Confirmation at plain Odoo's cost"): the SQL statements each one runs and
where credit_hold's Python time goes.

Run it in ``odoo-bin shell`` on the load test's database (``make loadtest``
leaves it), e.g.::

    .odoo/18.0/venv/bin/python .odoo/18.0/src/odoo-bin shell --addons-path=... \\
        -d credit_hold_loadtest --no-http < bench/profile_confirmation.py

It creates customers with a limit nobody reaches and one quotation each
(the check alone: nothing is held), confirms ORDERS of them with credit
hold off, then ORDERS with it on, one transaction each (committed, as a
request), and prints markdown tables: the statements by kind (the first
words of the SQL, numbers and parameters left out), their count and time
per confirmation, off and on; and the cumulative time per confirmation of
credit_hold's own functions (cProfile).
"""

# env is the one odoo-bin shell gives
# ruff: noqa: F821
import cProfile
import pstats
import re
import time
from collections import Counter, defaultdict

from odoo.sql_db import Cursor

ORDERS = 60
NUMBER = re.compile(r"\b\d+\b")
SPACE = re.compile(r"\s+")


def kind(query):
    text = getattr(query, "code", query)  # an SQL object: its code, without the parameters
    return SPACE.sub(" ", NUMBER.sub("N", str(text))).strip()[:100]


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
partners = env["res.partner"].create(
    [
        {"name": f"{stamp} {i:03d}", "is_company": True, "customer_rank": 1, "credit_limit": 100000.0}
        for i in range(2 * ORDERS + 2)
    ]
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
profiles = {}
for label, enabled, batch in (
    ("off", False, orders[1 : ORDERS + 1]),
    ("on", True, orders[ORDERS + 2 :]),
):
    company.credit_hold_enabled = enabled
    # warm-up of this mode (caches, prepared plans)
    orders[0 if label == "off" else ORDERS + 1].action_confirm()
    env.cr.commit()
    env.invalidate_all()
    Cursor.execute = execute
    profiler = cProfile.Profile()
    mode = label
    for order in batch:
        profiler.enable()
        order.action_confirm()
        env.flush_all()
        env.cr.commit()
        profiler.disable()
        env.invalidate_all()
    mode = None
    Cursor.execute = original
    profiles[label] = pstats.Stats(profiler)
    assert set(batch.mapped("state")) == {"sale"}, batch.mapped("state")
company.credit_hold_enabled = True
env.cr.commit()

print(f"\n### One confirmation, {ORDERS} orders a mode (nobody held: the check alone)\n")
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

print("\n| credit_hold function (cumulative, per confirmation) | calls | ms |")
print("|---|---:|---:|")
rows = [
    (func, stat) for func, stat in profiles["on"].stats.items() if "credit_hold" in func[0] and "/tests/" not in func[0]
]
rows.sort(key=lambda item: -item[1][3])
for (filename, line, name), (_cc, calls, _tt, cumulative, _callers) in rows[:15]:
    short = filename.split("credit_hold", 1)[1].lstrip("/")
    print(f"| `{short}:{line} {name}` | {calls / ORDERS:.1f} | {1000 * cumulative / ORDERS:.2f} |")
for label in ("off", "on"):
    seconds_total = sum(stat[2] for stat in profiles[label].stats.values())
    per_order = 1000 * seconds_total / ORDERS
    print(f"\nPython + waits per confirmation, {label}: {per_order:.1f} ms (cProfile, overhead included)")
