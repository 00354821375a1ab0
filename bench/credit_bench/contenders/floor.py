"""(d) The floor: one bare SQL aggregate of the open posted receivable lines per
customer (balance, overdue past the grace days), the least any implementation
must do. Best of 3."""

import time

from ..common import Item, Measure, Row, Step, Target, log, ratio

RUNS = 3
QUERY = """
    SELECT aml.partner_id, SUM(aml.amount_residual),
           COALESCE(SUM(aml.amount_residual) FILTER (WHERE aml.date_maturity < CURRENT_DATE - %s), 0)
      FROM account_move_line aml
     WHERE aml.parent_state = 'posted' AND NOT aml.reconciled
       AND aml.account_id = ANY(%s) AND aml.company_id = %s
  GROUP BY aml.partner_id
"""


class Floor(Measure):
    key = "floor"
    order = 40

    def steps(self):
        return [Step(30, "floor", self.measure)]

    def measure(self, ctx):
        cr = ctx.cr
        cr.execute("SELECT id FROM account_account WHERE account_type = 'asset_receivable'")
        accounts = [row[0] for row in cr.fetchall()]
        grace = ctx.company.credit_hold_grace_days
        times, rows = [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            cr.execute(QUERY, [grace, accounts, ctx.company.id])
            rows = cr.fetchall()
            times.append(time.perf_counter() - start)
        result = {
            "seconds": round(min(times), 4),
            "runs": [round(t, 4) for t in times],
            "partners": len(rows),
            "queries": 1,
            "balance_sum": round(float(sum(row[1] for row in rows if row[0] in ctx.customer_set)), 2),
        }
        log(f"(d) floor: {result['seconds']} s for {result['partners']} customers")
        return result

    def rows(self, res):
        return [Row(30, "(d) floor: bare SQL aggregate", res["floor"]["seconds"], 1)]

    def ratio(self, res):
        return Item(30, "floor", {"key": "ours_floor", "seconds": res["floor"]["seconds"]})

    def sanity(self, res):
        return Item(10, f"floor {res['floor']['balance_sum']:,}")

    def targets(self, res):
        times = ratio(res["no_change"]["seconds"], res["floor"]["seconds"])
        return [
            Target(
                40,
                "no-change pass within 10x of the floor (d)",
                "<= 10x",
                f"{times}x",
                times is not None and times <= 10,
            )
        ]


MEASURE = Floor()
