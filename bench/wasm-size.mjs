#!/usr/bin/env node
// The size of Reef's dissection core as shipped (packages/dissect/wasm/reef_dissect.wasm): raw,
// gzip -9 and brotli (what a web server sends), split into code and static data, next to the
// budget of issue 9 and to Wiregasm (Wireshark's dissectors compiled to wasm with Emscripten).
// Usage: node bench/wasm-size.mjs [FILE.wasm]     (after `pnpm build`)
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const file = process.argv[2] ?? new URL('../packages/dissect/wasm/reef_dissect.wasm', import.meta.url).pathname;
const bytes = readFileSync(file);
const gz = gzipSync(bytes, { level: 9 }).length;
const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

// Section sizes: id 10 is the code, id 11 the data segments (strings, tables).
const sections = new Map();
let p = 8;
const leb = () => {
  let r = 0;
  let s = 0;
  let x;
  do {
    x = bytes[p++];
    r += (x & 0x7f) * 2 ** s;
    s += 7;
  } while (x & 0x80);
  return r;
};
while (p < bytes.length) {
  const id = bytes[p++];
  const len = leb();
  sections.set(id, (sections.get(id) ?? 0) + len);
  p += len;
}

const KB = (n) => `${(n / 1000).toFixed(1)} KB`;
const MiB = (n) => `${(n / 1048576).toFixed(1)} MiB`;
const rows = [
  ['', 'raw', 'gzip -9', 'brotli'],
  ['reef_dissect.wasm', KB(bytes.length), KB(gz), KB(br)],
  ['  code section', KB(sections.get(10) ?? 0), '', ''],
  ['  data section', KB(sections.get(11) ?? 0), '', ''],
  ['budget (issue 9)', KB(500_000), KB(200_000), ''],
  ['Wiregasm', MiB(65.5 * 1048576), MiB(18.3 * 1048576), ''],
];
const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(w[c]) : cell.padStart(w[c]))).join('   '));
const ratio = (65.5 * 1048576) / bytes.length;
console.log(`\n${file}: ${bytes.length} bytes; ${ratio.toFixed(0)}x smaller than Wiregasm raw, ${((18.3 * 1048576) / gz).toFixed(0)}x gzipped.`);
if (bytes.length > 500_000 || gz > 200_000) console.log('over the budget of issue 9 (500 KB raw, 200 KB gzipped): see bench/README.md');
