#!/usr/bin/env bash
# Hashing benchmark, one run, same files in the page cache: `downloader2 hash` beside
# `openssl dgst -sha256` and `sha256sum` on 1 GiB; then 12 files of 40 MiB, in parallel vs one at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=./.build-dist/release/downloader2
ROUNDS=${ROUNDS:-3}
work=$(mktemp -d /tmp/downloader2-hashbench-XXXXXX)
trap 'rm -rf "$work"' EXIT

best_time() {  # best wall time in seconds of ROUNDS runs of "$@"
  local best=""
  for _ in $(seq 1 "$ROUNDS"); do
    local t0 t1 t
    t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}

head -c 1073741824 /dev/urandom > "$work/1GiB.bin"
cat "$work/1GiB.bin" > /dev/null   # into the page cache
ours=$("$BIN" hash "$work/1GiB.bin" | cut -c1-64)
theirs=$(openssl dgst -sha256 -r "$work/1GiB.bin" | cut -c1-64)
[ "$ours" = "$theirs" ] || { echo "digests differ: $ours vs $theirs"; exit 1; }

t_ours=$(best_time "$BIN" hash "$work/1GiB.bin")
t_openssl=$(best_time openssl dgst -sha256 "$work/1GiB.bin")
t_coreutils=$(best_time sha256sum "$work/1GiB.bin")
mbps() { echo "1073.741824 / $1" | bc -l; }
echo "SHA-256 of 1 GiB in the page cache, best of $ROUNDS, one core:"
printf '  %-26s %6.3f s %8.0f MB/s\n' "downloader2 hash" "$t_ours" "$(mbps "$t_ours")"
printf '  %-26s %6.3f s %8.0f MB/s\n' "openssl dgst -sha256" "$t_openssl" "$(mbps "$t_openssl")"
printf '  %-26s %6.3f s %8.0f MB/s\n' "sha256sum (coreutils)" "$t_coreutils" "$(mbps "$t_coreutils")"
printf '  ratio to openssl: %.2f (target ≥ 0.95)   to sha256sum: %.2f\n' \
  "$(echo "$t_openssl / $t_ours" | bc -l)" "$(echo "$t_coreutils / $t_ours" | bc -l)"

for i in $(seq -w 1 12); do head -c 41943040 /dev/urandom > "$work/track$i.flac"; done
cat "$work"/track*.flac > /dev/null
: > "$work/empty"
ROUNDS=5 t_start=$(best_time "$BIN" hash "$work/empty")
t_one=$(best_time "$BIN" hash --jobs 1 "$work"/track*.flac)
t_all=$(best_time "$BIN" hash "$work"/track*.flac)
echo "12 files of 40 MiB ($(nproc) cores):"
printf '  %-26s %6.3f s\n' "one at a time (--jobs 1)" "$t_one"
printf '  %-26s %6.3f s\n' "in parallel (default)" "$t_all"
printf '  %-26s %6.3f s (hashing an empty file)\n' "process start-up" "$t_start"
printf '  speed-up: %.2f× wall clock, %.2f× with start-up subtracted from both (target ≥ 1.8× on 2 cores)\n' \
  "$(echo "$t_one / $t_all" | bc -l)" "$(echo "($t_one - $t_start) / ($t_all - $t_start)" | bc -l)"
