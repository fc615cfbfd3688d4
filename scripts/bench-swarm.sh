#!/usr/bin/env bash
# Engine to engine: a release seeded by one `downloader2 torrent add --seed` and downloaded by another,
# on loopback through opentracker, for each kind of torrent (v1, hybrid v1+v2 as `torrent create` makes
# by default, v2 only: the same data, one after the other) and for each way of dialling peers: over TCP
# while accepting uTP (the default), over uTP first (libtorrent's own default, `dial_utp = true`), and
# TCP only (`enable_utp = false`). KINDS_ONLY=1 runs the three kinds' rounds and aria2c alone.
# Prints wall time, MB/s and the peak RSS of both sides, libtorrent's own figures for the leecher (disk
# job queue, disk and hashing time, block requests in flight), and aria2c seeding to aria2c in the same
# run as the reference. Everything stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$(pwd)/.build-dist/release/downloader2}
SIZE_MIB=${SIZE_MIB:-1024}
source scripts/bench-lib.sh
bench_setup swarm
chmod 755 "$work"   # opentracker drops to user nobody, who must read the whitelist


echo "== generating a ${SIZE_MIB} MiB release (8 files of uneven sizes, as real tracks: files start anywhere inside a piece)"
mkdir -p "$work/seed/Swarm Release"
for i in 1 2 3 4 5 6 7 8; do head -c $((SIZE_MIB * 1048576 / 8 + 1000 * i - 4500)) /dev/urandom > "$work/seed/Swarm Release/0$i track.flac"; done

# The info-hash a tracker counts a torrent's seeds under: v1, or the truncated v2 one of a v2-only torrent.
announce_hash() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("info_hash_v1") or d["info_hash_v2"][:40])' "$1"; }
tracker_port=$(free_port)
"$BIN" torrent create "$work/seed/Swarm Release" --v1-only --tracker "http://127.0.0.1:$tracker_port/announce" -o "$work/swarm.torrent" --json > "$work/swarm.json"
hash=$(announce_hash "$work/swarm.json")
echo "$hash" > "$work/whitelist"; chmod 644 "$work/whitelist"
# The same release cut in other piece sizes, for the tuning rounds (`torrent create --piece-size`).
piece_sizes=(262144 4194304 16777216)
for size in "${piece_sizes[@]}"; do
  "$BIN" torrent create "$work/seed/Swarm Release" --v1-only --piece-size "$size" --tracker "http://127.0.0.1:$tracker_port/announce" \
    -o "$work/swarm-$size.torrent" --json > "$work/swarm-$size.json"
  announce_hash "$work/swarm-$size.json" >> "$work/whitelist"
done
# The same release as a hybrid v1+v2 torrent and as a v2-only one. A hybrid torrent is announced under
# both its v1 info-hash and its truncated v2 one; a v2-only torrent under the truncated v2 one.
for kind in hybrid v2; do
  flag=(); [ "$kind" = v2 ] && flag=(--v2-only)
  "$BIN" torrent create "$work/seed/Swarm Release" "${flag[@]}" --tracker "http://127.0.0.1:$tracker_port/announce" \
    -o "$work/swarm-$kind.torrent" --json > "$work/swarm-$kind.json"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); [print(h) for h in (d.get("info_hash_v1"), (d.get("info_hash_v2") or "")[:40]) if h]' \
    "$work/swarm-$kind.json" >> "$work/whitelist"
done
default_piece=$("$BIN" torrent info "$work/swarm.torrent" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["piece_length"])')
printf 'listen.tcp_udp 127.0.0.1:%s\naccess.whitelist %s\n' "$tracker_port" "$work/whitelist" > "$work/opentracker.conf"
(cd "$work" && exec opentracker -f "$work/opentracker.conf") > "$work/opentracker.log" 2>&1 &
pids+=($!)
current=$hash   # the info-hash the round in progress shares

export DOWNLOADER2_TORRENT_LISTEN_INTERFACES=127.0.0.1:0 DOWNLOADER2_TORRENT_ENABLE_DHT=false DOWNLOADER2_TORRENT_ENABLE_LSD=false \
       DOWNLOADER2_TORRENT_ENABLE_UPNP=false DOWNLOADER2_TORRENT_ENABLE_NATPMP=false DOWNLOADER2_TORRENT_STALL_TIMEOUT_SECS=600
# Listening on 127.0.0.1 turns on the loopback settings (several connections per address, local trackers,
# rate limits for local peers, unlimited here); none of them bounds the speed.
results=()
run_mode() {   # name, enable_utp, dial_utp, [torrent file, [NAME=VALUE settings for both sides…]]
  local name=$1
  export DOWNLOADER2_TORRENT_ENABLE_UTP=$2 DOWNLOADER2_TORRENT_DIAL_UTP=$3
  local torrent=${4:-$work/swarm.torrent}
  local -a tuning=("${@:5}")
  current=$(announce_hash "${torrent%.torrent}.json")
  rm -rf "$work/leech" "$work/seed/.downloader2-resume"; sync
  env "${tuning[@]}" "$BIN" torrent add "$torrent" --dir "$work/seed" --seed > "$work/seeder-$name.log" 2>&1 &
  local seeder=$!; pids+=($seeder)
  wait_seeds "$tracker_port" "$current"
  local t0 t1 secs rss_leech rss_seed
  t0=$(now)
  # Each line the leecher prints is stamped with the time it arrived, to split the wall time into
  # start (process start to the torrent added), the engine's own time, and exit (completion to exit).
  env "${tuning[@]}" /usr/bin/time -f '%M %U %S' -o "$work/leech-$name.rss" "$BIN" torrent add "$torrent" --dir "$work/leech" --engine-stats 2>&1 >/dev/null \
    | while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done > "$work/leech-$name.log"
  t1=$(now)
  secs=$(echo "$t1 - $t0" | bc)
  rss_seed=$(awk '/VmHWM/ { print $2 }' "/proc/$seeder/status")
  kill "$seeder"; wait "$seeder" 2>/dev/null || true
  wait_seeds "$tracker_port" "$current" 0 || true
  for f in "$work/seed/Swarm Release"/*; do cmp -s "$f" "$work/leech/Swarm Release/$(basename "$f")" || { echo "$name: download differs: $f"; exit 1; }; done
  local user_secs sys_secs
  read -r rss_leech user_secs sys_secs < <(tail -1 "$work/leech-$name.rss")
  # The machine's own ceiling right after the round: a new file of the same size written into the
  # page cache by dd. On this VM the first touch of guest memory is paid to the host: 0.3-3.5 s per
  # GiB, depending on whether the pages were used recently (docs/NOTES.md, "libtorrent: disk I/O and memory").
  local probe_t0 probe_secs
  probe_t0=$(now)
  dd if=/dev/zero of="$work/page-cache-probe" bs=1M count="$SIZE_MIB" status=none
  probe_secs=$(echo "$(now) - $probe_t0" | bc)
  rm -f "$work/page-cache-probe"
  # The engine's own time from adding the torrent to its last piece (without process start and exit).
  local engine
  engine=$(grep -o 'in [0-9.]* s' "$work/leech-$name.log" | tail -1 | tr -dc '0-9.')
  local completed exit_secs
  completed=$(awk '/ complete: / { print $1 }' "$work/leech-$name.log" | tail -1)
  exit_secs=$(echo "$t1 - $completed" | bc)
  last_mbps=$(echo "$SIZE_MIB * 1.048576 / $secs" | bc -l)
  last_rss=$((rss_leech / 1024))
  results+=("$(printf '%-44s %8.2f s %8.1f MB/s   (engine %5.2f s, %6.1f MB/s)   peak RSS leecher %4d MiB, seeder %4d MiB' "$name" "$secs" \
    "$(echo "$SIZE_MIB * 1.048576 / $secs" | bc -l)" "$engine" "$(echo "$SIZE_MIB * 1.048576 / $engine" | bc -l)" $((rss_leech / 1024)) $((rss_seed / 1024)))")
  echo "${results[-1]}"
  printf '    wall %.2f s = start %.2f s + engine %.2f s + exit %.2f s (completion to process exit)\n' "$secs" \
    "$(echo "$secs - $engine - $exit_secs" | bc)" "$engine" "$exit_secs"
  printf '    leecher CPU: user %.2f s, system %.2f s; right after, dd wrote %d MiB into a new file in %.2f s (%.1f MB/s): the engine ran at %.2f× dd\n' \
    "$user_secs" "$sys_secs" "$SIZE_MIB" "$probe_secs" "$(echo "$SIZE_MIB * 1.048576 / $probe_secs" | bc -l)" "$(echo "$probe_secs / $engine" | bc -l)"
  # libtorrent's own figures for the leecher (`torrent add --engine-stats`): where a slow round waits.
  sed -n 's/^[0-9.]* engine (libtorrent/    libtorrent/p' "$work/leech-$name.log"
}

# Each round after the first writes into memory the previous round freed (its download, removed).
# On this VM the first touch of guest memory costs the host's page faults, 0.3-3.5 s per GiB, so the
# first round would pay what the others do not: the same is freed once before it, so all start alike.
dd if=/dev/zero of="$work/warm-up" bs=1M count="$SIZE_MIB" status=none; rm -f "$work/warm-up"
echo "== downloader2 → downloader2, ${SIZE_MIB} MiB (each round starts with ${SIZE_MIB} MiB just freed)"
run_mode "dial TCP, accept uTP (default)" true false
v1_mbps=$last_mbps v1_rss=$last_rss
run_mode "hybrid v1+v2 torrent (default settings)" true false "$work/swarm-hybrid.torrent"
hybrid_mbps=$last_mbps hybrid_rss=$last_rss
run_mode "v2-only torrent (default settings)" true false "$work/swarm-v2.torrent"
v2_mbps=$last_mbps v2_rss=$last_rss
if [ "${KINDS_ONLY:-0}" = 1 ]; then UTP_ROUND=0 TUNING=0; fi
[ "${KINDS_ONLY:-0}" = 1 ] || {
run_mode "through the page cache (os_cache = true)" true false "" DOWNLOADER2_TORRENT_OS_CACHE=true
run_mode "TCP only (enable_utp = false)" false false
run_mode "posix_disk_io as it is (keep_files_open = false)" true false "" DOWNLOADER2_TORRENT_KEEP_FILES_OPEN=false
run_mode "disk jobs on a thread of their own (disk_thread = true)" true false "" DOWNLOADER2_TORRENT_DISK_THREAD=true
run_mode "hybrid v1+v2 through the page cache (os_cache = true)" true false "$work/swarm-hybrid.torrent" DOWNLOADER2_TORRENT_OS_CACHE=true
}
[ "${UTP_ROUND:-1}" = 1 ] && run_mode "dial uTP first (dial_utp = true)" true true

# Tuning, each setting changed alone from the defaults (dial TCP), on both sides: the figures behind the defaults.
if [ "${TUNING:-1}" = 1 ]; then
  echo "== tuning (dial TCP; one setting changed from the default at a time, on both sides)"
  run_mode "hashing_threads = 1 (default 2)" true false "" DOWNLOADER2_TORRENT_HASHING_THREADS=1
  run_mode "hashing_threads = 4" true false "" DOWNLOADER2_TORRENT_HASHING_THREADS=4
  run_mode "send_buffer_watermark_kib = 512" true false "" DOWNLOADER2_TORRENT_SEND_BUFFER_WATERMARK_KIB=512
  run_mode "send_buffer_watermark_kib = 16384" true false "" DOWNLOADER2_TORRENT_SEND_BUFFER_WATERMARK_KIB=16384
  run_mode "max_queued_disk_kib = 1024" true false "" DOWNLOADER2_TORRENT_MAX_QUEUED_DISK_KIB=1024
  run_mode "max_queued_disk_kib = 65536" true false "" DOWNLOADER2_TORRENT_MAX_QUEUED_DISK_KIB=65536
  for size in "${piece_sizes[@]}"; do
    run_mode "piece size $((size / 1024)) KiB (default $((default_piece / 1024)) KiB)" true false "$work/swarm-$size.torrent"
  done
fi

current=$hash
echo "== reference: aria2c → aria2c, same release, same tracker"
loopback_only=(--enable-dht=false --enable-dht6=false --bt-enable-lpd=false --enable-peer-exchange=false --disable-ipv6=true)
aria2c --interface=127.0.0.1 --dir="$work/seed" -V --seed-ratio=0.0 --listen-port="$(free_port)" "${loopback_only[@]}" \
  --summary-interval=0 --console-log-level=warn "$work/swarm.torrent" > "$work/aria-seed.log" 2>&1 &
aria_seeder=$!; pids+=($aria_seeder)
wait_seeds "$tracker_port" "$current"
rm -rf "$work/aria"
t0=$(now)
/usr/bin/time -f '%M' -o "$work/aria.rss" aria2c --interface=127.0.0.1 --dir="$work/aria" --seed-time=0 --listen-port="$(free_port)" "${loopback_only[@]}" \
  --summary-interval=0 --console-log-level=warn "$work/swarm.torrent" > "$work/aria-leech.log" 2>&1
t1=$(now)
secs=$(echo "$t1 - $t0" | bc)
printf '%-44s %8.2f s %8.1f MB/s   peak RSS leecher %4d MiB\n' "aria2c → aria2c (reference)" "$secs" "$(echo "$SIZE_MIB * 1.048576 / $secs" | bc -l)" $(( $(cat "$work/aria.rss") / 1024 ))
echo
echo "summary:"
printf '  %s\n' "${results[@]}"
printf '  kinds of torrent, same data, this run: v1 %.1f MB/s (%d MiB); hybrid %.1f MB/s (%d MiB), %.2f× v1; v2 only %.1f MB/s (%d MiB), %.2f× v1 (goal: ≥ 0.85× v1, peak RSS no higher)\n' \
  "$v1_mbps" "$v1_rss" "$hybrid_mbps" "$hybrid_rss" "$(echo "$hybrid_mbps / $v1_mbps" | bc -l)" "$v2_mbps" "$v2_rss" "$(echo "$v2_mbps / $v1_mbps" | bc -l)"
