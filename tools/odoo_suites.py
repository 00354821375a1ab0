#!/usr/bin/env python3
"""Odoo's own tests of the modules that confirm orders and post invoices
around us, with and without credit_hold (``make compare-odoo-suites``).

Two databases are cloned from the test template (which holds these modules):
one as it is, one with our addons installed and credit hold switched on in
every company. In each, Odoo's runner (``--test-enable``) updates and tests
the modules; the script prints how many tests ran and which failed in each,
and exits 1 when the two lists differ. Nobody is on hold in Odoo's tests:
the point is that the addons change nothing for documents that pass.

Usage: odoo_suites.py [--modules sale_management,sale_loyalty,event_sale,sale_stock] [--keep-db]
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import devtool

MODULES = "sale_management,sale_loyalty,event_sale,sale_stock"
SUMMARY_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")
FAILED_RE = re.compile(r" (?:ERROR|CRITICAL) \S+ \S+: (FAIL|ERROR): (\S+)")
SWITCH_ON = "env['res.company'].search([]).write({'credit_hold_enabled': True}); env.cr.commit()"


def run(odoo, dbname, modules, log):
    cmd = odoo.command(
        f"--addons-path={odoo.addons_path}",
        *devtool.db_args(),
        "-d",
        dbname,
        "-u",
        modules,
        "--test-enable",
        "--test-tags",
        ",".join(f"/{name}" for name in modules.split(",")),
        "--stop-after-init",
        "--http-port=0",
        "--max-cron-threads=0",
        "--log-level=test",
    )
    with open(log, "w") as fh:
        subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, check=False)
    text = Path(log).read_text(errors="replace")
    found = SUMMARY_RE.findall(text)
    failed, errors, total = (sum(int(row[i]) for row in found) for i in range(3))
    names = sorted({name for _kind, name in FAILED_RE.findall(text)})
    return total, failed + errors, names


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", default=MODULES)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    layer = devtool.Layer("suites")
    odoo, modules = devtool.odoo_ready(layer)
    if not odoo:
        return 1
    results = {}
    for label in ("without credit_hold", "with credit_hold on"):
        start = time.time()
        dbname = f"credit_hold_suites_{'on' if 'on' in label else 'off'}_{os.getpid()}"
        if not devtool.fresh_database(layer, odoo, dbname, modules):
            return 1
        try:
            if "on" in label:
                subprocess.run(
                    odoo.command(
                        f"--addons-path={odoo.addons_path}",
                        *devtool.db_args(),
                        "-d",
                        dbname,
                        "-i",
                        ",".join(devtool.ADDONS),
                        "--stop-after-init",
                        "--log-level=warn",
                    ),
                    check=True,
                )
                subprocess.run(
                    odoo.command("shell", f"--addons-path={odoo.addons_path}", *devtool.db_args(), "-d", dbname),
                    input=SWITCH_ON,
                    text=True,
                    capture_output=True,
                    check=True,
                )
            log = devtool.TEST_LOG_DIR / f"odoo-suites-{'on' if 'on' in label else 'off'}.log"
            results[label] = run(odoo, dbname, args.modules, log)
        finally:
            if not args.keep_db:
                devtool.drop_db(dbname)
        total, failed, names = results[label]
        print(f"{label}: {total} tests, {failed} failed ({time.time() - start:.0f}s, log {log})")
        for name in names:
            print(f"    {name}")
    (total_off, _, off), (total_on, _, on) = results.values()
    same = total_off == total_on and off == on
    print(f"suites: {'the same' if same else 'DIFFERENT'} ({args.modules})")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
