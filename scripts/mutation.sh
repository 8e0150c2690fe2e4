#!/usr/bin/env bash
# The full mutation run of the dissection core: a million mutated frames (bit flips,
# truncations, length fields set to extremes) from the fixtures and the public corpus, in a
# debug build so integer overflow panics too. The normal test run does ~20k of them.
set -euo pipefail
cd "$(dirname "$0")/.."
frames="${1:-1000000}"
cargo_cmd=cargo
command -v cargo >/dev/null 2>&1 || cargo_cmd=/usr/bin/cargo
[ "$cargo_cmd" = /usr/bin/cargo ] && export RUSTC=/usr/bin/rustc
REEF_MUTATION_FRAMES="$frames" $cargo_cmd test --locked -p reef-dissect --test mutation -- --nocapture
