#!/usr/bin/env bash
# Framing throughput of @reef/capture's reader (bench/framing.mjs: open, iterate every batch,
# count frames and bytes) on the generated captures, from page cache, next to `cat FILE >
# /dev/null` (the floor: reading the bytes at all) and the reference readers `tcpdump -r FILE -w
# /dev/null` (libpcap) and `capinfos -c` (Wireshark's wiretap). Each tool runs RUNS times; the
# best wall time and the largest peak RSS are shown. Then the gzip and stdin paths, once each.
# Usage: bash bench/framing.sh [RUNS=5]     (numbers for this machine: bench/README.md)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
data="$root/bench/data"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
[ -f "$root/packages/capture/dist/index.js" ] || (cd "$root" && pnpm --filter @reef/capture build >/dev/null)
for preset in 100k 1m 5m; do
  [ -f "$data/bench-$preset.pcap" ] || node "$root/bench/generate-capture.mjs" --preset "$preset"
done
large="$data/bench-5m.pcap"

measure() { # runs command...: prints "best_wall_seconds max_peak_rss_kb"
  local n=$1 i out
  shift
  out=$(mktemp)
  for ((i = 0; i < n; i++)); do
    /usr/bin/time -a -o "$out" -f '%e %M' "$@" >/dev/null 2>&1
  done
  awk 'NR == 1 || $1 < w { w = $1 } $2 > r { r = $2 } END { printf "%s %s\n", w, r }' "$out"
  rm -f "$out"
}

measure_reef() { # runs file: prints "best_wall_seconds max_peak_rss_kb best_in_process_seconds frames"
  local n=$1 f=$2 i out json
  out=$(mktemp)
  json=$(mktemp)
  for ((i = 0; i < n; i++)); do
    /usr/bin/time -a -o "$out" -f '%e %M' node "$root/bench/framing.mjs" "$f" >>"$json" 2>/dev/null
  done
  read -r wall rss < <(awk 'NR == 1 || $1 < w { w = $1 } $2 > r { r = $2 } END { printf "%s %s\n", w, r }' "$out")
  sed -E 's/.*"frames":([0-9]+).*"seconds":([0-9.]+).*/\2 \1/' "$json" | sort -n | head -1 | { read -r s fr; echo "$wall $rss $s $fr"; }
  rm -f "$out" "$json"
}

row() { # name seconds rss_kb bytes frames [floor_seconds floor_name]
  awk -v n="$1" -v s="$2" -v r="$3" -v b="$4" -v f="$5" -v floor="${6:-}" -v fname="${7:-cat}" 'BEGIN {
    if (s <= 0) s = 0.005  # /usr/bin/time resolution is 10 ms
    ratio = floor == "" ? "" : sprintf("%.2fx %s'"'"'s throughput", (floor <= 0 ? 0.005 : floor) / s, fname)
    printf "  %-26s %7.2f s %9.0f MB/s %7.2f Mframes/s %7.1f MB RSS  %s\n", n, s, b / 1e6 / s, f / 1e6 / s, r / 1024, ratio
  }'
}

frames_of() { node "$root/bench/framing.mjs" "$1" | sed -E 's/.*"frames":([0-9]+).*/\1/'; }

echo "machine: $(nproc) cores, $(node --version), $(tcpdump --version 2>&1 | head -1), capinfos $(capinfos -v | head -1 | awk '{print $3}'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "best of $runs runs each, from page cache; MB = 10^6 bytes of file"
# The 1m file is there to show where peak RSS settles.
for f in "$data/bench-100k.pcap" "$data/bench-1m.pcap" "$large"; do
  size=$(stat -c %s "$f")
  cat "$f" >/dev/null # warm the page cache
  frames=$(frames_of "$f")
  echo
  echo "$(basename "$f"): $frames frames, $(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1e6 }')"
  read -r cat_s cat_kb < <(measure "$runs" sh -c 'cat "$1" > /dev/null' sh "$f")
  read -r reef_s reef_kb reef_in _ < <(measure_reef "$runs" "$f")
  read -r tcpdump_s tcpdump_kb < <(measure "$runs" tcpdump -r "$f" -w /dev/null)
  read -r capinfos_s capinfos_kb < <(measure "$runs" capinfos -c "$f")
  row "cat > /dev/null" "$cat_s" "$cat_kb" "$size" "$frames"
  row "reef framing.mjs" "$reef_s" "$reef_kb" "$size" "$frames" "$cat_s"
  row "  (in-process, no startup)" "$reef_in" "$reef_kb" "$size" "$frames" "$cat_s"
  row "tcpdump -r -w /dev/null" "$tcpdump_s" "$tcpdump_kb" "$size" "$frames" "$cat_s"
  row "capinfos -c" "$capinfos_s" "$capinfos_kb" "$size" "$frames" "$cat_s"
  awk -v r="$reef_s" -v t="$tcpdump_s" -v c="$capinfos_s" 'BEGIN {
    printf "  reef vs tcpdump: %.2fx its throughput; vs capinfos: %.2fx\n", t / r, c / r
  }'
done

# The other input paths, once each on the large file.
echo
echo "other paths, $(basename "$large"), one run each:"
size=$(stat -c %s "$large")
frames=$(frames_of "$large")
gz="$data/bench-5m.pcap.gz"
[ -f "$gz" ] || gzip -1 -c "$large" >"$gz"
cat "$gz" >/dev/null
read -r zcat_s zcat_kb < <(measure 1 sh -c 'zcat "$1" > /dev/null' sh "$gz")
read -r gz_s gz_kb gz_in _ < <(measure_reef 1 "$gz")
row "zcat .gz > /dev/null" "$zcat_s" "$zcat_kb" "$size" "$frames"
row "reef framing.mjs .gz" "$gz_s" "$gz_kb" "$size" "$frames" "$zcat_s" zcat
read -r pipe_s pipe_kb < <(measure 1 sh -c 'cat "$1" | node "$2" -' sh "$large" "$root/bench/framing.mjs")
read -r redir_s redir_kb < <(measure 1 sh -c 'node "$2" - < "$1"' sh "$large" "$root/bench/framing.mjs")
row "cat FILE | reef (stdin)" "$pipe_s" "$pipe_kb" "$size" "$frames"
row "reef - < FILE (stdin)" "$redir_s" "$redir_kb" "$size" "$frames"
