"""Ours: credit_hold's nightly pass, in four situations, and its figures read like Odoo's.

The pass is ``res.partner._cron_evaluate_credit_hold(batch_size=5000)``, committed
after each call and called until it returns 0 (the customers left; ``None``
counts as 0), as the cron runner does. Nothing else of the addon is assumed:
the profile wraps whatever ``_credit_hold_*`` methods res.partner has at run
time (:mod:`credit_bench.profiling`), and rows written and holds changed are
read from the database and the ORM, not from the addon's return values.

(a) the first pass after go-live; (b) the same right after (nothing changed);
(b) again as a fr_FR user (French installed); (f) after the receivables of 1 %
of the customers changed (:func:`credit_bench.datasets.shift_customers`), right
after (b) so that both run in the same conditions; the change is put back (and
the holds settled, untimed) after it, so that the peers read the data of (a).
"""

import cProfile
import io
import pstats
import time

from ..common import (
    LOG_DIR,
    Item,
    Measure,
    Row,
    Step,
    Target,
    log,
    peak_rss_mb,
    reset_peak_rss,
    scalar,
    timed_read,
)
from ..datasets import shift_customers, unshift_customers
from ..profiling import SPLIT_LABELS, WRITE, Parts

BATCH_SIZE = 5000
MAX_CRON_CALLS = 10_000
CHANGE_SHARE = 0.01
FRENCH = "fr_FR"
FIGURE_FIELDS = ["total_balance", "credit_exposure", "overdue_amount"]
MEMORY_LIMIT_MB = 1536


def holds(ctx, env=None):
    """{customer id: on_hold} of every bench customer, read through the ORM (cold cache)."""
    env = env or ctx.env
    env.invalidate_all()
    partners = env["res.partner"].with_company(ctx.company).browse(ctx.customer_ids)
    return {row["id"]: row["on_hold"] for row in partners.read(["on_hold"])}


def run_pass(ctx, parts, env=None, profile=None):
    """The scheduled job, committed after each call, until it returns 0."""
    env = env or ctx.env
    cr = env.cr
    partner = env["res.partner"]
    before = holds(ctx, env)
    since = scalar(cr, "SELECT now() AT TIME ZONE 'UTC'")
    last_message = scalar(cr, "SELECT COALESCE(MAX(id), 0) FROM mail_message")
    cr.commit()
    env.invalidate_all()
    parts.reset()
    reset_peak_rss()
    queries, calls, returns = cr.sql_log_count, 0, []
    start = time.perf_counter()
    if profile:
        profile.enable()
    while True:
        remaining = partner._cron_evaluate_credit_hold(batch_size=BATCH_SIZE)
        # the commit flushes what the call left pending and writes the tracking messages
        with parts.frame("commit after each call (flush, tracking messages)", default=WRITE, cr=cr):
            cr.commit()
        calls += 1
        returns.append(remaining)
        if not remaining:
            break
        if calls >= MAX_CRON_CALLS:
            raise RuntimeError(f"_cron_evaluate_credit_hold still returns {remaining} after {calls} calls")
    if profile:
        profile.disable()
    seconds = time.perf_counter() - start
    total_queries = cr.sql_log_count - queries
    split = parts.split(seconds)
    result = {
        "seconds": round(seconds, 3),
        "queries": total_queries,
        "calls": calls,
        "returned": returns[:5] + (["..."] if len(returns) > 5 else []),
        "peak_rss_mb": peak_rss_mb(),
        "rows_written": scalar(cr, "SELECT COUNT(*) FROM res_partner WHERE write_date >= %s", [since]),
        "messages": scalar(cr, "SELECT COUNT(*) FROM mail_message WHERE id > %s", [last_message]),
        "parts": parts.snapshot(),
        "split": split,
    }
    after = holds(ctx, env)
    result["on_hold"] = sum(1 for value in after.values() if value)
    result["holds_changed"] = {
        "on": sum(1 for pid, value in after.items() if value and not before.get(pid)),
        "off": sum(1 for pid, value in after.items() if before.get(pid) and not value),
    }
    result["holds_changed"]["total"] = result["holds_changed"]["on"] + result["holds_changed"]["off"]
    cr.commit()
    return result


def settle(env):
    """The pass, untimed."""
    while env["res.partner"]._cron_evaluate_credit_hold(batch_size=BATCH_SIZE):
        env.cr.commit()
    env.cr.commit()


def install_language(env, code):
    """Activate ``code`` and load its translations of every installed module (what
    Settings > Languages > Add does). :return: seconds, or None when it was active already."""
    lang = env["res.lang"].with_context(active_test=False).search([("code", "=", code)])
    if lang.active:
        return None
    start = time.perf_counter()
    env["res.lang"]._activate_lang(code)
    env["ir.module.module"].search([("state", "=", "installed")])._update_translations([code])
    env.cr.commit()
    return round(time.perf_counter() - start, 1)


class Ours(Measure):
    key = "ours"
    order = 10

    def __init__(self):
        self.parts = Parts()

    def steps(self):
        return [
            Step(10, "full_evaluation", self.first_pass),
            Step(20, "no_change", self.no_change),
            Step(25, "fr_no_change", self.french_no_change),
            Step(45, "ours_figures_read", self.figures_read),
            Step(27, "one_percent", self.one_percent),
        ]

    # -- the steps --------------------------------------------------------

    def timed_pass(self, ctx, profile=None, env=None):
        self.parts.wrap_partner(ctx.env)
        try:
            return run_pass(ctx, self.parts, env=env, profile=profile)
        finally:
            self.parts.unwrap()

    def first_pass(self, ctx):
        """(a) the first pass: most customers' hold is decided for the first time."""
        profile = cProfile.Profile() if ctx.args.profile else None
        log("(a) full evaluation ...")
        full = self.timed_pass(ctx, profile=profile)
        log(f"(a) full evaluation: {full['seconds']} s, {full['rows_written']} rows written, {full['calls']} call(s)")
        if profile:
            LOG_DIR.mkdir(exist_ok=True)
            stream = io.StringIO()
            pstats.Stats(profile, stream=stream).sort_stats("cumulative").print_stats(60)
            path = LOG_DIR / f"bench-{ctx.args.size}-profile.txt"
            path.write_text(stream.getvalue())
            log(f"profile of (a) (cProfile, inflates the time): {path}")
        return full

    def no_change(self, ctx):
        """(b) the pass again right after: nothing changed, nothing should be written."""
        log("(b) no-change run ...")
        result = self.timed_pass(ctx)
        log(f"(b) no-change run: {result['seconds']} s, {result['rows_written']} rows written")
        return result

    def french_no_change(self, ctx):
        """(b) the no-change pass as a fr_FR user: translated labels must not rewrite anything."""
        log(f"installing {FRENCH} (translations of the installed modules) ...")
        installed = install_language(ctx.env, FRENCH)
        log(f"{FRENCH} installed in {installed} s" if installed is not None else f"{FRENCH} already installed")
        french = ctx.env(context=dict(ctx.env.context, lang=FRENCH))
        log(f"(b) no-change run as a {FRENCH} user ...")
        result = self.timed_pass(ctx, env=french)
        result["lang"] = FRENCH
        result["language_install_seconds"] = installed
        log(f"(b) no-change run, {FRENCH}: {result['seconds']} s, {result['rows_written']} rows written")
        return result

    def figures_read(self, ctx):
        """(e) our non-stored figures on all customers, read like the native ones."""
        result, values = timed_read(ctx, FIGURE_FIELDS, "ours: figures read")
        result["balance_sum"] = round(sum(row["total_balance"] for row in values), 2)
        return result

    def one_percent(self, ctx):
        """(f) 1 % of the customers' receivables changed, then the pass."""
        regular = ctx.customer_ids[: ctx.meta["customers"]]
        current = holds(ctx)
        shifted = shift_customers(ctx.cr, regular, [pid for pid in regular if current.get(pid)], CHANGE_SHARE)
        ctx.cr.commit()
        log(
            f"(f) {shifted['customers']} customers changed ({len(shifted['paid'])} on hold paid everything, "
            f"{len(shifted['overdue'])} others fell overdue); the pass ..."
        )
        result = self.timed_pass(ctx)
        # the data set as generated again, and the holds that go with it (for --reuse-db and inspection)
        unshift_customers(ctx.cr)
        ctx.cr.commit()
        ctx.env.invalidate_all()
        settle(ctx.env)
        result["customers_changed"] = shifted["customers"]
        result["paid"] = len(shifted["paid"])
        result["overdue"] = len(shifted["overdue"])
        log(
            f"(f) 1 % change run: {result['seconds']} s, {result['rows_written']} rows written, "
            f"{result['holds_changed']['total']} holds changed"
        )
        return result

    # -- the report -------------------------------------------------------

    def rows(self, res):
        full, nochange = res["full_evaluation"], res["no_change"]
        french, change, read = res.get("fr_no_change"), res.get("one_percent"), res["ours_figures_read"]
        rows = [
            Row(10, "(a) full evaluation (cron, all customers)", full["seconds"], full["queries"],
                full["rows_written"], full["peak_rss_mb"]),
            Row(20, "(b) no-change run", nochange["seconds"], nochange["queries"], nochange["rows_written"],
                nochange["peak_rss_mb"]),
            Row(45, "(e) ours: figures read (balance, exposure, overdue)", read["seconds"], read["queries"], None,
                read["peak_rss_mb"]),
        ]  # fmt: skip
        if french:
            rows.append(
                Row(21, f"(b) no-change run as a {FRENCH} user", french["seconds"], french["queries"],
                    french["rows_written"], french["peak_rss_mb"])
            )  # fmt: skip
        if change:
            rows.append(
                Row(22, f"(f) 1 % change run ({change['customers_changed']:,} customers changed)", change["seconds"],
                    change["queries"], change["rows_written"], change["peak_rss_mb"])
            )  # fmt: skip
        return rows

    def facts(self, res):
        full, customers = res["full_evaluation"], res["data"]["customers"] + 2
        return [
            Item(
                10,
                f"on hold after (a): {full['on_hold']:,} of {customers:,} customers"
                f" ({full['messages']:,} chatter messages)",
            )
        ]

    def sanity(self, res):
        return Item(20, f"ours {res['ours_figures_read']['balance_sum']:,}")

    def notes(self, res):
        passes = [("(a)", "full_evaluation"), ("(b)", "no_change"), (f"(b) {FRENCH}", "fr_no_change")]
        passes.append(("(f)", "one_percent"))
        done = [(label, res[key]) for label, key in passes if res.get(key)]
        text = ", ".join(
            f"{label} {p['holds_changed']['total']:,} ({p['holds_changed']['on']:,} on, "
            f"{p['holds_changed']['off']:,} off)"
            for label, p in done
        )
        return [Item(30, f"holds changed (on_hold read through the ORM before and after each pass): {text}")]

    def sections(self, res, markdown):
        full = res["full_evaluation"]
        out = []
        if full["parts"]:
            out += ["", "where the time of (a) goes (inclusive; nested parts overlap):"]
            if markdown:
                out += ["", "| part | time | calls | queries |", "|---|---:|---:|---:|"]
            for label, p in full["parts"].items():
                if markdown:
                    out.append(f"| {label} | {p['seconds']} s | {p['calls']:,} | {p['queries']:,} |")
                else:
                    out.append(f"  {label:<52}{p['seconds']:>9} s{p['calls']:>10,} calls{p['queries']:>10,} queries")
        if full.get("split"):
            out += [
                "",
                "profile split of (a) (exclusive time of the wrapped calls, by what their SQL touches; "
                "Python without SQL is 'decide'):",
            ]
            if markdown:
                out += ["", "| part | time | share | queries |", "|---|---:|---:|---:|"]
            for kind, s in full["split"].items():
                label = SPLIT_LABELS[kind]
                if markdown:
                    out.append(f"| {label} | {s['seconds']} s | {s['share']} % | {s['queries']:,} |")
                else:
                    out.append(f"  {label:<52}{s['seconds']:>9} s{s['share']:>8} %{s['queries']:>10,} queries")
        return [(30, out)]

    def targets(self, res):
        full, nochange = res["full_evaluation"], res["no_change"]
        french, change = res.get("fr_no_change"), res.get("one_percent")
        targets = [
            Target(10, "first pass under 25 s", "< 25 s", f"{full['seconds']} s", full["seconds"] < 25),
            Target(
                30,
                "no-change pass writes 0 rows",
                "0",
                str(nochange["rows_written"]),
                nochange["rows_written"] == 0,
            ),
        ]
        if change:
            limit = 2 * nochange["seconds"]
            targets.append(
                Target(
                    50,
                    "1 % change pass within 2x of the no-change pass",
                    f"<= {round(limit, 3)} s",
                    f"{change['seconds']} s ({change['rows_written']:,} rows, "
                    f"{change['holds_changed']['total']:,} holds changed)",
                    change["seconds"] <= limit,
                )
            )
        if french:
            targets.append(
                Target(
                    60,
                    f"no-change pass as a {FRENCH} user writes 0 rows",
                    "0",
                    str(french["rows_written"]),
                    french["rows_written"] == 0,
                )
            )
        peak = max(p["peak_rss_mb"] for p in (full, nochange, french, change) if p)
        targets.append(
            Target(
                70, "memory of the passes under 1.5 GB", f"< {MEMORY_LIMIT_MB} MB", f"{peak} MB", peak < MEMORY_LIMIT_MB
            )
        )
        return targets


MEASURE = Ours()
