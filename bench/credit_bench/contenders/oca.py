"""(e) OCA's account_financial_risk: ``read(['risk_total', 'risk_exception'])`` on all
customers, then ``search([('risk_exception', '=', True)])`` (OCA's own
``_search_risk_exception``: it computes the risk of every customer and filters).

The module comes from its PyPI wheel of the series measured
(``odoo-addon-account-financial-risk==18.0.*`` or ``==19.0.*``, ``ODOO_SERIES``),
``pip download --no-deps``), unpacked **outside the repository** into
``$BENCH_ADDONS`` (default ``$ODOO_HOME/bench-addons``, ``/opt/odoo18`` or ``/opt/odoo19``), with its manifest
dependencies when they are not Odoo core modules. If it cannot be fetched or
installed, the report says why and the rest is measured.
"""

import ast
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from ..common import ROOT, Item, Measure, Row, Step, Target, log, peak_rss_mb, ratio, reset_peak_rss, timed_read

OCA_MODULE = "account_financial_risk"
OCA_SERIES = os.environ.get("ODOO_SERIES") or "18.0"


def bench_addons_dir():
    """Where OCA's modules are unpacked: outside the repository."""
    default = Path(os.environ.get("ODOO_HOME", f"/opt/odoo{OCA_SERIES.split('.')[0]}")) / "bench-addons"
    return Path(os.environ.get("BENCH_ADDONS") or default)


def addon_dir(name, addons_paths):
    for path in addons_paths:
        if (Path(path) / name / "__manifest__.py").is_file():
            return Path(path) / name
    return None


def fetch_oca_addon(name, target):
    """Download the wheel of OCA addon ``name`` for OCA_SERIES and unpack the addon into ``target``."""
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


class Oca(Measure):
    key = "oca"
    order = 30
    label = f"OCA {OCA_MODULE}"

    def prepare(self, ctx):
        self.version, self.why_not = ensure_oca(ctx.odoo_paths)
        if self.why_not:
            log(f"OCA {OCA_MODULE} not available: {self.why_not}")
            return
        self.modules = (OCA_MODULE,)
        self.addons_dir = bench_addons_dir()

    def installed(self, ctx, ok, why=None):
        if not ok:
            self.version = None
            self.why_not = self.why_not or why or f"{OCA_MODULE} is not installed in {ctx.dbname}"
        self.modules = self.modules if ok else ()

    def configure(self, ctx):
        if self.modules:
            ctx.company.write({"invoice_unpaid_margin": 5})

    def steps(self):
        return [Step(50, "oca", self.measure)]

    def measure(self, ctx):
        if not self.modules:
            return None
        env, cr = ctx.env, ctx.cr
        read, values = timed_read(ctx, ["risk_total", "risk_exception"], "OCA risk_total + risk_exception read")
        read["exceptions"] = sum(1 for row in values if row["risk_exception"])
        env.invalidate_all()
        reset_peak_rss()
        queries, start = cr.sql_log_count, time.perf_counter()
        found = env["res.partner"].with_company(ctx.company).search([("risk_exception", "=", True)])
        seconds = time.perf_counter() - start
        search = {
            "seconds": round(seconds, 3),
            "queries": cr.sql_log_count - queries,
            "found": len(found),
            "peak_rss_mb": peak_rss_mb(),
        }
        log(f"OCA risk exception search: {seconds:.3f} s")
        cr.rollback()
        return {"read": read, "search": search}

    def rows(self, res):
        oca = res.get("oca")
        if not oca:
            return []
        return [
            Row(50, "(e) OCA risk_total + risk_exception read", oca["read"]["seconds"], oca["read"]["queries"], None,
                oca["read"]["peak_rss_mb"]),
            Row(51, "(e) OCA risk exception search", oca["search"]["seconds"], oca["search"]["queries"], None,
                oca["search"]["peak_rss_mb"]),
        ]  # fmt: skip

    def ratio(self, res):
        oca = res.get("oca")
        return Item(20, "OCA", {"key": "ours_oca", "seconds": oca["read"]["seconds"] if oca else None})

    def facts(self, res):
        oca = res.get("oca")
        return [Item(20, f"OCA risk exceptions: {oca['read']['exceptions'] if oca else '-'}")]

    def notes(self, res):
        why = res.get("oca_why_not")
        return [Item(150, "OCA not measured: " + why.replace("\n", " / "))] if why else []

    def targets(self, res):
        oca, full = res.get("oca"), res["full_evaluation"]["seconds"]
        name = "first pass faster than OCA's risk computation"
        if not oca:
            return [Target(25, name, "< OCA read", "OCA not installed", None)]
        speedup = ratio(oca["read"]["seconds"], full)
        wanted = f"< {oca['read']['seconds']} s"
        return [Target(25, name, wanted, f"{full} s ({speedup}x faster)", full < oca["read"]["seconds"])]

    def extra_results(self, res):
        res["oca_why_not"] = self.why_not if not self.modules else None


MEASURE = Oca()
