#!/usr/bin/env python3
"""Developer commands of credit_hold: ``test``, ``run``, ``venv`` and ``odoo-info``.

Called by the Makefile (``make test``, ``make run``). Nothing has to be
installed first but PostgreSQL: the test tools go into ``.venv`` and, when no
Odoo of the series is found on this machine, one is set up in ``.odoo/<series>/``.

The series: ``ODOO_SERIES`` (``18.0`` by default, or ``19.0``); the same tree
serves both.

Where Odoo is looked for, first match wins:

1. ``ODOO_BIN`` (path to ``odoo-bin``) and ``ODOO_PYTHON`` (its interpreter);
2. ``ODOO_HOME`` (default ``/opt/odoo18`` or ``/opt/odoo19``) holding a source
   checkout in ``src/`` (or directly) and a virtualenv in ``venv/``;
3. an ``odoo`` command on the PATH (Debian/Ubuntu package ``odoo``);
4. the repository's own Odoo in ``.odoo/<series>/`` (git-ignored), set up on
   first use from ``ODOO_SRC_ARCHIVE_18`` / ``ODOO_SRC_ARCHIVE_19`` (an Odoo
   source ``.tar.zst`` / ``.tar.gz`` of that series; ``ODOO_SRC_ARCHIVE`` is
   read too when it names the series) or else a shallow clone of that branch
   of Odoo's official repository, with its own virtualenv in ``venv/``.

``CREDIT_HOLD_ODOO=local`` skips 1-3 (CI does this: it always takes the
fresh-machine path). ``CI=true`` turns "no Odoo" into a failure.

PostgreSQL: ``PGHOST`` (default 127.0.0.1), ``PGPORT`` (5432) and
``DB_USER`` (default: the current user; Odoo refuses ``postgres``).
"""

import argparse
import ast
import getpass
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[1]
SUPPORTED_SERIES = ("18.0", "19.0")
SERIES = os.environ.get("ODOO_SERIES") or "18.0"
if SERIES not in SUPPORTED_SERIES:
    raise SystemExit(f"ODOO_SERIES={SERIES!r}: allowed values are {', '.join(SUPPORTED_SERIES)}")
MAJOR = SERIES.split(".", 1)[0]
TEST_LOG_DIR = ROOT / ".test-logs" / SERIES
VENV = ROOT / ".venv"
LOCAL_ODOO = ROOT / ".odoo" / SERIES
LOCAL_STAMP = LOCAL_ODOO / "READY"
ODOO_GIT_URL = "https://github.com/odoo/odoo"
ODOO_BRANCH = SERIES
# Python versions each series runs on (odoo/release.py MIN/MAX_PY_VERSION)
PYTHONS = {"18.0": ("3.10", "3.11", "3.12"), "19.0": ("3.10", "3.11", "3.12", "3.13")}[SERIES]
# Installed into Odoo's own interpreter: the Odoo test layer runs there.
# {module: package}; only the missing ones are installed. websocket-client:
# Odoo's HttpCase drives Chrome through it (browser tests).
ODOO_TEST_MODULES = {
    "pytest_odoo": "pytest-odoo==2.3.0",
    "websocket": "websocket-client==1.8.0",
    # the generated security review (credit_hold/tests/test_security_fuzz.py)
    "hypothesis": "hypothesis==6.170.27",
    # click-odoo-initdb: the test databases, from a cache of templates
    "click_odoo_contrib": "click-odoo-contrib==1.24",
}
ODOO_TEST_TOOLS = list(ODOO_TEST_MODULES.values())
LOG_LINE_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) ")
# Known-harmless lines of Odoo itself (not of our addon).
LOG_IGNORE = ("Running as user 'root' is a security risk",)


def discover_addons():
    """Every addon of the repository: a top-level folder with a __manifest__.py."""
    return sorted(p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__manifest__.py").is_file())


ADDONS = discover_addons()
# Test helpers (addons that exist only for the tests): on the addons path of
# the Odoo test layer and installed with the addons there, never shipped.
TEST_ADDONS_DIR = ROOT / "tests_addons"
TEST_ADDONS = sorted(p.parent.name for p in TEST_ADDONS_DIR.glob("*/__manifest__.py"))


def in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def local_odoo_only():
    return os.environ.get("CREDIT_HOLD_ODOO", "").lower() == "local"


def say(line):
    print(line, flush=True)


def without_demo():
    """No demo data: 18.0 needs ``--without-demo=all``; 19.0 loads none unless
    ``--with-demo`` is given (its ``--without-demo`` is a boolean that warns on ``all``)."""
    return ["--without-demo=all"] if SERIES == "18.0" else []


# ----------------------------------------------------------------------
# Finding Odoo (or getting one) and PostgreSQL
# ----------------------------------------------------------------------


class Odoo:
    def __init__(self, bin_path, python, addons_paths):
        self.bin = bin_path
        self.python = python
        self.addons_paths = addons_paths

    @property
    def addons_path(self):
        return ",".join([*self.addons_paths, str(ROOT)])

    @property
    def test_addons_path(self):
        return ",".join([*self.addons_paths, str(ROOT), str(TEST_ADDONS_DIR)])

    @property
    def local(self):
        """Set up by us in .odoo/ (so we may install into its virtualenv)."""
        return Path(self.bin).resolve().is_relative_to(LOCAL_ODOO.resolve())

    def command(self, *args):
        return [self.python, self.bin, *args]


class SetupError(RuntimeError):
    pass


def _odoo_from(bin_path, python):
    """(Odoo, None) when bin_path runs as Odoo of SERIES with python, else (None, why)."""
    try:
        out = subprocess.run(
            [python, str(bin_path), "--version"], capture_output=True, text=True, timeout=120, check=False
        )
    except OSError as exc:
        return None, f"{bin_path} cannot run with {python}: {exc}"
    version = (out.stdout + out.stderr).strip()
    if f"Odoo Server {SERIES}" not in version:
        printed = version.splitlines()[-1] if version else "no version printed"
        return None, f"{bin_path} is not Odoo {SERIES} ({printed})"
    src = Path(bin_path).resolve().parent
    paths = [str(p) for p in (src / "addons", src / "odoo" / "addons") if p.is_dir()]
    return Odoo(str(bin_path), python, paths), None


def find_odoo(get=True):
    """Return (Odoo, None) or (None, one line saying what was tried and how to fix it).

    With get=True, a missing Odoo is set up in .odoo/ (see the module docstring).
    """
    tried = []
    if local_odoo_only():
        tried.append("CREDIT_HOLD_ODOO=local: Odoo of this machine ignored")
    else:
        candidates = []
        if os.environ.get("ODOO_BIN"):
            candidates.append((Path(os.environ["ODOO_BIN"]), os.environ.get("ODOO_PYTHON") or sys.executable))
        else:
            tried.append("ODOO_BIN unset")
        home = Path(os.environ.get("ODOO_HOME", f"/opt/odoo{MAJOR}"))
        found_home = False
        for src in (home / "src", home):
            if (src / "odoo-bin").is_file():
                python = os.environ.get("ODOO_PYTHON") or str(home / "venv" / "bin" / "python")
                if not Path(python).exists():
                    python = sys.executable
                candidates.append((src / "odoo-bin", python))
                found_home = True
                break
        if not found_home:
            tried.append(f"no odoo-bin in ODOO_HOME={home}")
        packaged = shutil.which("odoo")
        if packaged:
            candidates.append((Path(packaged), "/usr/bin/python3"))
        else:
            tried.append("no 'odoo' on PATH")
        for bin_path, python in candidates:
            odoo, why = _odoo_from(bin_path, python)
            if odoo:
                return odoo, None
            tried.append(why)
    try:
        odoo = local_odoo(get=get)
    except SetupError as exc:
        tried.append(f"setting up {LOCAL_ODOO.relative_to(ROOT)}/ failed: {exc}")
        odoo = None
    if odoo:
        return odoo, None
    if not get:
        tried.append(f"{LOCAL_ODOO.relative_to(ROOT)}/ not set up yet")
    return None, (
        f"no Odoo {SERIES}: "
        + "; ".join(tried)
        + ". Point at one with ODOO_HOME=<folder with odoo-bin and venv/> or ODOO_BIN=... ODOO_PYTHON=..., "
        f"or at a source archive with ODOO_SRC_ARCHIVE_{MAJOR}=<odoo {SERIES} .tar.zst/.tar.gz>"
    )


def _archive_key(archive):
    st = archive.stat()
    return f"{archive.resolve()}|{st.st_size}|{int(st.st_mtime)}"


def _read_stamp():
    try:
        return json.loads(LOCAL_STAMP.read_text())
    except (OSError, ValueError):
        return None


def source_archive():
    """The Odoo source archive of SERIES: ODOO_SRC_ARCHIVE_18 / _19, else
    ODOO_SRC_ARCHIVE when its name says the series (or on 18.0, as before)."""
    value = os.environ.get(f"ODOO_SRC_ARCHIVE_{MAJOR}")
    if not value:
        value = os.environ.get("ODOO_SRC_ARCHIVE") or ""
        named = re.search(r"(?<!\d)(\d+\.0)(?!\d)", Path(value).name)
        if value and (named.group(1) if named else "18.0") != SERIES:
            value = ""
    return Path(value).expanduser() if value else None


def local_odoo(get=True):
    """The Odoo of .odoo/<series>/: reused when its stamp says the set-up finished, else set up (get=True)."""
    archive = source_archive()
    stamp = _read_stamp()
    if stamp and (archive is None or not archive.is_file() or stamp.get("archive_key") == _archive_key(archive)):
        odoo, why = _odoo_from(LOCAL_ODOO / "src" / "odoo-bin", str(LOCAL_ODOO / "venv" / "bin" / "python"))
        if odoo:
            return odoo
        say(f"odoo setup: {LOCAL_ODOO.relative_to(ROOT)}/ is broken ({why}), setting it up again")
    elif stamp:
        say(
            f"odoo setup: {LOCAL_ODOO.relative_to(ROOT)}/ came from {stamp.get('source')}, "
            f"the archive is {archive}: setting it up again"
        )
    if not get:
        return None
    setup_local_odoo(archive)
    odoo, why = _odoo_from(LOCAL_ODOO / "src" / "odoo-bin", str(LOCAL_ODOO / "venv" / "bin" / "python"))
    if not odoo:
        raise SetupError(why)
    return odoo


def _python_for_odoo():
    """A Python that Odoo of SERIES supports (PYTHONS)."""
    for candidate in (sys.executable, *(f"python{v}" for v in reversed(PYTHONS)), "python3"):
        exe = shutil.which(candidate) if os.sep not in candidate else candidate
        if not exe:
            continue
        out = subprocess.run(
            [exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.stdout.strip() in PYTHONS:
            return exe, out.stdout.strip()
    raise SetupError(f"no Python {', '.join(PYTHONS)} found (Odoo {SERIES} needs one of them)")


def _step(line, cmd, **kwargs):
    say(f"odoo setup: {line}")
    code = subprocess.run(cmd, check=False, **kwargs).returncode
    if code:
        raise SetupError(f"{line}: exit {code}")


def setup_local_odoo(archive):
    """Odoo of SERIES into .odoo/<series>/src with its own virtualenv venv/; stamp written last."""
    start = time.time()
    LOCAL_STAMP.unlink(missing_ok=True)
    for name in ("src", "venv", "unpack"):
        shutil.rmtree(LOCAL_ODOO / name, ignore_errors=True)
    LOCAL_ODOO.mkdir(parents=True, exist_ok=True)
    where = LOCAL_ODOO.relative_to(ROOT)
    if archive is not None:
        if not archive.is_file():
            raise SetupError(f"ODOO_SRC_ARCHIVE_{MAJOR}={archive} does not exist")
        unpack = LOCAL_ODOO / "unpack"
        unpack.mkdir()
        flag = "--zstd" if archive.name.endswith((".zst", ".zstd")) else "-z"
        if flag == "--zstd" and not shutil.which("zstd"):
            raise SetupError(f"{archive.name} needs the 'zstd' program (Debian/Ubuntu: apt-get install zstd)")
        _step(f"unpacking {archive} into {where}/src", ["tar", flag, "-xf", str(archive), "-C", str(unpack)])
        tops = [p.parent for p in unpack.glob("*/odoo-bin")] + [p.parent for p in unpack.glob("odoo-bin")]
        if not tops:
            raise SetupError(f"{archive} holds no odoo-bin at its top or one folder down")
        tops[0].rename(LOCAL_ODOO / "src")
        shutil.rmtree(unpack, ignore_errors=True)
        source = str(archive.resolve())
        identity = "sha256:" + _sha256(archive)
        archive_key = _archive_key(archive)
    else:
        if not shutil.which("git"):
            raise SetupError("git is needed to clone Odoo (or set ODOO_SRC_ARCHIVE)")
        _step(
            f"cloning Odoo {ODOO_BRANCH} from {ODOO_GIT_URL} (shallow) into {where}/src",
            ["git", "clone", "--depth", "1", "-b", ODOO_BRANCH, ODOO_GIT_URL, str(LOCAL_ODOO / "src")],
        )
        head = subprocess.run(
            ["git", "-C", str(LOCAL_ODOO / "src"), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        )
        source = f"{ODOO_GIT_URL}@{ODOO_BRANCH}"
        identity = "git:" + head.stdout.strip()
        archive_key = None
    python, version = _python_for_odoo()
    _step(f"creating the virtualenv {where}/venv (Python {version})", [python, "-m", "venv", str(LOCAL_ODOO / "venv")])
    # python-ldap needs C headers and is optional; psycopg2 is replaced by its binary wheel.
    requirements = (LOCAL_ODOO / "src" / "requirements.txt").read_text().splitlines()
    kept = [line for line in requirements if not re.match(r"(?i)^\s*(python-ldap|psycopg2)\b", line)]
    (LOCAL_ODOO / "requirements.txt").write_text("\n".join(kept) + "\n")
    # A real file: pip reads PIP_CONSTRAINT more than once (a pipe would be empty the second time).
    (LOCAL_ODOO / "constraints.txt").write_text("setuptools<81\n")
    env = {**os.environ, "PIP_CONSTRAINT": str(LOCAL_ODOO / "constraints.txt")}
    _step(
        "pip install of Odoo's requirements (less python-ldap, psycopg2), psycopg2-binary, "
        + ", ".join(ODOO_TEST_TOOLS),
        [
            str(LOCAL_ODOO / "venv" / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-r",
            str(LOCAL_ODOO / "requirements.txt"),
            "psycopg2-binary",
            *ODOO_TEST_TOOLS,
        ],
        env=env,
    )
    odoo, why = _odoo_from(LOCAL_ODOO / "src" / "odoo-bin", str(LOCAL_ODOO / "venv" / "bin" / "python"))
    if not odoo:
        raise SetupError(why)
    LOCAL_STAMP.write_text(
        json.dumps({"source": source, "identity": identity, "archive_key": archive_key, "python": version}, indent=1)
    )
    say(f"odoo setup: done in {time.time() - start:.0f}s, Odoo {ODOO_BRANCH} in {where}/ ({identity[:19]})")


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pg_env():
    return {
        "host": os.environ.get("PGHOST", "127.0.0.1"),
        "port": os.environ.get("PGPORT", "5432"),
        "user": os.environ.get("DB_USER", getpass.getuser()),
    }


def db_args():
    """PostgreSQL's address for an Odoo command, and the HTTP interface:
    127.0.0.1 (19.0 warns when none is given; it is 20.0's default)."""
    pg = pg_env()
    return [
        f"--db_host={pg['host']}",
        f"--db_port={pg['port']}",
        f"--db_user={pg['user']}",
        "--http-interface=127.0.0.1",
    ]


def psql(sql, dbname="postgres", check=True):
    pg = pg_env()
    cmd = ["psql", "-X", "-q", "-t", "-A", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], "-d", dbname]
    out = subprocess.run([*cmd, "-c", sql], capture_output=True, text=True, check=False)
    if check and out.returncode:
        raise RuntimeError(f"psql failed: {sql}\n{out.stderr}")
    return out.stdout.strip()


def postgres_problem():
    """None when PostgreSQL answers, else one line saying what is wrong and how to point at it."""
    pg = pg_env()
    where = f"{pg['user']}@{pg['host']}:{pg['port']}"
    fix = "start PostgreSQL or point at it with PGHOST, PGPORT and DB_USER (see README)"
    if not shutil.which("psql"):
        return f"PostgreSQL client 'psql' not found (Debian/Ubuntu: apt-get install postgresql-client); {fix}"
    try:
        psql("SELECT 1")
    except RuntimeError as exc:
        reason = [line for line in str(exc).splitlines()[1:] if line.strip()]
        return f"cannot connect to PostgreSQL as {where} ({reason[0].strip() if reason else 'no answer'}); {fix}"
    return None


def db_exists(name):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def drop_db(name):
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(filestore(name), ignore_errors=True)


def filestore(dbname):
    return Path.home() / ".local" / "share" / "Odoo" / "filestore" / dbname


def read_manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())


def addon_dependencies():
    """Core addons our addons depend on directly (``manifestoo list-depends``)."""
    out = subprocess.run(
        [
            tool("manifestoo"),
            "--select-addons-dir",
            str(ROOT),
            "--odoo-series",
            SERIES,
            "list-depends",
            "--separator=,",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted(name for name in out.stdout.strip().split(",") if name)


def extra_modules():
    """Odoo modules the tests and ``make run`` install beside our addons without
    the addons depending on them (tools/extra-modules.txt, one a line, ``#``
    comments): e.g. ``payment_demo``, Odoo's demo payment provider."""
    path = ROOT / "tools" / "extra-modules.txt"
    if not path.is_file():
        return []
    names = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return sorted({name for name in names if name})


def odoo_identity(odoo):
    """What the Odoo source is: the stamp's identity (archive hash or git commit)
    for an Odoo set up here, else the odoo-bin path."""
    try:
        return json.loads((Path(odoo.bin).resolve().parent.parent / "READY").read_text())["identity"]
    except (OSError, ValueError, KeyError):
        return str(odoo.bin)


def odoo_config():
    """An Odoo configuration file with PostgreSQL's address, for click-odoo."""
    pg = pg_env()
    path = TEST_LOG_DIR / "odoo.cfg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "[options]\n"
        f"db_host = {pg['host']}\ndb_port = {pg['port']}\ndb_user = {pg['user']}\n"
        "http_interface = 127.0.0.1\n"
    )
    return path


def new_database(odoo, name, modules, log):
    """A fresh database ``name`` with ``modules`` installed (no demo data), by
    click-odoo-initdb (click-odoo-contrib): it keeps a cache of template
    databases keyed on a hash of every file of the modules' dependency
    closure, safe when runs overlap, trimmed to the five newest per series;
    attachments stay in the database so a copy needs no filestore.

    :return: seconds spent (about a minute to build a template, seconds to copy one)
    """
    start = time.time()
    drop_db(name)
    cmd = [
        odoo.python,
        "-c",
        "from click_odoo_contrib.initdb import main; main()",
        "--config",
        str(odoo_config()),
        "--addons-path",
        ",".join(odoo.addons_paths),
        "--new-database",
        name,
        "--modules",
        ",".join(modules),
        "--no-demo",
        "--cache-prefix",
        f"chtmpl{MAJOR}",
        "--log-level",
        "warn",
    ]
    env = odoo_tools_env(odoo)
    with open(log, "w") as fh:
        code = subprocess.run(cmd, env=env, stdout=fh, stderr=subprocess.STDOUT, check=False).returncode
    if code:
        drop_db(name)
        raise RuntimeError(f"click-odoo-initdb failed (exit {code}), see {log}")
    return time.time() - start


def bad_log_lines(text):
    return [
        line
        for line in text.splitlines()
        if (m := LOG_LINE_RE.match(line))
        and m.group(1) not in {"INFO", "DEBUG"}
        and not any(ignore in line for ignore in LOG_IGNORE)
    ]


# ----------------------------------------------------------------------
# The test tools (.venv)
# ----------------------------------------------------------------------


def ensure_venv():
    """.venv with requirements-test.txt, (re)installed when missing or when that file changed."""
    req = ROOT / "requirements-test.txt"
    stamp = VENV / ".requirements-test.sha1"
    digest = hashlib.sha1(req.read_bytes()).hexdigest()
    if (VENV / "bin" / "python").exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return
    start = time.time()
    if not (VENV / "bin" / "python").exists():
        say("test tools: creating the virtualenv .venv")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    say("test tools: pip install -r requirements-test.txt into .venv")
    code = subprocess.run(
        [str(VENV / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-r", str(req)],
        check=False,
    ).returncode
    if code:
        raise SystemExit(f"test tools: pip install failed (exit {code})")
    stamp.write_text(digest + "\n")
    say(f"test tools: ready in {time.time() - start:.0f}s")


def tool(name):
    local = VENV / "bin" / name
    if local.exists():
        return str(local)
    return shutil.which(name)


# ----------------------------------------------------------------------
# make test
# ----------------------------------------------------------------------


class Layer:
    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0
        self.skipped = None
        self.skipped_tests = 0

    def line(self):
        if self.skipped:
            return f"{self.name}: SKIPPED ({self.skipped})"
        return f"{self.name}: {self.passed} passed, {self.failed} failed, {self.skipped_tests} skipped"

    def fail(self, why):
        say(f"  FAIL {why}")
        self.failed += 1


def run_check(layer, label, cmd, cwd=ROOT, env=None):
    """One check = one test: passes when the command exits 0."""
    if cmd[0] is None:
        layer.fail(f"{label}: tool not installed")
        return False
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    if out.returncode == 0:
        say(f"  ok   {label}")
        layer.passed += 1
        return True
    say(f"  FAIL {label}")
    say("       " + (out.stdout + out.stderr).strip()[-6000:].replace("\n", "\n       "))
    layer.failed += 1
    return False


def static_layer():
    """The hooks of .pre-commit-config.yaml (OCA's, as local hooks), one check
    a hook, on every tracked file; then the README check."""
    layer = Layer("static")
    say("== static checks (pre-commit hooks of .pre-commit-config.yaml)")
    python = tool("python") or sys.executable
    config = (ROOT / ".pre-commit-config.yaml").read_text()
    for hook in re.findall(r"^\s*- id: (\S+)", config, re.MULTILINE):
        run_check(layer, f"pre-commit {hook}", [tool("pre-commit"), "run", hook, "--all-files", "--color=never"])
    run_check(layer, "README.rst generated from readme/", [python, "tools/gen_readme.py", "--check", *ADDONS])
    return layer


def engine_layer(keyword=None):
    layer = Layer("engine")
    say("== engine tests (pytest, no Odoo)")
    pytest = tool("pytest")
    if not pytest:
        layer.fail("pytest not installed")
        return layer
    cmd = [pytest, "-q", "-p", "no:cacheprovider", "tests_engine"]
    if keyword:
        cmd += ["-k", keyword]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    say(out.stdout.strip()[-3000:])
    last = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
    passed = re.search(r"(\d+) passed", last)
    failed = re.search(r"(\d+) failed", last)
    errors = re.search(r"(\d+) errors?", last)
    layer.passed = int(passed.group(1)) if passed else 0
    layer.failed = (int(failed.group(1)) if failed else 0) + (int(errors.group(1)) if errors else 0)
    if out.returncode not in (0, 5 if keyword else 0) and not layer.failed:
        layer.failed = 1  # collection error or crash: never report green
    return layer


def no_odoo(layer, why):
    """No Odoo: a failure in CI, a one-line skip elsewhere."""
    if in_ci():
        layer.fail(why)
    else:
        layer.skipped = why
        say(f"  SKIPPED {why}")
    return layer


def odoo_ready(layer):
    """(Odoo, the Odoo modules its databases hold) for a layer that needs a
    server, or (None, None) after saying why."""
    problem = postgres_problem()
    if problem:
        layer.fail(problem)
        return None, None
    odoo, why = find_odoo()
    if not odoo:
        no_odoo(layer, why)
        return None, None
    TEST_LOG_DIR.mkdir(parents=True, exist_ok=True)
    try:
        odoo_tools_env(odoo)
    except RuntimeError as exc:
        layer.fail(str(exc))
        return None, None
    return odoo, sorted({*addon_dependencies(), *extra_modules()})


def fresh_database(layer, odoo, name, modules):
    """new_database for a layer: True when made, else a failure of the layer."""
    try:
        spent = new_database(odoo, name, modules, TEST_LOG_DIR / f"initdb-{layer.name}.log")
    except RuntimeError as exc:
        layer.fail(str(exc))
        return False
    say(f"  database {name} with {len(modules)} Odoo modules in {spent:.0f}s (click-odoo-initdb)")
    return True


CHROME_NAMES = ("google-chrome", "chromium", "chromium-browser")


def ensure_chrome():
    """Odoo's browser tests (tours, browser_js) need Chrome or Chromium. Under
    CI, as root on Debian/Ubuntu, Debian's chromium is installed when missing;
    elsewhere one line says the browser tests will be skipped and how to get
    them."""
    if any(shutil.which(name) for name in CHROME_NAMES):
        return
    if in_ci() and os.geteuid() == 0 and shutil.which("apt-get"):
        say("  installing Debian's chromium for the browser tests (CI, once per machine)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False, stdout=subprocess.DEVNULL)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
        )
        return
    say("  no Chrome/Chromium on the PATH: Odoo's browser tests will be skipped (apt-get install chromium)")


def odoo_tools_env(odoo):
    """Environment for the tools that run in Odoo's interpreter (pytest-odoo,
    click-odoo-contrib); installs them when missing.

    Into .odoo/venv for our own Odoo; for an Odoo of the machine, into
    .odoo/test-tools/<interpreter> (PYTHONPATH) so that its virtualenv is left alone.
    """
    # Odoo's source folder: pytest-odoo imports odoo when pytest loads it.
    paths = [str(ROOT / "tools"), str(Path(odoo.bin).resolve().parent)]
    if not odoo.local:
        target = LOCAL_ODOO / "test-tools" / hashlib.sha1(odoo.python.encode()).hexdigest()[:10]
        paths.append(str(target))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}

    def missing():
        probe = (
            "import importlib.util, sys; print(' '.join(m for m in sys.argv[1:] if not importlib.util.find_spec(m)))"
        )
        out = subprocess.run(
            [odoo.python, "-c", probe, *ODOO_TEST_MODULES], env=env, capture_output=True, text=True, check=False
        )
        return out.stdout.split() if out.returncode == 0 else list(ODOO_TEST_MODULES)

    tools = [ODOO_TEST_MODULES[module] for module in missing()]
    if not tools:
        return env
    say(f"  installing {', '.join(tools)} for {odoo.python}")
    cmd = [odoo.python, "-m", "pip", "install", "--disable-pip-version-check", *tools]
    if not odoo.local:
        cmd += ["--target", paths[-1]]
    subprocess.run(cmd, check=False)
    if missing():
        raise RuntimeError(f"{', '.join(tools)} could not be installed for {odoo.python}")
    return env


def odoo_layer(keep_db=False, keyword=None):
    layer = Layer("odoo")
    say(f"== odoo tests (pytest-odoo on a real Odoo {SERIES}, fresh database)")
    odoo, modules = odoo_ready(layer)
    if not odoo:
        return layer
    say(f"  odoo: {odoo.bin} (python {odoo.python})")
    ensure_chrome()
    env = odoo_tools_env(odoo)
    dbname = f"credit_hold_test_{MAJOR}_{os.getpid()}"
    if not fresh_database(layer, odoo, dbname, modules):
        return layer
    install_log = TEST_LOG_DIR / "odoo-install.log"
    log = TEST_LOG_DIR / "odoo-test.log"
    junit = TEST_LOG_DIR / "odoo-junit.xml"
    for stale in (log, junit):
        stale.unlink(missing_ok=True)
    start = time.time()
    try:
        # 1. The addons installed first, as a user would (no test runs during the install).
        with open(install_log, "w") as fh:
            code = subprocess.run(
                odoo.command(
                    f"--addons-path={odoo.test_addons_path}",
                    *db_args(),
                    "-d",
                    dbname,
                    "-i",
                    ",".join([*ADDONS, *TEST_ADDONS]),
                    *without_demo(),
                    "--stop-after-init",
                    "--log-level=info",
                    "--http-port=0",
                    "--max-cron-threads=0",
                ),
                stdout=fh,
                stderr=subprocess.STDOUT,
                check=False,
            ).returncode
        bad = bad_log_lines(install_log.read_text(errors="replace"))
        if code or bad:
            for line in bad[:40]:
                say("  | " + line[:300])
            layer.fail(
                f"installing {', '.join(ADDONS)} failed (exit {code}, {len(bad)} WARNING/ERROR lines): {install_log}"
            )
            return layer
        say(f"  {', '.join(ADDONS)} installed in {time.time() - start:.0f}s")
        # 2. Their tests, through pytest-odoo (Odoo in-process; pytest_odoo_logcheck
        #    turns any WARNING/ERROR logged during a test into a failure of that test).
        pg = pg_env()
        cmd = [
            odoo.python,
            "-m",
            "pytest",
            "-c",
            str(ROOT / "tools" / "pytest-odoo.ini"),
            "--rootdir",
            str(ROOT),
            "-p",
            "pytest_odoo_logcheck",
            "--odoo-database",
            dbname,
            "--odoo-addons-path",
            odoo.test_addons_path,
            "--odoo-log-level",
            "info",
            # an HTTP server in the test process for HttpCase (portal pages, browser tours)
            "--odoo-http",
            "--odoo-extra",
            f"db_host={pg['host']}",
            "--odoo-extra",
            f"db_port={pg['port']}",
            "--odoo-extra",
            f"db_user={pg['user']}",
            "--odoo-extra",
            "http-interface=127.0.0.1",
            "--odoo-extra",
            f"logfile={log}",
            # one port per series: the two series' layers may run at once
            "--odoo-extra",
            f"http-port={os.environ.get('TEST_HTTP_PORT', 8269 + int(MAJOR))}",
            f"--junitxml={junit}",
            *(["-k", keyword] if keyword else []),
            *[f"{addon}/tests" for addon in ADDONS if (ROOT / addon / "tests").is_dir()],
            *[f"tests_addons/{addon}/tests" for addon in TEST_ADDONS if (TEST_ADDONS_DIR / addon / "tests").is_dir()],
        ]
        code = subprocess.run(cmd, cwd=ROOT, env=env, check=False).returncode
    finally:
        if not keep_db:
            drop_db(dbname)
    text = log.read_text(errors="replace") if log.exists() else ""
    bad = bad_log_lines(text)
    for line in bad[:40]:
        say("  | " + line[:300])
    if not junit.exists():
        layer.fail(f"pytest wrote no report (exit {code}); see {log}")
        return layer
    # each test method once (a method with subtests is one test; it fails
    # when any of its subtests fails), from the report's test cases
    outcome = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        key = (case.get("classname"), case.get("name"))
        tags = {child.tag for child in case}
        state = "failed" if tags & {"failure", "error"} else "skipped" if "skipped" in tags else "passed"
        if outcome.get(key) != "failed":
            outcome[key] = state if outcome.get(key) in (None, "passed") else outcome[key]
    count = {
        "tests": len(outcome),
        "failed": sum(state == "failed" for state in outcome.values()),
        "skipped": sum(state == "skipped" for state in outcome.values()),
    }
    layer.failed = count["failed"]
    layer.passed = count["tests"] - layer.failed - count["skipped"]
    layer.skipped_tests = count["skipped"]
    if count["skipped"] and in_ci():
        # CI runs every test: a skip (no Chrome, say) hides a test that never ran
        layer.fail(f"{count['skipped']} Odoo test(s) skipped: under CI nothing is skipped (see {junit.name})")
    say(
        f"  {count['tests']} Odoo tests in {time.time() - start:.0f}s, {count['skipped']} skipped "
        f"(log: {log.relative_to(ROOT)}, report: {junit.relative_to(ROOT)})"
    )
    if bad and not layer.failed:
        # OCA CI fails on warnings in the log; so do we.
        layer.fail(f"{len(bad)} WARNING/ERROR line(s) in the Odoo log")
    if code not in (0, 5 if keyword else 0) and not layer.failed:
        layer.fail(f"pytest exited with {code}")
    if not count["tests"] and not keyword:
        layer.fail("no Odoo test ran")
    return layer


def runner_test_tags():
    """``--test-tags`` for every test of our addons: ``/<addon>`` each, but
    the spy addon by its own tag, ``credit_hold_spy``: Odoo 19.0 reads
    ``/credit_hold_test_spy`` as a file path (its pattern ``/[\\w/.-]+.py``
    has an unescaped dot, so "…_s" + "py" matches) and would run none of
    its tests."""
    return ",".join([*(f"/{addon}" for addon in ADDONS), "credit_hold_spy"])


def runner_layer():
    """The same Odoo tests under Odoo's own runner (``--test-enable``, what
    OCA's CI uses): on a database where the addons were installed before,
    ``-u`` of the addons loads the registry in its normal order and runs
    their post_install tests, tours included. Only the modules imported in
    ``tests/__init__.py`` run here (the static layer checks they all are)."""
    layer = Layer("runner")
    say(f"== odoo tests under Odoo {SERIES}'s own runner (--test-enable)")
    odoo, modules = odoo_ready(layer)
    if not odoo:
        return layer
    ensure_chrome()
    addons = [*ADDONS, *TEST_ADDONS]
    dbname = f"credit_hold_runner_{MAJOR}_{os.getpid()}"
    if not fresh_database(layer, odoo, dbname, modules):
        return layer
    log = TEST_LOG_DIR / "odoo-runner.log"
    start = time.time()
    base = [f"--addons-path={odoo.test_addons_path}", *db_args(), "-d", dbname, "--max-cron-threads=0"]
    try:
        install = subprocess.run(
            odoo.command(*base, "-i", ",".join(addons), *without_demo(), "--stop-after-init", "--http-port=0"),
            capture_output=True,
            text=True,
            check=False,
        )
        if install.returncode:
            layer.fail(f"installing {', '.join(addons)} failed (exit {install.returncode})")
            return layer
        with open(log, "w") as fh:
            subprocess.run(
                odoo.command(
                    *base,
                    "-u",
                    ",".join(addons),
                    "--test-enable",
                    "--test-tags",
                    runner_test_tags(),
                    "--stop-after-init",
                    f"--http-port={os.environ.get('RUNNER_HTTP_PORT', 8169 + int(MAJOR))}",
                    "--log-level=test",
                ),
                stdout=fh,
                stderr=subprocess.STDOUT,
                check=False,
            )
    finally:
        drop_db(dbname)
    text = log.read_text(errors="replace")
    found = re.findall(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests", text)
    if not found:
        layer.fail(f"Odoo's runner printed no test summary: {log.relative_to(ROOT)}")
        return layer
    failed = sum(int(row[0]) + int(row[1]) for row in found)
    total = sum(int(row[2]) for row in found)
    layer.failed, layer.passed = failed, total - failed
    for line in re.findall(r"^.* (?:ERROR|FAIL): .*$", text, re.MULTILINE)[:20]:
        say("  | " + line[:300])
    say(f"  {total} tests under Odoo's runner in {time.time() - start:.0f}s (log: {log.relative_to(ROOT)})")
    if not total:
        layer.fail("no test ran under Odoo's runner")
    return layer


def read_manifest_at(path):
    return ast.literal_eval((Path(path) / "__manifest__.py").read_text())


def stamp_series(addon, into):
    """A copy of ``addon`` whose manifest version carries SERIES (``3.1.0`` →
    ``19.0.3.1.0``), for whool: a wheel belongs to one series (its name is
    ``odoo-addon-<addon>``, its version ``<series>.x.y.z``, and it requires
    ``odoo==<series>.*``), while the tree's manifests say ``x.y.z`` and Odoo adds
    the series it runs. Only the version line changes."""
    target = into / addon
    shutil.copytree(ROOT / addon, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    manifest = target / "__manifest__.py"
    version = read_manifest_at(target)["version"]
    text, count = re.subn(
        r'(["\']version["\']\s*:\s*["\'])' + re.escape(version) + r'(["\'])',
        lambda m: f"{m.group(1)}{SERIES}.{version}{m.group(2)}",
        manifest.read_text(),
    )
    if count != 1:
        raise RuntimeError(f"{manifest}: the version line was not found once")
    manifest.write_text(text)
    return target


def wheel_layer():
    """Each addon as a wheel (whool), installed into a throwaway virtualenv on top of
    Odoo's, then installed into a fresh database with an addons path that does not
    hold the repository: Odoo must find it in the odoo/addons namespace."""
    layer = Layer("wheel")
    say("== wheels (whool), installed and found by Odoo without the repository on the addons path")
    odoo, modules = odoo_ready(layer)
    if not odoo:
        return layer
    wheels = TEST_LOG_DIR / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    wheels.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="credit_hold_stamped_") as stamped:
        for addon in ADDONS:
            source = stamp_series(addon, Path(stamped))
            run_check(
                layer,
                f"pip wheel ./{addon} for {SERIES} (version {read_manifest_at(source)['version']})",
                [
                    tool("python"),
                    "-m",
                    "pip",
                    "wheel",
                    "-q",
                    "--no-build-isolation",
                    "--no-deps",
                    "-w",
                    str(wheels),
                    str(source),
                ],
            )
    built = sorted(wheels.glob("*.whl"))
    if layer.failed:
        return layer
    with tempfile.TemporaryDirectory(prefix="credit_hold_wheel_") as tmp:
        venv = Path(tmp) / "venv"
        python = str(venv / "bin" / "python")
        # A virtualenv made from a virtualenv sees the base interpreter's packages, not
        # Odoo's: a .pth file hands it Odoo's site-packages instead.
        site = subprocess.run(
            [odoo.python, "-c", "import site; print('\\n'.join(site.getsitepackages()))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        subprocess.run([odoo.python, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)], check=True)
        purelib = subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        Path(purelib, "odoo_environment.pth").write_text(site)
        if not run_check(
            layer,
            f"pip install {' '.join(w.name for w in built)} into a throwaway virtualenv",
            [
                tool("python"),
                "-m",
                "pip",
                "--python",
                python,
                "install",
                "-q",
                "--no-deps",
                "--no-index",
                *map(str, built),
            ],
        ):
            return layer
        where = subprocess.run(
            [
                python,
                "-c",
                "import sys, importlib.util; sys.path.insert(0, sys.argv[1]); "
                "print('\\n'.join(importlib.util.find_spec('odoo.addons.' + a).origin for a in sys.argv[2:]))",
                str(Path(odoo.bin).resolve().parent),
                *ADDONS,
            ],
            capture_output=True,
            text=True,
            cwd=tmp,
            check=False,
        )
        outside = [line for line in where.stdout.splitlines() if not line.startswith(str(venv))]
        if where.returncode or outside or not where.stdout.strip():
            layer.fail(
                f"odoo.addons.* not found in the wheel's virtualenv: {where.stdout.strip()} {where.stderr[-500:]}"
            )
            return layer
        say(f"  ok   odoo.addons.{{{','.join(ADDONS)}}} found in the throwaway virtualenv")
        layer.passed += 1
        dbname = f"credit_hold_wheel_{MAJOR}_{os.getpid()}"
        if not fresh_database(layer, odoo, dbname, modules):
            return layer
        log = TEST_LOG_DIR / "wheel-install.log"
        start = time.time()
        try:
            with open(log, "w") as fh:
                code = subprocess.run(
                    [
                        python,
                        str(Path(odoo.bin).resolve()),
                        f"--addons-path={','.join(odoo.addons_paths)}",
                        *db_args(),
                        "-d",
                        dbname,
                        "-i",
                        ",".join(ADDONS),
                        *without_demo(),
                        "--stop-after-init",
                        "--log-level=warn",
                        "--http-port=0",
                        "--max-cron-threads=0",
                    ],
                    stdout=fh,
                    stderr=subprocess.STDOUT,
                    cwd=tmp,
                    check=False,
                ).returncode
            names = ",".join(f"'{a}'" for a in ADDONS)
            installed = psql(
                f"SELECT count(*) FROM ir_module_module WHERE name IN ({names}) AND state = 'installed'", dbname
            )
        finally:
            drop_db(dbname)
        bad = bad_log_lines(log.read_text(errors="replace"))
        for line in bad[:20]:
            say("  | " + line[:300])
        if code or bad or installed != str(len(ADDONS)):
            layer.fail(f"-i {','.join(ADDONS)} from the wheels: exit {code}, {len(bad)} WARNING/ERROR lines, see {log}")
        else:
            say(f"  ok   -i {','.join(ADDONS)} from the wheels into a fresh database ({time.time() - start:.0f}s)")
            layer.passed += 1
    return layer


def cmd_test(args):
    start = time.time()
    ensure_venv()
    layers = []
    if "static" in args.layers:
        layers.append(static_layer())
    if "engine" in args.layers:
        layers.append(engine_layer(args.k))
    if "odoo" in args.layers:
        layers.append(odoo_layer(keep_db=args.keep_db, keyword=args.k))
    if "wheel" in args.layers and not args.k:
        layers.append(wheel_layer())
    if "runner" in args.layers and not args.k:
        layers.append(runner_layer())
    say(f"\n== summary, Odoo {SERIES} ({time.time() - start:.0f}s)")
    for layer in layers:
        say(layer.line())
    passed = sum(layer.passed for layer in layers)
    failed = sum(layer.failed for layer in layers)
    skipped = sum(layer.skipped_tests for layer in layers)
    say(f"total: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


# ----------------------------------------------------------------------
# make run
# ----------------------------------------------------------------------


def cmd_run(args):
    problem = postgres_problem()
    if problem:
        say(f"make run: {problem}")
        return 2
    odoo, why = find_odoo()
    if not odoo:
        say(f"make run: {why}")
        return 2
    dbname = args.db
    base = [f"--addons-path={odoo.addons_path}", *db_args(), "-d", dbname]
    if not db_exists(dbname):
        say(f"Creating database {dbname} with {', '.join(ADDONS)} and their demo data ...")
        # 19.0 loads demo data only when asked
        setup = ["-i", ",".join([*ADDONS, *extra_modules()]), *([] if SERIES == "18.0" else ["--with-demo"])]
        setup.append("--stop-after-init")
    else:
        say(f"Updating {', '.join(ADDONS)} in database {dbname} ...")
        setup = ["-u", ",".join(ADDONS), "--stop-after-init"]
    if not os.environ.get("RUN_SKIP_SETUP"):
        code = subprocess.run(odoo.command(*base, *setup, "--log-level=warn"), check=False).returncode
        if code:
            return code
    if args.setup_only:
        return 0
    say(f"Odoo on http://127.0.0.1:{args.port}  (database {dbname}, login admin / admin)")
    serve = odoo.command(*base, f"--http-port={args.port}", *args.extra)
    os.execv(serve[0], serve)
    return 0


def cmd_info(args):
    odoo, why = find_odoo(get=args.setup)
    if not odoo:
        say(why)
        return 1
    say(f"odoo-bin: {odoo.bin}\npython:   {odoo.python}\naddons:   {odoo.addons_path}\nidentity: {odoo_identity(odoo)}")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    test = sub.add_parser("test", help="run the test layers")
    test.add_argument("--layers", default="static,engine,odoo,wheel")
    test.add_argument("-k", help="pytest -k expression for the engine and Odoo tests (skips the wheel layer)")
    test.add_argument("--keep-db", action="store_true", help="keep the Odoo test database")
    run = sub.add_parser("run", help="start Odoo with the addons and demo data")
    run.add_argument(
        "--db", default=os.environ.get("RUN_DB", "credit_hold_demo" + ("" if SERIES == "18.0" else f"_{MAJOR}"))
    )
    run.add_argument("--port", default=os.environ.get("RUN_PORT", "8069"))
    run.add_argument("--setup-only", action="store_true")
    run.add_argument("extra", nargs="*")
    sub.add_parser("venv", help="install the test tools into .venv")
    sub.add_parser("browser", help="Chrome/Chromium for the browser tests (installed under CI as root)")
    info = sub.add_parser("odoo-info", help="show which Odoo is used")
    info.add_argument("--setup", action="store_true", help="set up .odoo/ when no Odoo is found")
    args = parser.parse_args()
    if args.command == "test":
        args.layers = set(args.layers.split(","))
        return cmd_test(args)
    if args.command == "run":
        return cmd_run(args)
    if args.command == "venv":
        ensure_venv()
        return 0
    if args.command == "browser":
        ensure_chrome()
        return 0
    return cmd_info(args)


if __name__ == "__main__":
    sys.exit(main())
