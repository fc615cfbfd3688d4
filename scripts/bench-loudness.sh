#!/usr/bin/env bash
# Loudness benchmark, one run: a 12-track album (40 s each, two channels of independent pink noise,
# FLAC 44.1 kHz) converted by `downloader2 convert --output-dir` to each format with loudness
# measured and tagged (--replaygain album) and without (--replaygain off), rounds interleaved, best
# of ROUNDS each; the cost of the album gain is the difference. Beside it, the reference a beets user
# pays: ffmpeg's ebur128 filter over the converted files, one after the other (a second decode).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=./.build-dist/release/downloader2
ROUNDS=${ROUNDS:-3}
. scripts/bench-lib.sh
bench_setup loudbench
for i in $(seq -w 1 12); do pink_noise_flac 40 "$work/track$i.flac"; done

seconds() {  # wall seconds of "$@"
  local start end
  start=$(now); "$@" > /dev/null; end=$(now)
  echo "$end - $start" | bc -l
}
min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" = 1 ]; then echo "$2"; else echo "$1"; fi; }

echo "12 tracks of 40 s, $(nproc) cores, best of $ROUNDS (rounds interleaved):"
printf '  %-14s %12s %12s %10s %24s\n' format "without" "with album" "cost" "ffmpeg ebur128 pass"
for target in "ogg_vorbis 320 ogg" "opus 160 opus" "mp3 320 mp3" "flac 0 flac"; do
  read -r format kbps ext <<< "$target"
  bitrate=(); [ "$kbps" != 0 ] && bitrate=(--bitrate "$kbps")
  off="" on="" second=""
  for _ in $(seq 1 "$ROUNDS"); do
    rm -rf "$work/off" "$work/on"; mkdir -p "$work/off" "$work/on"
    off=$(min "$off" "$(seconds "$BIN" convert --no-remux --format "$format" "${bitrate[@]}" --replaygain off --output-dir "$work/off" "$work"/track*.flac)")
    on=$(min "$on" "$(seconds "$BIN" convert --no-remux --format "$format" "${bitrate[@]}" --replaygain album --output-dir "$work/on" "$work"/track*.flac)")
  done
  pass() { for f in "$work"/off/*."$ext"; do ffmpeg -v error -nostats -i "$f" -af ebur128 -f null - 2> /dev/null; done; }
  export -f pass; export work ext
  for _ in $(seq 1 "$ROUNDS"); do second=$(min "$second" "$(seconds bash -c pass)"); done
  printf '  %-14s %10.2f s %10.2f s %8.1f %% %14.2f s (%.1f %% of the conversion)\n' "$format ${kbps/#0/}" "$off" "$on" \
    "$(echo "($on - $off) / $off * 100" | bc -l)" "$second" "$(echo "$second / $off * 100" | bc -l)"
done
echo "  goal: the album gain adds at most 3 % to the conversion's wall time"
