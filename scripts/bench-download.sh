#!/usr/bin/env bash
# Download benchmark: a 512 MiB release seeded by aria2c through opentracker on loopback, fetched by
# `downloader2 torrent add` and by aria2c from the same seeder, alternately, in the same run; then the
# same rounds from a `downloader2 torrent add --seed` seeder, where aria2c's seeder no longer caps both.
# Prints each round with its ratio, the best of each, and whether downloader2 was slower in any round.
# Everything stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-./.build-dist/release/downloader2}
SIZE_MIB=${SIZE_MIB:-512}
ROUNDS=${ROUNDS:-2}
source scripts/bench-lib.sh
bench_setup bench
chmod 755 "$work"   # opentracker drops to user nobody, who must read the whitelist


echo "== generating a ${SIZE_MIB} MiB release (8 files)"
mkdir -p "$work/seed/Bench Release"
for i in 1 2 3 4 5 6 7 8; do
  head -c $((SIZE_MIB * 1048576 / 8)) /dev/urandom > "$work/seed/Bench Release/0$i track.flac"
done

tracker_port=$(free_port)
"$BIN" torrent create "$work/seed/Bench Release" --v1-only --tracker "http://127.0.0.1:$tracker_port/announce" -o "$work/bench.torrent" --json > "$work/create.json"
hash=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["info_hash_v1"])' "$work/create.json")
echo "$hash" > "$work/whitelist"
chmod 644 "$work/whitelist"
printf 'listen.tcp_udp 127.0.0.1:%s\naccess.whitelist %s\n' "$tracker_port" "$work/whitelist" > "$work/opentracker.conf"
(cd "$work" && exec opentracker -f "$work/opentracker.conf") > "$work/opentracker.log" 2>&1 &
pids+=($!)

loopback_only=(--enable-dht=false --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false --disable-ipv6=true)
aria2c --interface=127.0.0.1 --dir="$work/seed" -V --seed-ratio=0.0 --listen-port="$(free_port)" "${loopback_only[@]}" \
  --summary-interval=0 --console-log-level=warn "$work/bench.torrent" > "$work/aria-seed.log" 2>&1 &
pids+=($!)
echo "== waiting for the aria2c seeder to register with opentracker"
wait_seeds "$tracker_port" "$hash"

export DOWNLOADER2_TORRENT_LISTEN_INTERFACES=127.0.0.1:0 DOWNLOADER2_TORRENT_ENABLE_DHT=false DOWNLOADER2_TORRENT_ENABLE_LSD=false \
       DOWNLOADER2_TORRENT_ENABLE_UPNP=false DOWNLOADER2_TORRENT_ENABLE_NATPMP=false
# One round: downloader2, then aria2c, each from the seeder in place; each file compared with the original.
round() {  # label round-number: appends to ours and theirs
  rm -rf "$work/ours" "$work/aria"; sync
  local t0 t1
  t0=$(now); "$BIN" torrent add "$work/bench.torrent" --dir "$work/ours" 2> "$work/ours-$1-$2.log"; t1=$(now)
  ours+=("$(echo "$t1 - $t0" | bc)")
  t0=$(now)
  aria2c --interface=127.0.0.1 --dir="$work/aria" --seed-time=0 --listen-port="$(free_port)" "${loopback_only[@]}" \
    --summary-interval=0 --console-log-level=warn "$work/bench.torrent" > "$work/aria-$1-$2.log" 2>&1
  t1=$(now)
  theirs+=("$(echo "$t1 - $t0" | bc)")
  for f in "$work/seed/Bench Release"/*; do
    cmp -s "$f" "$work/ours/Bench Release/$(basename "$f")" || { echo "downloader2 download differs: $f"; exit 1; }
    cmp -s "$f" "$work/aria/Bench Release/$(basename "$f")" || { echo "aria2c download differs: $f"; exit 1; }
  done
  local inside
  inside=$(grep -o 'in [0-9.]* s' "$work/ours-$1-$2.log" | head -1)
  printf 'round %d (%s seeds): downloader2 %6.2f s (engine: complete %s after start)   aria2c %6.2f s   ratio %.2f\n' \
    "$2" "$1" "${ours[-1]}" "$inside" "${theirs[-1]}" "$(echo "${theirs[-1]} / ${ours[-1]}" | bc -l)"
}

ours=(); theirs=()
for r in $(seq 1 "$ROUNDS"); do round aria2c "$r"; done
# The same rounds from our own seeder.
kill "${pids[-1]}" 2>/dev/null || true
"$BIN" torrent add "$work/bench.torrent" --dir "$work/seed" --seed > "$work/our-seed.log" 2>&1 &
pids+=($!)
wait_seeds "$tracker_port" "$hash"
for r in $(seq 1 "$ROUNDS"); do round downloader2 "$r"; done
slower_rounds=0
for i in "${!ours[@]}"; do [ "$(echo "${ours[$i]} > ${theirs[$i]}" | bc)" = 1 ] && slower_rounds=$((slower_rounds + 1)); done

best() { printf '%s\n' "$@" | sort -n | head -1; }
b_ours=$(best "${ours[@]:0:$ROUNDS}"); b_theirs=$(best "${theirs[@]:0:$ROUNDS}")
b_ours_own=$(best "${ours[@]:$ROUNDS}"); b_theirs_own=$(best "${theirs[@]:$ROUNDS}")
echo
printf '%-28s %8s %10s\n' "client (best of $ROUNDS)" "seconds" "MiB/s"
printf '%-28s %8.2f %10.1f\n' "downloader2 torrent add" "$b_ours" "$(echo "$SIZE_MIB / $b_ours" | bc -l)"
printf '%-28s %8.2f %10.1f\n' "aria2c (reference)" "$b_theirs" "$(echo "$SIZE_MIB / $b_theirs" | bc -l)"
printf 'ratio aria2c time / downloader2 time: %.2f (above 1: downloader2 is faster)\n' "$(echo "$b_theirs / $b_ours" | bc -l)"
printf '%-28s %8.2f %10.1f\n' "downloader2, own seeder" "$b_ours_own" "$(echo "$SIZE_MIB / $b_ours_own" | bc -l)"
printf '%-28s %8.2f %10.1f\n' "aria2c, downloader2 seeder" "$b_theirs_own" "$(echo "$SIZE_MIB / $b_theirs_own" | bc -l)"
echo "rounds in which downloader2 was slower than aria2c: $slower_rounds of $((ROUNDS * 2)) (goal 0)"
