"""Benchmark of credit_hold against the floor, Odoo's own credit figures and OCA.

``make bench`` (SIZE=small, the default) or ``make bench SIZE=large`` runs it
(``bench/bench.py`` or ``python -m credit_bench`` from ``bench/``).
It builds a fresh database ``credit_hold_bench_<size>`` (cloned from the test
runner's template when it exists), installs ``credit_hold`` and OCA's
``account_financial_risk`` without demo data, enables the company's credit
hold (over limit and overdue, 5 grace days) and generates the data set
(``datasets.py``) with bulk SQL. Then it measures, in this one process, with
the Odoo ORM:

(a) the scheduled full evaluation, ``_cron_evaluate_credit_hold(batch_size=5000)``
    called and committed until it returns 0 (``None`` counts as 0);
(b) the same again right after: nothing changed, so nothing is written; and
    once more as a fr_FR user (French installed first);
(c) the check at order confirmation, ``_credit_hold_stop_held()``, on 200
    quotations of the customer with 1 invoice and 200 of the customer with
    1,000 invoices (each call rolled back);
(d) the floor: one bare SQL aggregate of the open receivables per customer;
(e) the peers on the same customers: Odoo's ``credit`` / ``credit_to_invoice``
    and OCA's ``risk_total`` / ``risk_exception`` read, and OCA's risk
    exception search;
(f) the pass after the receivables of 1 % of the customers changed (right
    after (b); the change is put back after it).

Layout (bench/credit_bench/):

  common.py       paths, sizes, memory, timed ORM read, the Measure protocol
  datasets.py     the data set (and the 1 % change)
  database.py     the bench database and its modules
  profiling.py    wrapped methods, inclusive times and the profile split
  contenders/     one file per contender, found at run time:
                  ours.py, floor.py, native.py, oca.py
  confirmation.py (c) the check at order confirmation
  report.py       targets, table, JSON and bench/RESULTS.md
  runner.py       arguments, the run

Results: a table on stdout, ``bench/results/<size>-<timestamp>.json``,
``bench/results/latest-<size>.json`` and the table in ``bench/RESULTS.md``.
See bench/README.md.
"""
