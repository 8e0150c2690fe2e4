#!/usr/bin/env bash
# The TUI on the large benchmark capture, in a real terminal (tmux), against termshark 2.4 on the
# same file: time to the first usable screen (packets listed), time until fully loaded, the
# peak RSS of the whole process tree (termshark's includes its tshark children), and, once
# loaded, the time a display filter over all frames takes (typed with `/`, applied with Enter).
#
#   bench/tui-large.sh [FILE]            default bench/data/bench-5m.pcap (generated if missing)
#   PRESET=1m bench/tui-large.sh         the 1M-packet capture instead
#   LIMIT=600 bench/tui-large.sh         seconds each program gets to finish loading
#   SKIP_TERMSHARK=1 bench/tui-large.sh  reef only
#   FILTER='tcp' bench/tui-large.sh      the display filter timed (default below)
#
# Issue 8's targets: first screen within 0.5 s, RSS under 1 GB, a filter over all frames in 5 s.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
preset="${PRESET:-5m}"
file="${1:-bench/data/bench-$preset.pcap}"
limit="${LIMIT:-600}"
filter="${FILTER:-dns || tcp.flags.reset == 1}"
if [ ! -f "$file" ]; then
  echo "generating $file ..."
  node bench/generate-capture.mjs --preset "$preset"
fi
packets="$(capinfos -c -M "$file" | awk -F: '/Number of packets/ { gsub(/ /, "", $2); print $2 }')"
sock="reef-bench-tui-$$"
t() { tmux -L "$sock" "$@"; }
trap 't kill-server 2>/dev/null || true' EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# RSS in kB of a process and all its descendants.
tree_rss() {
  local pids=("$1") all=() p
  while [ ${#pids[@]} -gt 0 ]; do
    p="${pids[0]}"; pids=("${pids[@]:1}"); all+=("$p")
    for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do pids+=("$c"); done
  done
  ps -o rss= -p "$(IFS=,; echo "${all[*]}")" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'
}

# A descendant of $1 whose command line contains $2 (pgrep over one process tree only).
has_child_matching() {
  local p
  for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    if tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q -- "$2"; then return 0; fi
    has_child_matching "$p" "$2" && return 0
  done
  return 1
}

# measure NAME FIRST_REGEX LOADED_TEST FILTERED_TEST APPLY_KEYS COMMAND...: polls the screen
# every 50 ms. APPLY_KEYS: what applies the typed filter (termshark's first Enter only closes
# its completion drop-down, so it gets two, the filter timed from the second).
measure() {
  local name="$1" first_re="$2" loaded_test="$3" filtered_test="$4" apply="$5"; shift 5
  t kill-server 2>/dev/null || true
  local start; start="$(now_ms)"
  t new-session -d -s bench -x 160 -y 50 "$*"
  local pane; pane="$(t display -p -t bench '#{pane_pid}')"
  local first="" loaded="" peak=0 rss screen elapsed
  while :; do
    elapsed=$(( $(now_ms) - start ))
    screen="$(t capture-pane -p -t bench 2>/dev/null || true)"
    rss="$(tree_rss "$pane")"
    [ "$rss" -gt "$peak" ] && peak="$rss"
    if [ -z "$first" ] && grep -Eq "$first_re" <<<"$screen"; then first="$elapsed"; fi
    if [ -n "$first" ] && [ -z "$loaded" ] && $loaded_test "$pane" "$screen"; then loaded="$elapsed"; break; fi
    if [ "$elapsed" -gt $(( limit * 1000 )) ]; then break; fi
    sleep 0.05
  done
  # The display filter, once loaded: `/`, the text, Enter; timed from Enter to the result.
  local filtered="" fstart
  if [ -n "$loaded" ]; then
    t send-keys -t bench /
    sleep 0.5
    t send-keys -t bench -l "$filter"
    sleep 0.5
    for key in $apply; do
      [ "$key" = pause ] && { sleep 1; continue; }
      fstart="$(now_ms)"
      t send-keys -t bench "$key"
    done
    while :; do
      elapsed=$(( $(now_ms) - fstart ))
      screen="$(t capture-pane -p -t bench 2>/dev/null || true)"
      rss="$(tree_rss "$pane")"
      [ "$rss" -gt "$peak" ] && peak="$rss"
      if $filtered_test "$pane" "$screen"; then filtered="$elapsed"; break; fi
      if [ "$elapsed" -gt $(( limit * 1000 )) ]; then break; fi
      sleep 0.05
    done
  fi
  local first_s="never" loaded_s="not within ${limit} s" filtered_s="-"
  [ -n "$first" ] && first_s="$(awk -v m="$first" 'BEGIN { printf "%.2f s", m / 1000 }')"
  [ -n "$loaded" ] && loaded_s="$(awk -v m="$loaded" 'BEGIN { printf "%.1f s", m / 1000 }')"
  [ -n "$loaded" ] && filtered_s="not within ${limit} s"
  [ -n "$filtered" ] && filtered_s="$(awk -v m="$filtered" 'BEGIN { printf "%.1f s", m / 1000 }')"
  printf '%-10s first screen: %8s   fully loaded: %-16s   peak RSS: %6d MB   filter: %s\n' "$name" "$first_s" "$loaded_s" $(( peak / 1024 )) "$filtered_s"
  t kill-server 2>/dev/null || true
}

# reef: the title bar says "N packets" (no longer "loading…") once every frame is indexed.
reef_loaded() { head -1 <<<"$2" | grep -Eq " $packets packets *$"; }
# reef: the status bar reports the filter's result.
reef_filtered() { grep -Eq "Displayed [0-9]+ of $packets packets" <<<"$2"; }
# termshark: its tshark -T psml child has exited after having run.
psml_seen=0
termshark_loaded() {
  if has_child_matching "$1" psml; then psml_seen=1; return 1; fi
  [ "$psml_seen" = 1 ]
}
# termshark re-reads the file with the filter: a new psml child runs, then exits.
filter_psml_seen=0
termshark_filtered() {
  if has_child_matching "$1" psml; then filter_psml_seen=1; return 1; fi
  [ "$filter_psml_seen" = 1 ]
}

echo "file: $file ($packets packets, $(du -hL "$file" | cut -f1)); machine: $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg); filter: $filter"
pnpm -s --filter @reef/tui build >/dev/null
measure reef '│ +1 +0\.0' reef_loaded reef_filtered Enter "node $root/apps/tui/bin/reef.js -r $root/$file"
if [ -z "${SKIP_TERMSHARK:-}" ]; then
  if command -v termshark >/dev/null; then
    measure termshark '^ 1 +0\.0' termshark_loaded termshark_filtered 'Enter pause Enter' "TERM=xterm-256color termshark -r $root/$file"
  else
    echo "termshark: not installed (apt-get install -y termshark)"
  fi
fi
