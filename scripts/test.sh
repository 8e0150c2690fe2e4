#!/usr/bin/env bash
# The whole test suite: native `cargo test` of the dissection core, then vitest (capture layer,
# facade, CLI against tshark, TUI in tmux, live capture on lo when root). Ends with one line
# `N passed, N failed` counting both.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mkdir -p test-results

pnpm -s build --output-logs=errors-only || { echo "test.sh: build failed"; echo "0 passed, 1 failed"; exit 1; }

# Native tests run with whichever cargo is on PATH (rustup's or Debian's); both read the v3 lock.
cargo_cmd=cargo
command -v cargo >/dev/null 2>&1 || cargo_cmd=/usr/bin/cargo
[ "$cargo_cmd" = /usr/bin/cargo ] && export RUSTC=/usr/bin/rustc
$cargo_cmd test --locked -p reef-dissect 2>&1 | tee test-results/cargo.txt
cargo_status=${PIPESTATUS[0]}
read -r cargo_passed cargo_failed < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } } END { print p + 0, f + 0 }' test-results/cargo.txt)
if [ "$cargo_status" != 0 ] && [ "$cargo_failed" = 0 ]; then cargo_failed=1; fi

pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
vitest_status=$?
read -r vt_passed vt_failed < <(node -e '
  try {
    const r = require("./test-results/vitest.json");
    const failedSuites = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + failedSuites);
  } catch { console.log(0, 1); }')
if [ "$vitest_status" != 0 ] && [ "$vt_failed" = 0 ]; then vt_failed=1; fi

echo "cargo test: $cargo_passed passed, $cargo_failed failed; vitest: $vt_passed passed, $vt_failed failed"
echo "$((cargo_passed + vt_passed)) passed, $((cargo_failed + vt_failed)) failed"
[ "$cargo_status" = 0 ] && [ "$vitest_status" = 0 ]
