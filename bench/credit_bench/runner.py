"""Runs the benchmark: the database, the data set, every measure's steps in order, the report.

The measures are the contenders (``contenders/*.py``, found at run time) and
the other measures of :data:`OTHER_MEASURES`.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

from . import __doc__ as PACKAGE_DOC
from . import confirmation, contenders
from .common import ENTRY_SCRIPT, META_KEY, RESULTS_DIR, RESULTS_MD, ROOT, SIZES, Context, load_devtool, log
from .database import addons_path, create_database, open_registry
from .datasets import DataSet, data_facts
from .report import code_facts, evaluate_targets, machine_facts, ratios, report_lines, write_results

# measures that are not contenders
OTHER_MEASURES = [confirmation.MEASURE]

# the credit hold policy of the bench company
CREDIT_HOLD_SETTINGS = {
    "credit_hold_enabled": True,
    "credit_hold_over_limit": True,
    "credit_hold_overdue": True,
    "credit_hold_grace_days": 5,
}


def measures():
    return [*contenders.load(), *OTHER_MEASURES]


def run(args, devtool):
    odoo_bin = os.environ["BENCH_ODOO_BIN"]
    sys.path.insert(0, str(Path(odoo_bin).resolve().parent))
    odoo_paths = [p for p in os.environ.get("BENCH_ODOO_ADDONS", "").split(",") if p]
    odoo = devtool.Odoo(odoo_bin, sys.executable, odoo_paths)
    customers, invoices = SIZES[args.size]
    customers = args.customers or customers
    invoices = args.invoices or invoices
    dbname = args.db or f"credit_hold_bench_{args.size}" + ("" if devtool.SERIES == "18.0" else f"_{devtool.MAJOR}")
    started = time.perf_counter()
    all_measures = measures()
    ctx = Context(args=args, odoo_paths=odoo_paths, dbname=dbname, res={})

    for measure in all_measures:
        measure.prepare(ctx)
    if args.reuse_db:
        path = addons_path(odoo, all_measures)
    else:
        path, failed = create_database(devtool, odoo, dbname, all_measures)
        for measure, why in failed.items():
            measure.installed(ctx, False, why)

    from odoo import SUPERUSER_ID, api

    registry = open_registry(devtool, dbname, path)
    for measure in all_measures:
        if measure.modules:
            missing = [name for name in measure.modules if name not in registry._init_modules]
            measure.installed(
                ctx, not missing, f"{', '.join(missing)} is not installed in {dbname}" if missing else None
            )
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.company
        if args.reuse_db:
            meta = json.loads(env["ir.config_parameter"].get_param(META_KEY) or "null")
            if not meta:
                raise RuntimeError(f"{dbname} holds no bench data: run without --reuse-db")
            log(f"reusing {dbname}: holds reset")
            # the bench's own data reset (not addon code): back to "nothing decided yet"
            cr.execute(
                "UPDATE res_partner SET on_hold = NULL, credit_hold_reason_codes = NULL WHERE on_hold IS NOT NULL"
            )
            cr.execute("DELETE FROM credit_hold_history")
            cr.execute("DELETE FROM credit_hold_queue")
            counts, generation = meta["counts"], meta.get("generation_seconds")
        else:
            ctx.update(env=env, cr=cr, company=company)
            for measure in all_measures:
                measure.configure(ctx)
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
        company.write(CREDIT_HOLD_SETTINGS)
        cr.commit()
        facts = data_facts(cr)
        customer_ids = list(range(meta["base_partner"] + 1, meta["base_partner"] + meta["customers"] + 3))
        ctx.update(
            env=env,
            cr=cr,
            company=company,
            meta=meta,
            customer_ids=customer_ids,
            customer_set=set(customer_ids),
        )
        for measure in all_measures:
            measure.before_measures(ctx)
        cr.commit()

        res = ctx.res
        res.update(
            {
                "size": args.size if not (args.customers or args.invoices) else "custom",
                "series": devtool.SERIES,
                "timestamp": datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
                "database": dbname,
                "data": {
                    **counts,
                    **facts,
                    "customers": meta["customers"],
                    "invoices": meta["invoices"],
                    "generation_seconds": generation,
                },
            }
        )
        steps = sorted((step for measure in all_measures for step in measure.steps()), key=lambda s: s.order)
        for step in steps:
            res[step.key] = step.run(ctx)
        res["machine"] = machine_facts(
            cr, {m.label: m.version for m in all_measures if getattr(m, "label", None) is not None}
        )
        res["code"] = code_facts()
        for measure in all_measures:
            measure.extra_results(res)
        res["ratios"] = ratios(res, all_measures)
        res["targets"] = evaluate_targets(res, all_measures)
        res["total_seconds"] = round(time.perf_counter() - started, 1)
        cr.rollback()
    print()
    print("\n".join(report_lines(res, all_measures)))
    write_results(res, all_measures)
    latest = RESULTS_DIR.relative_to(ROOT) / f"latest-{res['size']}-{res['series']}.json"
    print(f"\nresults: {latest}, {RESULTS_MD.relative_to(ROOT)}")
    print(f"total {res['total_seconds']} s; database {dbname} kept for inspection")
    return 0


def main():
    parser = argparse.ArgumentParser(
        prog="bench/bench.py", description=PACKAGE_DOC, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=sorted(SIZES), default=os.environ.get("SIZE") or "small")
    parser.add_argument("--customers", type=int, help="override the size's number of customers")
    parser.add_argument("--invoices", type=int, help="override the size's number of invoices")
    parser.add_argument("--db", default=os.environ.get("BENCH_DB") or None, help="database name "
                        "(default credit_hold_bench_<size>; also BENCH_DB in the environment)")  # fmt: skip
    parser.add_argument("--reuse-db", action="store_true", help="measure again on the existing bench database")
    parser.add_argument("--profile", action="store_true", help="cProfile the full evaluation into .test-logs/")
    args = parser.parse_args()
    devtool = load_devtool()
    if not os.environ.get("BENCH_ODOO_BIN"):
        odoo, why = devtool.find_odoo()
        if not odoo:
            print(
                f"make bench: no Odoo {devtool.SERIES} found: {why}.\n"
                "See README.md, 'Where the commands find Odoo' (ODOO_HOME / ODOO_BIN / ODOO_PYTHON)."
            )
            return 2
        env = {**os.environ, "BENCH_ODOO_BIN": odoo.bin, "BENCH_ODOO_ADDONS": ",".join(odoo.addons_paths)}
        argv = [odoo.python, str(ENTRY_SCRIPT), *sys.argv[1:]]
        os.execve(odoo.python, argv, env)  # noqa: S606 - the same entry point, in the Odoo interpreter
    return run(args, devtool)
