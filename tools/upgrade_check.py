#!/usr/bin/env python3
"""``make test-upgrade``: an 18.0.1.0.0 database upgrades keeping every hold.

1. The previous release's ``credit_hold/`` is taken from git history (the
   newest commit whose manifest says 18.0.1.0.0) into a temporary folder.
2. A scratch database cloned from the test template gets that release
   installed, and ``tools/upgrade_scenario.py:setup`` (in ``odoo-bin shell``)
   creates customers on hold for each reason, held and released documents and
   a nightly pass under way, and writes what it created to a JSON file.
3. ``odoo-bin -u credit_hold`` with the current code (log in
   ``.test-logs/upgrade.log``): any WARNING or ERROR line fails the check.
4. ``tools/upgrade_scenario.py:verify`` (current code) checks holds, reason
   codes and words, documents, the held documents list, and that a nightly
   pass changes nothing.

Usage: ``python3 tools/upgrade_check.py [--keep-db] [--from-ref REF]``
"""

import argparse
import ast
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import devtool  # a sibling module, not a package

ROOT = devtool.ROOT
OLD_VERSION = "18.0.1.0.0"
SCENARIO = Path(__file__).resolve().parent / "upgrade_scenario.py"


def git(*args, binary=False):
    out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, check=True)
    return out.stdout if binary else out.stdout.decode()


def release_commit(version):
    """The newest commit whose credit_hold/__manifest__.py has ``version``."""
    for commit in git("rev-list", "HEAD", "--", "credit_hold").split():
        try:
            manifest = ast.literal_eval(git("show", f"{commit}:credit_hold/__manifest__.py"))
        except (subprocess.CalledProcessError, ValueError, SyntaxError):
            continue
        if manifest.get("version") == version:
            return commit
    raise RuntimeError(f"no commit of credit_hold/ with version {version}")


def extract_release(commit, target):
    """``git archive <commit> credit_hold`` unpacked into ``target``."""
    data = git("archive", "--format=tar", commit, "credit_hold", binary=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(target, filter="data")
    return Path(target) / "credit_hold"


def bad_log_lines(text):
    """WARNING/ERROR/CRITICAL lines, the known-harmless ones of Odoo aside."""
    return [
        line
        for line in text.splitlines()
        if (m := devtool.LOG_LINE_RE.match(line))
        and m.group(1) not in ("INFO", "DEBUG")
        and not any(ignore in line for ignore in devtool.LOG_IGNORE)
    ]


def run_odoo(odoo, addons_path, dbname, args, log, stdin=None, subcommand=()):
    cmd = odoo.command(*subcommand, f"--addons-path={addons_path}", *devtool.db_args(), "-d", dbname, *args)
    with open(log, "w") as fh:
        return subprocess.run(cmd, stdin=stdin, stdout=fh, stderr=subprocess.STDOUT, check=False).returncode


def run_shell(odoo, addons_path, dbname, function, args, log):
    """``function`` of the scenario, called with ``env`` inside ``odoo-bin shell``."""
    bootstrap = (
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('upgrade_scenario', {str(SCENARIO)!r})\n"
        "scenario = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(scenario)\n"
        f"scenario.{function}(env, *{args!r})\n"
    )
    with tempfile.TemporaryFile("w+") as stdin:
        stdin.write(bootstrap)
        stdin.seek(0)
        return run_odoo(
            odoo,
            addons_path,
            dbname,
            ["--no-http", "--log-level=warn", "--max-cron-threads=0"],
            log,
            stdin=stdin,
            subcommand=("shell",),
        )


def tail(log, lines=25):
    for line in Path(log).read_text(errors="replace").splitlines()[-lines:]:
        print("  | " + line[:300])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep-db", action="store_true", help="keep the scratch database")
    parser.add_argument("--from-ref", help=f"commit of the previous release (default: last with {OLD_VERSION})")
    args = parser.parse_args()
    start = time.time()
    if devtool.SERIES != "18.0":
        print(f"upgrade: {OLD_VERSION} is an 18.0 release; run the check with ODOO_SERIES=18.0")
        return 2
    odoo, why = devtool.find_odoo()
    if not odoo:
        print(f"upgrade: no Odoo ({why})")
        return 2
    try:
        devtool.psql("SELECT 1")
    except (RuntimeError, OSError) as exc:
        print(f"upgrade: PostgreSQL not reachable ({exc})")
        return 2
    logs = devtool.TEST_LOG_DIR
    logs.mkdir(parents=True, exist_ok=True)
    commit = args.from_ref or release_commit(OLD_VERSION)
    print(f"== upgrade {OLD_VERSION} ({commit[:10]}) -> current tree, odoo {odoo.bin}", flush=True)
    dbname = f"credit_hold_upgrade_{os.getpid()}"
    passed, failed = 0, []
    with tempfile.TemporaryDirectory(prefix="credit_hold_old_") as tmp:
        old_addons = Path(tmp) / "addons"
        old_addons.mkdir()
        extract_release(commit, old_addons)
        old_path = ",".join([*odoo.addons_paths, str(old_addons)])
        new_path = odoo.addons_path  # Odoo's addons and this repository
        expected_json = Path(tmp) / "expected.json"
        result_json = Path(tmp) / "result.json"
        spent = devtool.new_database(odoo, dbname, devtool.addon_dependencies(), logs / "initdb-upgrade.log")
        print(f"  database {dbname} in {spent:.0f}s (click-odoo-initdb)")
        # the add-ons beside credit_hold came after 18.0.1.0.0: the old release is
        # installed as a database of its time had it, without them being
        # auto-installed from the template's module list (their code is not on
        # the old addons path)
        later = ",".join(f"'{name}'" for name in devtool.ADDONS if name != "credit_hold")
        if later:
            devtool.psql(f"UPDATE ir_module_module SET state = 'uninstallable' WHERE name IN ({later})", dbname)
        try:
            steps = [
                (
                    f"install {OLD_VERSION}",
                    lambda: run_odoo(
                        odoo,
                        old_path,
                        dbname,
                        ["-i", "credit_hold", "--without-demo=all", "--stop-after-init", "--log-level=warn"],
                        logs / "upgrade-install.log",
                    ),
                    logs / "upgrade-install.log",
                ),
                (
                    f"data with {OLD_VERSION}",
                    lambda: run_shell(
                        odoo, old_path, dbname, "setup", [str(expected_json)], logs / "upgrade-setup.log"
                    ),
                    logs / "upgrade-setup.log",
                ),
                (
                    "upgrade -u credit_hold",
                    lambda: run_odoo(
                        odoo,
                        new_path,
                        dbname,
                        ["-u", "credit_hold", "--stop-after-init", "--log-level=info", "--max-cron-threads=0"],
                        logs / "upgrade.log",
                    ),
                    logs / "upgrade.log",
                ),
                (
                    "checks with the current code",
                    lambda: run_shell(
                        odoo,
                        new_path,
                        dbname,
                        "verify",
                        [str(expected_json), str(result_json)],
                        logs / "upgrade-verify.log",
                    ),
                    logs / "upgrade-verify.log",
                ),
            ]
            for label, step, log in steps:
                step_start = time.time()
                code = step()
                print(f"  {label}: exit {code} in {time.time() - step_start:.0f}s (log: {log.relative_to(ROOT)})")
                text = log.read_text(errors="replace")
                if label.startswith("upgrade"):
                    # the migration must run and say what it did
                    if "credit_hold: reason codes stored for" in text:
                        passed += 1
                    else:
                        failed.append("upgrade: the 18.0.2.0.0 migration did not run (no 'reason codes stored')")
                # OCA CI fails on warnings in the log; so do we, in every step
                bad = bad_log_lines(text)
                if bad:
                    failed.append(f"{label}: {len(bad)} WARNING/ERROR line(s) in {log.relative_to(ROOT)}")
                    for line in bad[:20]:
                        print("  | " + line[:300])
                else:
                    passed += 1
                if code:
                    failed.append(f"{label}: exit {code}")
                    tail(log)
                    break
                if label.startswith("data"):
                    for line in text.splitlines():
                        if line.startswith("setup:"):
                            print(f"    {line}")
            if result_json.exists():
                result = json.loads(result_json.read_text())
                passed += result["passed"]
                failed.extend(result["failed"])
            elif not failed:
                failed.append("checks: no result written")
        finally:
            if args.keep_db:
                print(f"  database kept: {dbname}")
            else:
                devtool.drop_db(dbname)
    for failure in failed:
        print(f"  FAIL {failure}")
    print(f"upgrade: {passed} passed, {len(failed)} failed ({time.time() - start:.0f}s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
