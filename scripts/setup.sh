#!/usr/bin/env bash
# One command from a clean clone on Debian 12 (as root): installs what is missing (apt
# packages, pnpm, workspace dependencies), builds everything (Rust -> wasm, TypeScript), then
# opens reef on the bundled capture of the /ping walkthrough.
# Re-running is fast: each step is skipped when already done.
#   --no-tui   stop after building (CI uses this; also implied when stdin is not a terminal)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
open_tui=1
for a in "$@"; do
  case "$a" in
    --no-tui) open_tui=0 ;;
    *) echo "setup.sh: unknown option $a" >&2; exit 1 ;;
  esac
done
[ -t 0 ] && [ -t 1 ] || open_tui=0
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# libpcap-dev, build-essential and python3: node-gyp builds the libpcap binding (npm package cap).
# chromium: the browser viewer's end-to-end test (apps/web, driven by playwright-core).
# tzdata: the zone files the C library (tshark) and reef read local-time abbreviations from.
apt_packages=(rustc cargo libstd-rust-dev-wasm32 lld-14 binaryen libpcap-dev build-essential python3 tcpdump tshark tmux curl chromium tzdata)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup.sh: missing packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  say "apt: installing ${missing[*]}"
  # tshark asks whether non-root users may capture; answer no without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

want_pnpm=10.34.9
if [ "$(pnpm --version 2>/dev/null || true)" != "$want_pnpm" ]; then
  say "installing pnpm $want_pnpm"
  npm install -g "pnpm@$want_pnpm" --silent >/dev/null
fi

say "installing workspace dependencies"
# node-gyp must use the system's Node headers (it cannot download them here).
export npm_config_nodedir=/usr
pnpm install --frozen-lockfile --reporter=silent

say "building (Rust -> wasm32, TypeScript)"
pnpm -s build --output-logs=errors-only

capture="test-fixtures/captures/ping-http.pcap"
say "ready. Open a capture with: pnpm --filter tui start -r $capture"
if [ "$open_tui" = 1 ]; then
  exec node apps/tui/bin/reef.js -r "$capture"
fi
