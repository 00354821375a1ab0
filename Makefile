# credit_hold developer commands: `make run` and `make test` need nothing but
# PostgreSQL. ODOO_SERIES=18.0 (default) or 19.0 picks the Odoo series: the same
# tree serves both. The test tools go into .venv; Odoo is looked for in ODOO_BIN /
# ODOO_PYTHON, ODOO_HOME (default /opt/odoo18 or /opt/odoo19), an 'odoo' command
# on the PATH, and else set up in .odoo/<series>/ (from ODOO_SRC_ARCHIVE_18 /
# ODOO_SRC_ARCHIVE_19 or a shallow clone of that branch): see README.
ODOO_SERIES ?= 18.0
export ODOO_SERIES
PYTHON ?= python3
VENV ?= .venv
# make test LAYERS=odoo K=test_release: only the Odoo tests matching K (pytest -k)
LAYERS ?= static,engine,odoo,wheel
K ?=

.PHONY: test test-upgrade run venv lint readme odoo-info clean-db bench loadtest screenshots compare-odoo-suites fuzz test-runner

## make test: static checks, engine tests, Odoo tests (pytest-odoo), wheels
test:
	@$(PYTHON) tools/devtool.py test --layers $(LAYERS) $(if $(K),-k "$(K)")

## make test-upgrade [KEEP_DB=1]: an 18.0.1.0.0 database upgrades with -u credit_hold keeping every hold
test-upgrade:
	@$(PYTHON) tools/upgrade_check.py $(if $(KEEP_DB),--keep-db)

## make run: Odoo on http://127.0.0.1:8069 with credit_hold and demo data
run:
	@$(PYTHON) tools/devtool.py run

## make venv: the test tools (ruff, pylint-odoo, pytest, whool, ...) in .venv (make test does it when needed)
venv:
	@$(PYTHON) tools/devtool.py venv

lint:
	@$(PYTHON) tools/devtool.py test --layers static

## make readme: each addon's README.rst and static/description/index.html from its readme/*.md fragments
readme:
	@$(PYTHON) tools/devtool.py venv
	@.venv/bin/python tools/gen_readme.py

odoo-info:
	@$(PYTHON) tools/devtool.py odoo-info

## make bench [SIZE=large] [DB=name]: credit_hold vs the SQL floor, Odoo's and OCA's credit figures (see bench/README.md)
SIZE ?= small
bench:
	@$(PYTHON) bench/bench.py --size $(SIZE) $(if $(DB),--db $(DB))

## make loadtest [LOADTEST_ARGS="--orders 300 --clients 16 --workers 4 --reuse-db"]: order confirmation
## over XML-RPC under concurrency, credit hold on vs off (see bench/LOADTEST.md)
LOADTEST_ARGS ?=
loadtest:
	@$(PYTHON) bench/loadtest.py $(LOADTEST_ARGS)

## make screenshots: refresh the addons' static/description/*.png from the running demo (needs Debian's chromium + chromium-driver)
screenshots:
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	@$(VENV)/bin/python tools/screenshots.py

## make fuzz [FUZZ_EXAMPLES=200 FUZZ_STEPS=40]: the generated security review, longer than in make test
FUZZ_EXAMPLES ?= 200
FUZZ_STEPS ?= 40
fuzz:
	@CREDIT_HOLD_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) CREDIT_HOLD_FUZZ_STEPS=$(FUZZ_STEPS) \
		$(PYTHON) tools/devtool.py test --layers odoo -k TestSecurityFuzz

## make test-runner: the Odoo tests under Odoo's own runner (--test-enable, as OCA's CI), CI runs it
test-runner:
	@$(PYTHON) tools/devtool.py test --layers runner

## make compare-odoo-suites: Odoo's own tests of sale_management, sale_loyalty, event_sale and sale_stock,
## without our addons and with them installed and credit hold on (the same result expected)
compare-odoo-suites:
	@$(PYTHON) tools/odoo_suites.py
