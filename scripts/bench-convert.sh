#!/usr/bin/env bash
# Conversion benchmark, one run: `downloader2 convert` (libav in-process) beside the ffmpeg command line
# (-threads 1) on the same generated 5-minute FLAC, for Ogg Vorbis 320, Opus 160 and MP3 320: audio
# seconds per wall second and peak memory (max RSS). Then a 12-track album on all cores against a
# sequential ffmpeg loop.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=./.build-dist/release/downloader2
ROUNDS=${ROUNDS:-3}
. scripts/bench-lib.sh
bench_setup convbench
pink_noise_flac 300 "$work/source.flac"
for i in $(seq -w 1 12); do pink_noise_flac 40 "$work/track$i.flac"; done

measure() {  # best wall seconds and the max RSS (KiB) of that run, of ROUNDS runs of "$@"
  local best="" rss=""
  for _ in $(seq 1 "$ROUNDS"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null
    read -r t m < "$work/time"
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; rss=$m; fi
  done
  echo "$best $rss"
}

# What each process holds before converting anything (its libraries), so memory per conversion is compared.
read -r _ base_ours <<< "$(measure "$BIN" version)"
read -r _ base_ff <<< "$(measure ffmpeg -version)"
echo "5-minute 44.1 kHz stereo FLAC (pink noise), best of $ROUNDS, one conversion on one core:"
echo "  (RSS: the whole process; 'conv' subtracts the process at rest: $base_ours KiB ours, $base_ff KiB ffmpeg)"
printf '  %-16s %-22s %9s %10s %10s %8s\n' target tool "audio s/s" "peak RSS" "conv" "speed ratio"
for target in "ogg_vorbis 320 libvorbis ogg" "opus 160 libopus opus" "mp3 320 libmp3lame mp3"; do
  read -r format kbps codec ext <<< "$target"
  read -r t_ours m_ours <<< "$(measure "$BIN" convert --no-remux "$work/source.flac" "$work/ours.$ext" --format "$format" --bitrate "$kbps")"
  read -r t_ff m_ff <<< "$(measure ffmpeg -v error -y -threads 1 -i "$work/source.flac" -c:a "$codec" -b:a "${kbps}k" "$work/ffmpeg.$ext")"
  printf '  %-16s %-22s %8.1f× %6d KiB %6d KiB\n' "$format $kbps" "downloader2 convert" "$(echo "300 / $t_ours" | bc -l)" "$m_ours" "$((m_ours - base_ours))"
  printf '  %-16s %-22s %8.1f× %6d KiB %6d KiB %8.2f (target ≥ 0.98; memory per conversion %.2f× ffmpeg, target ≤ 1)\n' "" "ffmpeg -threads 1" \
    "$(echo "300 / $t_ff" | bc -l)" "$m_ff" "$((m_ff - base_ff))" "$(echo "$t_ff / $t_ours" | bc -l)" "$(echo "($m_ours - $base_ours) / ($m_ff - $base_ff)" | bc -l)"
done

echo "12 tracks of 40 s → Ogg Vorbis 320 ($(nproc) cores), best of $ROUNDS:"
loop() { for f in "$work"/track*.flac; do ffmpeg -v error -y -threads 1 -i "$f" -c:a libvorbis -b:a 320k "$work/loop/$(basename "$f" .flac).ogg"; done; }
mkdir -p "$work/album" "$work/loop"
read -r t_album _ <<< "$(measure "$BIN" convert --no-remux --format ogg_vorbis --bitrate 320 --output-dir "$work/album" "$work"/track*.flac)"
export -f loop; export work
read -r t_loop _ <<< "$(measure bash -c loop)"
printf '  %-34s %6.2f s\n' "downloader2 convert --output-dir" "$t_album" "sequential ffmpeg loop" "$t_loop"
printf '  speed-up: %.2f× (target ≥ 1.8× on 2 cores)\n' "$(echo "$t_loop / $t_album" | bc -l)"
