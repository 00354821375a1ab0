"""pytest plugin of the Odoo test layer: a WARNING or ERROR logged by Odoo fails.

pytest-odoo runs Odoo in the pytest process, so Odoo's log records pass
through Python's logging here: every record of level WARNING or more that
reaches the root logger during a test makes that test fail (OCA's CI fails
on such lines too: missing access rules, deprecations). Records muted by the
test itself (``mute_logger``, ``assertLogs``) never reach the root logger.
Records logged outside any test fail the session.

It also has Odoo's test framework imported in test mode, as Odoo's own test
runner does: pytest-odoo imports it right after reading Odoo's configuration,
which Odoo 18 logs as an ERROR ("Importing test framework ... when not running
in test mode"). Setting ``test_enable`` for good instead would make Odoo run
the at_install tests of every installed module when the registry loads.
"""

import logging

import pytest

from odoo.tools import config as odoo_config

_parse_config = odoo_config.parse_config


def _parse_config_then_import_tests(*args, **kwargs):
    result = _parse_config(*args, **kwargs)
    test_enable = odoo_config["test_enable"]
    odoo_config["test_enable"] = True
    try:
        import odoo.tests  # noqa: F401 - the point: imported in test mode
    finally:
        odoo_config["test_enable"] = test_enable
    return result


odoo_config.parse_config = _parse_config_then_import_tests

# Known-harmless lines of Odoo itself (not of our addons).
IGNORE = ("Running as user 'root' is a security risk",)


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []
        self.seen = 0

    def emit(self, record):
        message = record.getMessage()
        if not any(text in message for text in IGNORE):
            self.records.append(f"{record.levelname} {record.name}: {message}")

    def take(self):
        new = self.records[self.seen :]
        self.seen = len(self.records)
        return new


_collector = _Collector()


def pytest_configure(config):
    logging.getLogger().addHandler(_collector)


def pytest_unconfigure(config):
    logging.getLogger().removeHandler(_collector)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    new = _collector.take()
    if not new:
        return
    text = "\n".join(line[:2000] for line in new)
    if report.passed:
        report.outcome = "failed"
        report.longrepr = f"Odoo logged {len(new)} WARNING/ERROR record(s) during {report.when}:\n{text}"
    else:
        report.sections.append((f"Odoo WARNING/ERROR records ({report.when})", text))


def pytest_sessionfinish(session, exitstatus):
    stray = _collector.take()
    if stray:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter:
            reporter.write_line(f"Odoo logged {len(stray)} WARNING/ERROR record(s) outside any test:", red=True)
            for line in stray:
                reporter.write_line("  " + line[:2000])
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
