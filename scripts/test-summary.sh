#!/usr/bin/env bash
# Runs the test command given, streaming its output, then ends with one line a newcomer can read:
# how many tests ran, how many failed (and which), and how long the test phase took. Exits with the
# test command's status.
set -uo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s)
"$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
elapsed=$(( $(date +%s) - start ))
run=$(grep -aE 'Test run with [0-9]+ tests' "$log" | tail -1 | sed -E 's/^[^T]*(Test run)/\1/')
failed=$(grep -aE '^✘ Test "' "$log" | grep -aE 'failed after' | sed -E 's/^✘ Test "([^"]*)".*/\1/' | sort -u)
echo
echo "make test: ${run:-no test run summary found} — test phase ${elapsed} s, exit ${status}"
if [ -n "$failed" ]; then
    echo "make test: failed:"
    echo "$failed" | sed 's/^/  - /'
fi
exit "$status"
