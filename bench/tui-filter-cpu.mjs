// Times the TUI's display-filter pass without a terminal: the capture is loaded into the TUI's
// FrameStore (bytes read back from the file, frames handed back to the core) as `reef -r` does,
// then the filter runs over every frame as the filter bar's Enter does.
// Usage: node bench/tui-filter-cpu.mjs FILE [FILTER...]
import { statSync } from 'node:fs';
import { FrameFile, openCaptureFile } from '../packages/capture/dist/index.js';
import { loadDissector } from '../packages/dissect/dist/index.js';
import { FrameStore } from '../apps/tui/dist/state/frame-store.js';
import { IndexList, testFrames } from '../apps/tui/dist/state/display-list.js';

const [file, ...filters] = process.argv.slice(2);
const source = await openCaptureFile(file);
const store = new FrameStore(new FrameFile(file, source.format));
const session = (await loadDissector()).openSession();
session.handBackFrames((n) => store.handBack(n - 1));
let t = performance.now();
for await (const b of source) {
  session.ingest(b);
  store.push(b);
}
console.log(`loaded ${store.count} frames (${(statSync(file).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(2)} s`);
for (const f of filters.length ? filters : ['dns || tcp.flags.reset == 1', 'tcp.stream eq 1000']) {
  session.setDisplayFilter(f);
  t = performance.now();
  const out = new IndexList();
  const test = (b, s, n) => session.filterFrames(b, s, n);
  const prejudge = (b, s, n) => session.prejudgeFrames(b, s, n);
  for (let at = 0; at < store.count; at += 4096) testFrames(store, test, at, Math.min(store.count, at + 4096), out, prejudge);
  const s = (performance.now() - t) / 1000;
  console.log(`${f}: ${out.length} of ${store.count} in ${s.toFixed(2)} s (${((s * 1e6) / store.count).toFixed(2)} us/frame)`);
}
