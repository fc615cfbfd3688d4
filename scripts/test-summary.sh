#!/usr/bin/env bash
# Runs the built test binary as two processes at once, each one test at a time: the tests whose
# names match PATTERN in one, every other test in the other. Each process has its own cooperative
# pool, so a test that waits for a program in one never starves the in-process servers of a test in
# the other (docs/NOTES.md, "Test machines: load and the cooperative pool").
#
#   scripts/test-summary.sh TEST_BINARY PATTERN
#
# The output of both streams as it comes, each line marked [1] or [2]; the last lines say how many
# tests ran, how many failed (and which), and how long the test phase took. Exits 0 only when both
# processes did, so only when every test passed.
set -uo pipefail
binary=$1
pattern=$2
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
start=$(date +%s)

shard() {
    local name=$1
    shift
    NO_COLOR=1 "$binary" --testing-library swift-testing --no-parallel "$@" 2>&1 | tee "$logs/$name.log" | sed -u "s/^/[$name] /"
    echo "${PIPESTATUS[0]}" > "$logs/$name.status"
}
shard 1 --filter "$pattern" &
first=$!
shard 2 --skip "$pattern" &
second=$!
wait "$first" "$second"
elapsed=$(( $(date +%s) - start ))

total=0
status=0
echo
for name in 1 2; do
    code=$(cat "$logs/$name.status" 2>/dev/null || echo 1)
    run=$(grep -aE 'Test run with [0-9]+ tests' "$logs/$name.log" | tail -1 | sed -E 's/^[^T]*(Test run)/\1/')
    count=$(echo "$run" | sed -nE 's/^Test run with ([0-9]+) tests.*/\1/p')
    total=$(( total + ${count:-0} ))
    [ "$code" = 0 ] || status=$code
    echo "make test: process $name: ${run:-no test run summary found (exit $code)}"
done
failed=$(cat "$logs/1.log" "$logs/2.log" | grep -aE '^✘ Test "' | grep -aE 'failed after' | sed -E 's/^✘ Test "([^"]*)".*/\1/' | sort -u)
echo "make test: $total tests in two processes — test phase ${elapsed} s, exit ${status}"
if [ -n "$failed" ]; then
    echo "make test: failed:"
    echo "$failed" | sed 's/^/  - /'
fi
exit "$status"
