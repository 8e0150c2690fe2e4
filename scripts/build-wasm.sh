#!/usr/bin/env bash
# Builds crates/dissect for wasm32 and installs the module into packages/dissect/wasm/.
# Uses rustup's wasm32 target when it is installed, else Debian's rustc 1.63 with
# libstd-rust-dev-wasm32 (see ../shared/docs/toolchain.md); runs wasm-opt when present.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/packages/dissect/wasm"
target=wasm32-unknown-unknown
mkdir -p "$out"

if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  cargo_cmd=(cargo)
elif [ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/$target ]; then
  # rustup's rustc shadows Debian's on PATH; pin both to the Debian toolchain.
  export RUSTC=/usr/bin/rustc
  cargo_cmd=(/usr/bin/cargo)
else
  echo "build-wasm: no Rust toolchain with the $target target." >&2
  echo "  Debian/Ubuntu: apt-get install rustc cargo libstd-rust-dev-wasm32 lld-14" >&2
  echo "  elsewhere:     rustup target add $target" >&2
  exit 1
fi

cd "$root"
"${cargo_cmd[@]}" build --release --target "$target" --locked -p reef-dissect -q
wasm="$root/target/$target/release/reef_dissect.wasm"
if command -v wasm-opt >/dev/null 2>&1; then
  wasm-opt -O3 --enable-bulk-memory --enable-sign-ext --enable-mutable-globals "$wasm" -o "$out/reef_dissect.wasm.tmp"
  mv "$out/reef_dissect.wasm.tmp" "$out/reef_dissect.wasm"
else
  cp "$wasm" "$out/reef_dissect.wasm"
fi
echo "build-wasm: $(wc -c <"$out/reef_dissect.wasm") bytes -> packages/dissect/wasm/reef_dissect.wasm"
