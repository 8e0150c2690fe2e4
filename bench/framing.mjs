#!/usr/bin/env node
// Framing only: opens a capture with @reef/capture's openCaptureFile (a path, or - for stdin),
// iterates every batch and counts frames and captured bytes; nothing else. Prints one JSON line
// with the time spent from open to the last batch (excluding Node's start-up).
// Usage: node bench/framing.mjs FILE|-  (run `pnpm build` first: it loads packages/capture/dist)
import { stat } from 'node:fs/promises';
import { openCaptureFile } from '../packages/capture/dist/index.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/framing.mjs FILE|-');
  process.exit(2);
}
const t0 = process.hrtime.bigint();
const src = await openCaptureFile(file);
let frames = 0;
let bytes = 0;
let batches = 0;
for await (const b of src) {
  frames += b.count;
  bytes += b.data.length;
  batches++;
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const input = file === '-' ? undefined : (await stat(file)).size;
if (src.truncation) console.error(src.truncation.message);
console.log(JSON.stringify({ file, format: src.format, gzip: src.gzip, frames, batches, capturedBytes: bytes, inputBytes: input, seconds }));
