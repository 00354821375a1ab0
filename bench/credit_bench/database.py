"""The bench database: fresh, cloned from the test runner's template when there is one,
with credit_hold and the peers' modules installed without demo data."""

import subprocess
from pathlib import Path

from .common import LOG_DIR, ROOT, log


def from_template(devtool, odoo, dbname):
    """A fresh ``dbname`` with the addons' Odoo dependencies installed, from
    click-odoo-initdb's cache of template databases (as ``make test``).

    :return: True (the dependencies are there)
    """
    spent = devtool.new_database(odoo, dbname, devtool.addon_dependencies(), LOG_DIR / f"initdb-{dbname}.log")
    log(f"created {dbname} with the addons' dependencies in {spent:.0f}s (click-odoo-initdb)")
    return True


def install(devtool, odoo, dbname, modules, addons_path, logfile):
    cmd = odoo.command(
        f"--addons-path={addons_path}",
        *devtool.db_args(),
        "-d",
        dbname,
        "-i",
        ",".join(modules),
        *devtool.without_demo(),
        "--stop-after-init",
        "--max-cron-threads=0",
        "--log-level=warn",
    )
    with open(logfile, "w") as fh:
        code = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, check=False).returncode
    return code


def tail(path, lines=12):
    text = Path(path).read_text(errors="replace").strip().splitlines()
    return "\n".join(text[-lines:])


def addons_path(odoo, measures):
    """Odoo's addons path plus the folders of the peers' modules."""
    extra = [str(m.addons_dir) for m in measures if m.modules and m.addons_dir]
    return ",".join([odoo.addons_path, *dict.fromkeys(extra)])


def create_database(devtool, odoo, dbname, measures):
    """Fresh database with credit_hold and the measures' modules installed.

    A measure whose modules fail to install is told so (``installed(ctx, False, why)``
    by the caller, from the returned reasons) and the rest is measured without them.

    :return: (addons path, {measure: why not installed})
    """
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    from_template(devtool, odoo, dbname)
    logfile = LOG_DIR / f"{dbname}-install.log"
    extra = [m for m in measures if m.modules]
    if extra:
        modules = [name for m in extra for name in m.modules]
        path = addons_path(odoo, extra)
        log(f"installing credit_hold and {', '.join(modules)} (log: {logfile.relative_to(ROOT)})")
        if install(devtool, odoo, dbname, ["credit_hold", *modules], path, logfile) == 0:
            return path, {}
        why = f"installing {', '.join(modules)} failed:\n{tail(logfile)}"
        log(why)
        from_template(devtool, odoo, dbname)
        failed = {m: why for m in extra}
    else:
        failed = {}
    log("installing credit_hold")
    if install(devtool, odoo, dbname, ["credit_hold"], odoo.addons_path, logfile):
        raise RuntimeError(f"installing credit_hold failed, see {logfile}:\n{tail(logfile)}")
    return odoo.addons_path, failed


def open_registry(devtool, dbname, addons_path):
    import odoo
    from odoo.tools import config

    config.parse_config([f"--addons-path={addons_path}", *devtool.db_args(), "-d", dbname, "--log-level=warn"])
    return odoo.modules.registry.Registry(dbname)
