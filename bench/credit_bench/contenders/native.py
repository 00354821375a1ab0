"""(e) Odoo native: ``read(['credit', 'credit_to_invoice'])`` on all customers, cold
ORM cache (Odoo's own *Sales Credit Limit* is switched on so that
``credit_to_invoice`` is computed)."""

from ..common import Item, Measure, Row, Step, Target, timed_read


class Native(Measure):
    key = "native"
    order = 20

    def configure(self, ctx):
        ctx.company.write({"account_use_credit_limit": True})

    def steps(self):
        return [Step(40, "native", self.measure)]

    def measure(self, ctx):
        result, values = timed_read(ctx, ["credit", "credit_to_invoice"], "native credit + credit_to_invoice")
        partners = ctx.env["res.partner"].with_company(ctx.company).browse(ctx.customer_ids)
        limits = {row["id"]: row["credit_limit"] for row in partners.read(["credit_limit"])}
        result["balance_sum"] = round(sum(row["credit"] for row in values), 2)
        result["over_limit"] = sum(
            1
            for row in values
            if limits.get(row["id"]) and row["credit"] + row["credit_to_invoice"] >= limits[row["id"]]
        )
        ctx.cr.rollback()
        return result

    def rows(self, res):
        native = res["native"]
        return [
            Row(40, "(e) Odoo native credit + credit_to_invoice", native["seconds"], native["queries"], None,
                native["peak_rss_mb"])
        ]  # fmt: skip

    def ratio(self, res):
        return Item(10, "native", {"key": "ours_native", "seconds": res["native"]["seconds"]})

    def facts(self, res):
        return [Item(30, f"native over limit: {res['native']['over_limit']}")]

    def sanity(self, res):
        return Item(30, f"Odoo native {res['native']['balance_sum']:,}")

    def targets(self, res):
        full, native = res["full_evaluation"]["seconds"], res["native"]["seconds"]
        return [
            Target(20, "first pass faster than Odoo's native credit figures", f"< {native} s", f"{full} s",
                   full < native)
        ]  # fmt: skip


MEASURE = Native()
