#!/usr/bin/env bash
# reef-cli vs tshark on the generated benchmark capture, for the jobs issue 7 names: summary
# lines, -T fields, -Y -w, -Y http.request, -z conv,tcp (and conv,udp), and -T json (on the first 100k
# packets only, as tshark's JSON of 5M packets is tens of GB). Prints wall time, packets/s,
# MB/s, peak RSS and the ratio; `cat FILE > /dev/null` is the floor.
#
# reef-cli uses both cores (worker threads) on large files for summary lines, -T fields and
# -Y -w; tables alone (-q -z conv,tcp) run in one session; the 1-thread column is the same job
# with REEF_WORKERS=0.
#
# Usage: bash bench/cli.sh [5m|1m|100k] [runs=1]
# Each timing is the best of `runs` (the machine's load shows in single runs). tshark needs
# about a minute per job on the 5M file, so the full 5M table takes some 10 minutes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
preset="${1:-100k}"
runs="${2:-1}"
f="$root/bench/data/bench-$preset.pcap"
[ -f "$f" ] || node "$root/bench/generate-capture.mjs" --preset "$preset"
small="$root/bench/data/bench-100k.pcap"
[ -f "$small" ] || node "$root/bench/generate-capture.mjs" --preset 100k
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
command -v tshark >/dev/null || { echo "needs tshark (apt-get install tshark)"; exit 1; }
reef=(node "$root/apps/cli/bin/reef-cli.js")
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

packets() { capinfos -M -c "$1" 2>/dev/null | awk -F': *' '/Number of packets/ {print $2}'; }

# best FILE_FOR_STDOUT command...: "seconds peak_kb" of the fastest of $runs runs.
best() {
  local dest=$1 s kb bs=999999 bkb=0 tf
  shift
  tf=$(mktemp)
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$tf" -f '%e %M' "$@" >"$dest" 2>/dev/null || true
    read -r s kb <"$tf"
    if awk -v a="$s" -v b="$bs" 'BEGIN { exit !(a < b) }'; then bs=$s; bkb=$kb; fi
  done
  rm -f "$tf"
  echo "$bs $bkb"
}

printf '%-34s %9s %9s %9s %9s %8s %8s %9s  %s\n' job reef_s tshark_s reef_MB/s reef_RSS tsh_RSS ratio 1-thread output
job() { # name file args...
  local name=$1 file=$2
  shift 2
  local size p r rk r1 t tk same
  size=$(stat -L -c %s "$file")
  # reef in one session too (REEF_WORKERS=0), to show what the worker threads add.
  read -r r1 _ < <(best "$out/reef" env REEF_WORKERS=0 "${reef[@]}" -r "$file" "$@")
  read -r r rk < <(best "$out/reef" "${reef[@]}" -r "$file" "$@")
  # tshark with -w writes its own file; the outputs are compared as text otherwise.
  local targs=("$@")
  for i in "${!targs[@]}"; do [ "${targs[$i]}" = "$out/reef.pcap" ] && targs[$i]="$out/tshark.pcap"; done
  read -r t tk < <(best "$out/tshark" tshark -n -r "$file" "${targs[@]}")
  if [ -f "$out/reef.pcap" ]; then
    same=$( [ "$(packets "$out/reef.pcap")" = "$(packets "$out/tshark.pcap")" ] && echo "same packets" || echo DIFFERENT)
    rm -f "$out/reef.pcap" "$out/tshark.pcap"
  else
    same=$(cmp -s "$out/reef" "$out/tshark" && echo identical || echo "differs ($(diff "$out/reef" "$out/tshark" | grep -c '^<') lines)")
  fi
  awk -v n="$name" -v size="$size" -v r="$r" -v r1="$r1" -v t="$t" -v rk="$rk" -v tk="$tk" -v same="$same" 'BEGIN {
    printf "%-34s %9.2f %9.2f %9.1f %7.0fMB %6.0fMB %7.1fx %8.2fs  %s\n", n, r, t, size / 1e6 / r, rk / 1024, tk / 1024, t / r, r1, same }'
}

size=$(stat -L -c %s "$f")
read -r c _ < <(best /dev/null cat "$f")
echo "capture: $f ($(packets "$f") packets, $(awk -v s="$size" 'BEGIN { printf "%.0f", s / 1e6 }') MB); cat: ${c} s = $(awk -v s="$size" -v c="$c" 'BEGIN { printf "%.0f", s / 1e6 / (c > 0 ? c : 0.01) }') MB/s"
job "summary lines" "$f"
job "-T fields frame.number,ip.src,tcp.srcport" "$f" -T fields -e frame.number -e ip.src -e tcp.srcport
job "-Y 'tcp.port==8080' -w out.pcap" "$f" -Y 'tcp.port==8080' -w "$out/reef.pcap"
job "-Y http.request" "$f" -Y http.request
job "-q -z conv,tcp" "$f" -q -z conv,tcp
# Not in issue 7's list: the largest table of the capture (DNS from random ports: some 780k UDP
# conversations of 5M packets), for the peak RSS a table's size brings.
job "-q -z conv,udp" "$f" -q -z conv,udp
job "-T json (100k packets)" "$small" -T json
