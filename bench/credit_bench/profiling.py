"""Where the time of a pass goes, without knowing the addon's internal names.

:class:`Parts` wraps, in place, methods and functions found at run time
(every ``_credit_hold_*`` method of res.partner, whatever it is called today),
keeps their inclusive time, calls and queries, and also derives a *split*:

- the exclusive time of each wrapped call (its time minus that of the wrapped
  calls inside it);
- the time of each SQL statement, classified by what it touches
  (:func:`classify_sql`): a ``mail_*`` table is the *record of changes*,
  an INSERT / UPDATE of ``res_partner`` is a *write*, anything else reads or
  gathers *figures*;
- the Python time of a call (exclusive time minus its own statements) goes to
  the kind of statement it spent most on, or, when it ran no SQL at all, to
  its default kind (*decide*: pure rules and bookkeeping in Python).
"""

import contextlib
import functools
import re
import sys
import time
from collections import defaultdict

FIGURES, DECIDE, WRITE, RECORD, OTHER = "figures", "decide", "write", "record of changes", "other"
SPLIT_LABELS = {
    FIGURES: "figures (SQL that reads and aggregates, the queue)",
    DECIDE: "decide (Python without SQL: the rules, the reasons)",
    WRITE: "write (res_partner updates, their Python)",
    RECORD: "record of changes (chatter, tracking: mail_* tables)",
    OTHER: "other (outside the wrapped calls)",
}

_MAIL = re.compile(rb"\bmail_[a-z_]+", re.IGNORECASE)
_PARTNER_WRITE = re.compile(rb"\b(?:INSERT\s+INTO|UPDATE)\s+\"?res_partner\"?(?![a-z_])", re.IGNORECASE)


def classify_sql(query):
    """The kind of a statement: :data:`RECORD`, :data:`WRITE` or :data:`FIGURES`."""
    query = getattr(query, "code", query)
    if isinstance(query, str):
        query = query.encode(errors="replace")
    if _MAIL.search(query):
        return RECORD
    if _PARTNER_WRITE.search(query):
        return WRITE
    return FIGURES


class Parts:
    """Inclusive time and queries spent in named methods (wrapped in place), and the split."""

    def __init__(self):
        self.stats = defaultdict(lambda: {"seconds": 0.0, "calls": 0, "queries": 0})
        self.split_stats = defaultdict(lambda: {"seconds": 0.0, "queries": 0})
        self._stack = []
        self._restore = []

    # -- frames ---------------------------------------------------------

    def _enter(self, default):
        frame = {"default": default, "child": 0.0, "sql": defaultdict(float)}
        self._stack.append(frame)
        return frame

    def _leave(self, frame, seconds):
        self._stack.pop()
        if self._stack:
            self._stack[-1]["child"] += seconds
        own_sql = frame["sql"]
        python = max(0.0, seconds - frame["child"] - sum(own_sql.values()))
        kind = max(own_sql, key=own_sql.get) if own_sql else frame["default"]
        self.split_stats[kind]["seconds"] += python
        for sql_kind, sql_seconds in own_sql.items():
            self.split_stats[sql_kind]["seconds"] += sql_seconds

    @contextlib.contextmanager
    def frame(self, label, default=DECIDE, cr=None):
        """Time a block as if it were a wrapped call (e.g. the commits)."""
        stats = self.stats[label]
        frame = self._enter(default)
        queries, start = (cr.sql_log_count if cr else 0), time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - start
            stats["seconds"] += seconds
            stats["calls"] += 1
            stats["queries"] += (cr.sql_log_count - queries) if cr else 0
            self._leave(frame, seconds)

    # -- wrapping -------------------------------------------------------

    def wrap_method(self, model, name, label, default=DECIDE):
        cls = type(model)
        if not hasattr(cls, name):
            return
        original = getattr(cls, name)
        had_own = name in cls.__dict__
        stats = self.stats[label]
        parts = self

        @functools.wraps(original)
        def wrapper(records, *args, **kwargs):
            cr = records.env.cr
            frame = parts._enter(default)
            queries, start = cr.sql_log_count, time.perf_counter()
            try:
                return original(records, *args, **kwargs)
            finally:
                seconds = time.perf_counter() - start
                stats["seconds"] += seconds
                stats["calls"] += 1
                stats["queries"] += cr.sql_log_count - queries
                parts._leave(frame, seconds)

        setattr(cls, name, wrapper)
        self._restore.append((cls, name, original if had_own else None))

    def wrap_function(self, module, name, label, default=DECIDE):
        original = getattr(module, name, None)
        if original is None:
            return
        stats = self.stats[label]
        parts = self

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            frame = parts._enter(default)
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                seconds = time.perf_counter() - start
                stats["seconds"] += seconds
                stats["calls"] += 1
                parts._leave(frame, seconds)

        setattr(module, name, wrapper)
        self._restore.append((module, name, original))

    def wrap_sql(self, cursor_class):
        """Time every statement of ``cursor_class`` and give it to the innermost wrapped call."""
        original = cursor_class.execute
        parts = self

        @functools.wraps(original)
        def execute(cr, query, params=None, log_exceptions=True):
            start = time.perf_counter()
            try:
                return original(cr, query, params, log_exceptions)
            finally:
                seconds = time.perf_counter() - start
                kind = classify_sql(query)
                parts.split_stats[kind]["queries"] += 1
                if parts._stack:
                    parts._stack[-1]["sql"][kind] += seconds
                else:
                    parts.split_stats[kind]["seconds"] += seconds

        cursor_class.execute = execute
        self._restore.append((cursor_class, "execute", original))

    def wrap_partner(self, env):
        """Every ``_credit_hold_*`` method of res.partner (whatever the addon calls them today),
        the scheduled job, its ``write``, the pure ``decide()`` wherever the addon imported it,
        and the SQL statements of Odoo's cursor."""
        partner = env["res.partner"]
        names = sorted(
            name for name in dir(type(partner)) if name.startswith(("_credit_hold_", "_cron_evaluate_credit"))
        )
        for name in names:
            if callable(getattr(type(partner), name, None)):
                self.wrap_method(partner, name, f"res.partner.{name}()")
        self.wrap_method(partner, "write", "res.partner.write()", default=WRITE)
        decision = sys.modules.get("odoo.addons.credit_hold.decision")
        decide = getattr(decision, "decide", None)
        if decide is not None:
            for module_name, module in list(sys.modules.items()):
                if module_name.startswith("odoo.addons.credit_hold.") and getattr(module, "decide", None) is decide:
                    self.wrap_function(module, "decide", "decide() (pure rules)")
        self.wrap_sql(type(env.cr))

    # -- results --------------------------------------------------------

    def reset(self):
        for stats in self.stats.values():
            stats.update(seconds=0.0, calls=0, queries=0)
        self.split_stats.clear()
        self._stack.clear()

    def snapshot(self):
        """The parts that ran, the longest first."""
        ran = sorted((item for item in self.stats.items() if item[1]["calls"]), key=lambda item: -item[1]["seconds"])
        return {
            label: {"seconds": round(s["seconds"], 3), "calls": s["calls"], "queries": s["queries"]} for label, s in ran
        }

    def split(self, total_seconds):
        """The exclusive time of the pass by kind (:data:`SPLIT_LABELS`), summing to ``total_seconds``."""
        kinds = {kind: dict(self.split_stats.get(kind, {"seconds": 0.0, "queries": 0})) for kind in SPLIT_LABELS}
        kinds[OTHER] = {"seconds": max(0.0, total_seconds - sum(k["seconds"] for k in kinds.values())), "queries": 0}
        return {
            kind: {
                "seconds": round(k["seconds"], 3),
                "share": round(100 * k["seconds"] / total_seconds, 1) if total_seconds else None,
                "queries": k["queries"],
            }
            for kind, k in kinds.items()
        }

    def unwrap(self):
        for owner, name, original in reversed(self._restore):
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)
        self._restore.clear()
