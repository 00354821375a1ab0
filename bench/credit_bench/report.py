"""The report: targets, the table on stdout, the JSON files and bench/RESULTS.md.

Every line comes from the measures (:class:`credit_bench.common.Measure`):
their rows, sections, ratios, facts, sanity sums, notes and targets, each
ranked; this module only lays them out.
"""

import contextlib
import json
import os
import platform
import subprocess
from pathlib import Path

from .common import RESULTS_DIR, RESULTS_MD, ROOT, ratio

# where the report's own blocks sit among the measures' sections
NOTES_RANK, TARGETS_RANK = 20, 40


def collect(measures, method, res):
    items = []
    for measure in measures:
        found = getattr(measure, method)(res)
        if found is None:
            continue
        items.extend(found if isinstance(found, list) else [found])
    return sorted(items, key=lambda item: item.rank)


def ratios(res, measures):
    """ours / peer for every peer that compares with the first pass."""
    full = res["full_evaluation"]["seconds"]
    return {item.extra["key"]: ratio(full, item.extra["seconds"]) for item in collect(measures, "ratio", res)}


def evaluate_targets(res, measures):
    return [
        {"target": t.target, "wanted": t.wanted, "measured": t.measured, "ok": t.ok}
        for t in collect(measures, "targets", res)
    ]


def mark(ok):
    return {True: "ok", False: "MISSED", None: "n/a"}[ok]


def cell(value, unit=""):
    return "-" if value is None else f"{value:,}{unit}" if isinstance(value, int) else f"{value}{unit}"


def report_lines(res, measures, markdown=False):
    """The result table, as plain text or markdown."""
    rows = collect(measures, "rows", res)
    data = res["data"]
    title = (
        f"credit_hold benchmark, Odoo {res.get('series', '18.0')}, {res['size']}: "
        f"{data['customers']:,} customers, {data['invoices']:,} invoices "
        f"(+{data['special_invoices']:,} of the 2 special customers), {res['timestamp']}"
    )
    out = []
    if markdown:
        out += [
            f"### {title}",
            "",
            "| measure | time | queries | rows written | peak RSS |",
            "|---|---:|---:|---:|---:|",
        ]
        out += [
            f"| {r.label} | {r.seconds} s | {cell(r.queries)} | {cell(r.rows_written)} | {cell(r.peak_rss_mb, ' MB')} |"
            for r in rows
        ]
    else:
        out += [title, "", f"{'measure':<54}{'time':>11}{'queries':>10}{'rows written':>14}{'peak RSS':>12}"]
        out += [
            f"{r.label:<54}{r.seconds:>9} s{cell(r.queries):>10}{cell(r.rows_written):>14}"
            f"{cell(r.peak_rss_mb, ' MB'):>12}"
            for r in rows
        ]
    out.append("")

    def note(text):
        return f"- {text}" if markdown else text

    peers = collect(measures, "ratio", res)
    r = res["ratios"]
    notes = [
        note(
            "ratios (a) / peer: "
            + ", ".join(f"ours/{item.text} {r[item.extra['key']]}" for item in peers)
            + "; "
            + "; ".join(item.text for item in collect(measures, "facts", res))
        ),
        note(
            "sanity, sum of the customers' open receivables: "
            + ", ".join(item.text for item in collect(measures, "sanity", res))
        ),
    ]
    notes += [note(item.text) for item in collect(measures, "notes", res) if item.rank < 100]
    targets = ["", "targets (set for the large size):"]
    if markdown:
        targets += ["", "| target | wanted | measured | |", "|---|---|---|---|"]
    for t in res["targets"]:
        if markdown:
            targets.append(f"| {t['target']} | {t['wanted']} | {t['measured']} | {mark(t['ok'])} |")
        else:
            targets.append(f"  {mark(t['ok']):<7}{t['target']:<64}{t['wanted']:<16}{t['measured']}")
    blocks = [(NOTES_RANK, notes), (TARGETS_RANK, targets)]
    for measure in measures:
        blocks += measure.sections(res, markdown)
    for _rank, lines in sorted(blocks, key=lambda block: block[0]):
        out += lines

    m = res["machine"]
    out.append("")
    versions = ", ".join(f"{label} {version or '(not installed)'}" for label, version in m["versions"].items())
    out.append(
        note(
            f"machine: {m['cpu_count']} CPU ({m['cpu_model']}), {m['memory_gb']} GB RAM, "
            f"PostgreSQL {m['postgresql']}, Odoo {m['odoo']}, Python {m['python']}"
            + (f", {versions}" if versions else "")
            + (
                f"; load average at the end {m['load_average'][0]} (1 min), {m['load_average'][2]} (15 min)"
                if m.get("load_average")
                else ""
            )
        )
    )
    code = res["code"]
    changed = code["credit_hold_changed_files"]
    dirty = f" + {changed} uncommitted file(s)" if changed else ""
    out.append(note(f"code: credit_hold at commit {code['commit']}{dirty}"))
    out += [note(item.text) for item in collect(measures, "notes", res) if item.rank >= 100]
    out.append(
        note(
            f"data: generated in {data['generation_seconds']} s ({data['journal_items_total']:,} journal items, "
            f"{data['open_receivable_lines']:,} open receivable lines, {data['orders']:,} confirmed orders, "
            f"{data['contacts']:,} contacts, {data['credit_notes']:,} credit notes, "
            f"{data['payments_on_account']:,} payments on account)"
        )
    )
    return out


def write_results(res, measures):
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = res["timestamp"].replace(":", "").replace("-", "").replace(" ", "-")
    text = json.dumps(res, indent=2, default=str)
    key = f"{res['size']}-{res['series']}"
    for name in (f"{key}-{stamp}.json", f"latest-{key}.json"):
        (RESULTS_DIR / name).write_text(text + "\n")
    # one section per size and Odoo series
    begin, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    section = "\n".join([begin, *report_lines(res, measures, markdown=True), end])
    current = RESULTS_MD.read_text() if RESULTS_MD.exists() else ""
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        current = head + section + rest.split(end, 1)[1]
    else:
        if not current:
            current = (
                "# Benchmark results\n\nWritten by `make bench` (small) and `make bench SIZE=large`; "
                "see bench/README.md for the data set and the measures.\n"
            )
        current = current.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS_MD.write_text(current)


def code_facts():
    """Which credit_hold was measured: the commit, and the files changed since (read-only git)."""

    def git(*args):
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return out.stdout.strip() if out.returncode == 0 else None

    status = git("status", "--porcelain", "--", "credit_hold")
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "credit_hold_commit": git("log", "-1", "--format=%h", "--", "credit_hold"),
        "branch": git("rev-parse", "--abbrev-ref", "HEAD"),
        "credit_hold_changed_files": len(status.splitlines()) if status else 0,
    }


def machine_facts(cr, versions):
    """The machine, the servers, and ``versions`` ({label: version or None}) of the peers' addons."""
    import odoo

    cr.execute("SHOW server_version")
    pg = cr.fetchone()[0]
    cpu_model = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    memory = None
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gb": memory,
        "postgresql": pg,
        "odoo": odoo.release.version,
        "python": platform.python_version(),
        "versions": versions,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
