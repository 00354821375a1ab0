#!/usr/bin/env bash
# Newcomer check: `git clone` the repository's committed HEAD into a temporary
# folder and run `make test` there, from nothing but the clone (plus
# PostgreSQL, and ODOO_SRC_ARCHIVE when set). Every layer must pass, the Odoo
# layers included. pip's cache and the template database (keyed by the Odoo
# source, not its path) are shared with other runs; the clone's Odoo is set up
# anew in its own .odoo/.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/credit_hold_newcomer.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
git clone -q "$repo" "$tmp/credit_hold"
cd "$tmp/credit_hold"
echo "newcomer: cloned $(git log -1 --format='%h %s' | cut -c1-70) into $tmp/credit_hold"
log="$tmp/make-test.log"
code=0
env -u ODOO_BIN -u ODOO_PYTHON -u ODOO_HOME CI=true CREDIT_HOLD_ODOO=local make test >"$log" 2>&1 || code=$?
grep -E '^(odoo setup|test tools): ' "$log" || true
sed -n '/^== summary/,$p' "$log"
fail() {
    echo "newcomer: FAIL $1 (make test in a fresh clone; its last lines:)"
    tail -60 "$log"
    exit 1
}
[ "$code" = 0 ] || fail "make test exited with $code"
grep -q 'SKIPPED' "$log" && fail "a layer was skipped"
for layer in static engine odoo wheel; do
    grep -Eq "^$layer: [1-9][0-9]* passed, 0 failed(, [0-9]+ skipped)?$" "$log" || fail "layer $layer did not pass"
done
grep -Eq '^total: [1-9][0-9]* passed, 0 failed(, [0-9]+ skipped)?$' "$log" || fail "no passing total line"
grep -q '^odoo setup: done' "$log" || fail "the clone did not set up its own Odoo"
echo "newcomer: ok, every layer passed in a fresh clone"
