"""What every part of the benchmark shares: paths, sizes, logging, memory, the measure protocol."""

import contextlib
import importlib.util
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = ROOT / "bench"
ENTRY_SCRIPT = BENCH_DIR / "bench.py"
RESULTS_DIR = BENCH_DIR / "results"
RESULTS_MD = BENCH_DIR / "RESULTS.md"
LOG_DIR = ROOT / ".test-logs"

# customers, invoices
SIZES = {"small": (1_000, 10_000), "large": (100_000, 1_000_000)}
META_KEY = "credit_hold_bench.meta"


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_devtool():
    """The project's Odoo / PostgreSQL helpers (tools/devtool.py), by path."""
    spec = importlib.util.spec_from_file_location("credit_hold_devtool", ROOT / "tools" / "devtool.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def percentile(values, pct):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def ratio(a, b):
    return round(a / b, 2) if a is not None and b else None


def scalar(cr, query, params=None):
    cr.execute(query, params)
    return cr.fetchone()[0]


class Context(SimpleNamespace):
    """What the measures share during a run: ``env``, ``cr``, ``company``, ``meta`` (the data
    set's description), ``customer_ids`` / ``customer_set`` (all bench customers, the 2 special
    ones included), ``args``, ``odoo_paths``, ``dbname`` and ``res`` (the results so far)."""

    def update(self, **values):
        self.__dict__.update(values)


# ----------------------------------------------------------------------
# The measure protocol: a contender (bench/credit_bench/contenders/*.py) or
# another measure (confirmation.py) is one object of this shape, in one file.
# ----------------------------------------------------------------------


@dataclass
class Step:
    """One timed step: ``run(ctx)`` returns the result stored under ``res[key]``."""

    order: int
    key: str
    run: object


@dataclass
class Row:
    """A line of the main table (ordered by ``rank``)."""

    rank: int
    label: str
    seconds: float
    queries: int | None = None
    rows_written: int | None = None
    peak_rss_mb: float | None = None


@dataclass
class Target:
    rank: int
    target: str
    wanted: str
    measured: str
    ok: bool | None


@dataclass
class Item:
    """A ranked fragment of a report line (a ratio, a fact, a sanity sum)."""

    rank: int
    text: str
    extra: dict = field(default_factory=dict)


class Measure:
    """Base of every contender and measure; everything is optional.

    - ``key``: the name of the measure (its results usually sit under ``res[key]``)
    - ``order``: the order of the measures among themselves
    - ``prepare(ctx)``: before the database is built (fetch addons); may set
      ``self.modules`` (Odoo modules to install), ``self.addons_dir`` and ``self.why_not``
    - ``installed(ctx, ok, why)``: told whether its modules were installed
    - ``configure(ctx)``: company settings, before the data set is generated (fresh database only)
    - ``before_measures(ctx)``: settings once the data set is there (fresh or reused)
    - ``extra_results(res)``: add keys of its own to the results
    - ``steps()``: the :class:`Step` objects to run (all measures' steps run by ``order``)
    - ``rows(res)``, ``targets(res)``: :class:`Row` and :class:`Target` objects for the report
    - ``ratio(res)``: ``Item(rank, label, {"key": ..., "seconds": ...})`` when ours is compared with it
    - ``facts(res)``, ``sanity(res)``, ``notes(res)``, ``sections(res, markdown)``: more report lines
    """

    key = ""
    order = 50
    modules = ()
    addons_dir = None
    why_not = None
    version = None

    def prepare(self, ctx):
        pass

    def installed(self, ctx, ok, why=None):
        pass

    def configure(self, ctx):
        pass

    def before_measures(self, ctx):
        pass

    def extra_results(self, res):
        pass

    def steps(self):
        return []

    def rows(self, res):
        return []

    def targets(self, res):
        return []

    def ratio(self, res):
        return None

    def facts(self, res):
        return []

    def sanity(self, res):
        return None

    def notes(self, res):
        return []

    def sections(self, res, markdown):
        return []


def timed_read(ctx, fields, label):
    """Read ``fields`` on all bench customers through the ORM, cold cache.

    :return: (timing, the values read)
    """
    env, cr = ctx.env, ctx.cr
    env.invalidate_all()
    partners = env["res.partner"].with_company(ctx.company).browse(ctx.customer_ids)
    reset_peak_rss()
    queries, start = cr.sql_log_count, time.perf_counter()
    values = partners.read(fields)
    seconds = time.perf_counter() - start
    result = {
        "seconds": round(seconds, 3),
        "queries": cr.sql_log_count - queries,
        "partners": len(values),
        "peak_rss_mb": peak_rss_mb(),
    }
    log(f"{label}: {seconds:.3f} s")
    cr.rollback()
    return result, values
