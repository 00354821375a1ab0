"""(c) The check at order confirmation: 200 quotations (1 unit at 10.00) for each
special customer; ``order._credit_hold_stop_held()`` timed per order, each call
rolled back (it takes the customer's lock row); 5 warm-up calls first; p50, p95,
max and queries per call."""

import statistics
import time

from .common import Measure, Step, Target, log, percentile

CHECK_ORDERS = 200
CHECK_WARMUP = 5
P95_LIMIT_MS = 25


class Confirmation(Measure):
    key = "confirmation"
    order = 90

    def steps(self):
        return [Step(80, "confirmation", self.measure)]

    def measure(self, ctx):
        log("(c) confirmation checks ...")
        env, cr, meta = ctx.env, ctx.cr, ctx.meta
        customers = {"1 invoice": meta["one_invoice"], "1,000 invoices": meta["thousand_invoices"]}
        cr.execute(
            "DELETE FROM sale_order WHERE state = 'draft' AND partner_id = ANY(%s)",
            [list(customers.values())],
        )
        from odoo.addons.credit_hold.compat import SOL_TAXES  # Odoo is loaded by now

        product = env["product.product"].browse(meta["product"])
        line = {"product_id": product.id, "product_uom_qty": 1, "price_unit": 10.0, SOL_TAXES: [(6, 0, [])]}
        orders = {
            label: env["sale.order"]
            .with_context(tracking_disable=True)
            .create([{"partner_id": partner_id, "order_line": [(0, 0, dict(line))]} for _ in range(CHECK_ORDERS)])
            .ids
            for label, partner_id in customers.items()
        }
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

    def sections(self, res, markdown):
        out = []
        head = (f"(c) confirmation check, {CHECK_ORDERS} orders", "p50", "p95", "max", "queries")
        if markdown:
            out += [f"| {' | '.join(head)} |", "|---|---:|---:|---:|---:|"]
        else:
            out.append(f"{head[0]:<54}{head[1]:>11}{head[2]:>10}{head[3]:>14}{head[4]:>12}")
        for label, c in res["confirmation"].items():
            name = f"customer with {label}"
            if markdown:
                out.append(f"| {name} | {c['p50_ms']} ms | {c['p95_ms']} ms | {c['max_ms']} ms | {c['queries']} |")
            else:
                out.append(f"{name:<54}{c['p50_ms']:>8} ms{c['p95_ms']:>7} ms{c['max_ms']:>11} ms{c['queries']:>12}")
        out.append("")
        return [(10, out)]

    def targets(self, res):
        return [
            Target(
                80 + rank,
                f"confirmation check p95 under {P95_LIMIT_MS} ms ({label})",
                f"< {P95_LIMIT_MS} ms",
                f"{c['p95_ms']} ms ({c['queries']} queries)",
                c["p95_ms"] < P95_LIMIT_MS,
            )
            for rank, (label, c) in enumerate(res["confirmation"].items())
        ]


MEASURE = Confirmation()
