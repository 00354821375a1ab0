#!/usr/bin/env python3
"""Developer commands of credit_hold: ``test``, ``run`` and ``odoo-info``.

Called by the Makefile (``make test``, ``make run``). It finds an Odoo 18 that
is already installed on this machine; it never installs Odoo.

Where Odoo is looked for, first match wins:

1. ``ODOO_BIN`` (path to ``odoo-bin``) and ``ODOO_PYTHON`` (its interpreter);
2. ``ODOO_HOME`` (default ``/opt/odoo18``) holding a source checkout in
   ``src/`` (or directly) and a virtualenv in ``venv/``;
3. an ``odoo`` command on the PATH (Debian/Ubuntu package ``odoo``).

PostgreSQL: ``PGHOST`` (default 127.0.0.1), ``PGPORT`` (5432) and
``DB_USER`` (default: the current user; Odoo refuses ``postgres``).
"""

import argparse
import getpass
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADDONS = ["credit_hold"]
TEST_LOG_DIR = ROOT / ".test-logs"
RESULT_RE = re.compile(r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests")
LOG_LINE_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) ")
# Known-harmless lines of Odoo itself (not of our addon).
LOG_IGNORE = ("Running as user 'root' is a security risk",)


# ----------------------------------------------------------------------
# Finding Odoo and PostgreSQL
# ----------------------------------------------------------------------


class Odoo:
    def __init__(self, bin_path, python, addons_paths):
        self.bin = bin_path
        self.python = python
        self.addons_paths = addons_paths

    @property
    def addons_path(self):
        return ",".join([*self.addons_paths, str(ROOT)])

    def command(self, *args):
        return [self.python, self.bin, *args]


def find_odoo():
    """Return (Odoo, None) or (None, why-not)."""
    candidates = []
    if os.environ.get("ODOO_BIN"):
        bin_path = Path(os.environ["ODOO_BIN"])
        candidates.append((bin_path, os.environ.get("ODOO_PYTHON") or sys.executable))
    home = Path(os.environ.get("ODOO_HOME", "/opt/odoo18"))
    for src in (home / "src", home):
        if (src / "odoo-bin").is_file():
            python = os.environ.get("ODOO_PYTHON") or str(home / "venv" / "bin" / "python")
            if not Path(python).exists():
                python = sys.executable
            candidates.append((src / "odoo-bin", python))
    packaged = shutil.which("odoo")
    if packaged:
        candidates.append((Path(packaged), "/usr/bin/python3"))
    if not candidates:
        return None, f"no odoo-bin under ODOO_HOME={home} (src/odoo-bin or odoo-bin), no ODOO_BIN, no 'odoo' on PATH"
    for bin_path, python in candidates:
        try:
            out = subprocess.run(
                [python, str(bin_path), "--version"], capture_output=True, text=True, timeout=120, check=False
            )
        except OSError as exc:
            return None, f"{bin_path} cannot run with {python}: {exc}"
        version = (out.stdout + out.stderr).strip()
        if "18.0" not in version:
            return None, f"{bin_path} is not Odoo 18.0 ({version or 'no version printed'})"
        src = bin_path.resolve().parent
        paths = [str(p) for p in (src / "addons", src / "odoo" / "addons") if p.is_dir()]
        return Odoo(str(bin_path), python, paths), None
    return None, "no usable Odoo found"


def db_args():
    return [
        f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
        f"--db_port={os.environ.get('PGPORT', '5432')}",
        f"--db_user={os.environ.get('DB_USER', getpass.getuser())}",
    ]


def psql(sql, dbname="postgres", check=True):
    cmd = [
        "psql",
        "-X",
        "-q",
        "-t",
        "-A",
        "-h",
        os.environ.get("PGHOST", "127.0.0.1"),
        "-p",
        os.environ.get("PGPORT", "5432"),
        "-U",
        os.environ.get("DB_USER", getpass.getuser()),
        "-d",
        dbname,
        "-c",
        sql,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if check and out.returncode:
        raise RuntimeError(f"psql failed: {sql}\n{out.stderr}")
    return out.stdout.strip()


def db_exists(name):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def drop_db(name):
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(filestore(name), ignore_errors=True)


def filestore(dbname):
    return Path.home() / ".local" / "share" / "Odoo" / "filestore" / dbname


def addon_dependencies():
    """Core addons our addons depend on (what the template holds)."""
    deps = set()
    for addon in ADDONS:
        manifest = eval((ROOT / addon / "__manifest__.py").read_text())  # noqa: S307 - our own file
        deps.update(manifest.get("depends", []))
    return sorted(deps - set(ADDONS))


def template_name(odoo, deps):
    stamp = f"{odoo.bin}|{Path(odoo.bin).stat().st_mtime}|{','.join(deps)}"
    return "credit_hold_tmpl_" + hashlib.sha1(stamp.encode()).hexdigest()[:10]


def ensure_template(odoo, deps, log):
    """A database with the dependencies installed, built once and reused."""
    name = template_name(odoo, deps)
    if db_exists(name):
        return name, 0.0
    start = time.time()
    building = name + "_building"
    drop_db(building)
    print(f"odoo: building template database {name} with {', '.join(deps)} (once) ...", flush=True)
    cmd = odoo.command(
        f"--addons-path={odoo.addons_path}",
        *db_args(),
        "-d",
        building,
        "-i",
        ",".join(deps),
        "--without-demo=all",
        "--stop-after-init",
        "--log-level=warn",
    )
    with open(log, "w") as fh:
        code = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, check=False).returncode
    if code:
        drop_db(building)
        raise RuntimeError(f"building the template failed (exit {code}), see {log}")
    psql(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    if filestore(building).exists():
        shutil.move(str(filestore(building)), str(filestore(name)))
    return name, time.time() - start


def clone_db(template, name):
    drop_db(name)
    psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    if filestore(template).exists():
        shutil.copytree(filestore(template), filestore(name))


# ----------------------------------------------------------------------
# make test
# ----------------------------------------------------------------------


class Layer:
    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0
        self.skipped = None

    def line(self):
        if self.skipped:
            return f"{self.name}: SKIPPED ({self.skipped})"
        return f"{self.name}: {self.passed} passed, {self.failed} failed"


def tool(name):
    local = ROOT / ".venv" / "bin" / name
    if local.exists():
        return str(local)
    return shutil.which(name)


def run_check(layer, label, cmd, cwd=ROOT):
    """One static check = one test: passes when the command exits 0."""
    exe = cmd[0]
    if exe is None:
        print(f"  FAIL {label}: tool not installed (run 'make venv')")
        layer.failed += 1
        return
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if out.returncode == 0:
        print(f"  ok   {label}")
        layer.passed += 1
    else:
        print(f"  FAIL {label}")
        print("       " + (out.stdout + out.stderr).strip().replace("\n", "\n       "))
        layer.failed += 1


def static_layer():
    layer = Layer("static")
    print("== static checks", flush=True)
    addons = [a for a in ADDONS if (ROOT / a).is_dir()]
    python = tool("python") or sys.executable
    run_check(layer, "ruff check", [tool("ruff"), "check", "--no-fix", "."])
    run_check(layer, "ruff format --check", [tool("ruff"), "format", "--check", "."])
    run_check(
        layer,
        "pylint-odoo (valid-odoo-versions 18.0)",
        [tool("pylint"), "--rcfile=.pylintrc", "--disable=unknown-option-value", *addons],
    )
    run_check(layer, "oca-checks-odoo-module", [tool("oca-checks-odoo-module"), *addons_files(addons)])
    run_check(layer, "xml/manifest/odoo 18 conventions", [python, "tools/check_addons.py", *addons])
    return layer


def addons_files(addons):
    files = []
    for addon in addons:
        for path in sorted((ROOT / addon).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".xml", ".csv", ".po", ".pot"}:
                files.append(str(path.relative_to(ROOT)))
    return files


def engine_layer():
    layer = Layer("engine")
    print("== engine tests (pytest, no Odoo)", flush=True)
    pytest = tool("pytest")
    if not pytest:
        print("  pytest not installed (run 'make venv')")
        layer.failed += 1
        return layer
    out = subprocess.run(
        [pytest, "-q", "-p", "no:cacheprovider", "tests_engine"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    print(out.stdout.strip()[-3000:])
    last = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    passed = re.search(r"(\d+) passed", last)
    failed = re.search(r"(\d+) failed", last)
    errors = re.search(r"(\d+) errors?", last)
    layer.passed = int(passed.group(1)) if passed else 0
    layer.failed = (int(failed.group(1)) if failed else 0) + (int(errors.group(1)) if errors else 0)
    if out.returncode and not layer.failed:
        layer.failed = 1  # collection error or crash: never report green
    return layer


def odoo_layer(keep_db=False):
    layer = Layer("odoo")
    print("== odoo tests (real Odoo 18 server, fresh database)", flush=True)
    odoo, why = find_odoo()
    if not odoo:
        layer.skipped = f"Odoo layer skipped: {why}"
        print(f"  {layer.skipped}")
        return layer
    if not shutil.which("psql"):
        layer.skipped = "Odoo layer skipped: psql (PostgreSQL client) not found"
        print(f"  {layer.skipped}")
        return layer
    try:
        psql("SELECT 1")
    except RuntimeError as exc:
        layer.skipped = f"Odoo layer skipped: PostgreSQL not reachable ({exc})"
        print(f"  {layer.skipped}")
        return layer
    TEST_LOG_DIR.mkdir(exist_ok=True)
    print(f"  odoo: {odoo.bin} (python {odoo.python})")
    deps = addon_dependencies()
    try:
        template, built = ensure_template(odoo, deps, TEST_LOG_DIR / "template.log")
    except RuntimeError as exc:
        print(f"  FAIL {exc}")
        layer.failed += 1
        return layer
    if built:
        print(f"  template built in {built:.0f}s")
    dbname = f"credit_hold_test_{os.getpid()}"
    clone_db(template, dbname)
    log = TEST_LOG_DIR / "odoo-test.log"
    start = time.time()
    cmd = odoo.command(
        f"--addons-path={odoo.addons_path}",
        *db_args(),
        "-d",
        dbname,
        "-i",
        ",".join(ADDONS),
        "--test-tags",
        ",".join(f"/{a}" for a in ADDONS),
        "--without-demo=all",
        "--stop-after-init",
        "--log-level=info",
        "--http-port=0",
        "--max-cron-threads=0",
    )
    try:
        with open(log, "w") as fh:
            code = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, check=False).returncode
    finally:
        if not keep_db:
            drop_db(dbname)
    text = log.read_text(errors="replace")
    results = RESULT_RE.findall(text)
    bad_lines = [
        line
        for line in text.splitlines()
        if (m := LOG_LINE_RE.match(line))
        and m.group(1) != "INFO"
        and m.group(1) != "DEBUG"
        and not any(ignore in line for ignore in LOG_IGNORE)
    ]
    for line in bad_lines[:40]:
        print("  | " + line[:300])
    if not results:
        print(f"  FAIL no test result line in {log} (exit {code}); last lines:")
        for line in text.splitlines()[-15:]:
            print("  | " + line[:300])
        layer.failed += 1
        return layer
    failed = sum(int(f) + int(e) for f, e, _ in results)
    total = sum(int(t) for _, _, t in results)
    layer.failed = failed
    layer.passed = total - failed
    print(f"  {total} Odoo tests in {time.time() - start:.0f}s (log: {log.relative_to(ROOT)})")
    if bad_lines and not failed:
        # OCA CI fails on warnings in the log; so do we.
        print(f"  FAIL {len(bad_lines)} WARNING/ERROR line(s) in the Odoo log")
        layer.failed += 1
    if code and not layer.failed:
        print(f"  FAIL odoo exited with {code}")
        layer.failed += 1
    return layer


def cmd_test(args):
    start = time.time()
    layers = []
    if "static" in args.layers:
        layers.append(static_layer())
    if "engine" in args.layers:
        layers.append(engine_layer())
    if "odoo" in args.layers:
        layers.append(odoo_layer(keep_db=args.keep_db))
    print(f"\n== summary ({time.time() - start:.0f}s)")
    for layer in layers:
        print(layer.line())
    passed = sum(layer.passed for layer in layers)
    failed = sum(layer.failed for layer in layers)
    print(f"total: {passed} passed, {failed} failed")
    return 1 if failed else 0


# ----------------------------------------------------------------------
# make run
# ----------------------------------------------------------------------


def cmd_run(args):
    odoo, why = find_odoo()
    if not odoo:
        print(f"make run: {why}.\nInstall Odoo 18.0 (see README, 'Prerequisites') or set ODOO_HOME / ODOO_BIN.")
        return 2
    dbname = args.db
    base = [f"--addons-path={odoo.addons_path}", *db_args(), "-d", dbname]
    if not db_exists(dbname):
        print(f"Creating database {dbname} with credit_hold and its demo data ...", flush=True)
        setup = ["-i", ",".join(ADDONS), "--stop-after-init"]
    else:
        print(f"Updating credit_hold in database {dbname} ...", flush=True)
        setup = ["-u", ",".join(ADDONS), "--stop-after-init"]
    if not os.environ.get("RUN_SKIP_SETUP"):
        code = subprocess.run(odoo.command(*base, *setup, "--log-level=warn"), check=False).returncode
        if code:
            return code
    if args.setup_only:
        return 0
    print(f"Odoo on http://127.0.0.1:{args.port}  (database {dbname}, login admin / admin)", flush=True)
    serve = odoo.command(*base, "--http-interface=127.0.0.1", f"--http-port={args.port}", *args.extra)
    os.execv(serve[0], serve)
    return 0


def cmd_info(_args):
    odoo, why = find_odoo()
    if not odoo:
        print(f"no Odoo: {why}")
        return 1
    print(f"odoo-bin: {odoo.bin}\npython:   {odoo.python}\naddons:   {odoo.addons_path}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    test = sub.add_parser("test", help="run the three test layers")
    test.add_argument("--layers", default="static,engine,odoo")
    test.add_argument("--keep-db", action="store_true", help="keep the Odoo test database")
    run = sub.add_parser("run", help="start Odoo with credit_hold and demo data")
    run.add_argument("--db", default=os.environ.get("RUN_DB", "credit_hold_demo"))
    run.add_argument("--port", default=os.environ.get("RUN_PORT", "8069"))
    run.add_argument("--setup-only", action="store_true")
    run.add_argument("extra", nargs="*")
    sub.add_parser("odoo-info", help="show which Odoo is used")
    args = parser.parse_args()
    if args.command == "test":
        args.layers = set(args.layers.split(","))
        return cmd_test(args)
    if args.command == "run":
        return cmd_run(args)
    return cmd_info(args)


if __name__ == "__main__":
    sys.exit(main())
