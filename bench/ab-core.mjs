// A/B of wasm builds of the core in one process: each file's module is loaded, and runs over
// the same in-memory batches alternate between them; the least CPU time per file is printed
// (the minimum is what other processes on a shared machine disturb least). A single pass, as
// reef-cli runs.
// Usage: node bench/ab-core.mjs FILE RUNS summary|fields|conv,tcp|conv,udp A.wasm B.wasm...
// (conv,TYPE: `-q -z conv,TYPE`, the table's text included)
import { readFileSync } from 'node:fs';
import { openCaptureFile } from '../packages/capture/dist/index.js';
import { loadDissector } from '../packages/dissect/dist/index.js';

const [file, runs, mode, ...wasms] = process.argv.slice(2);
const batches = [];
for await (const b of await openCaptureFile(file)) {
  batches.push({ ...b, meta: b.meta.slice(), data: b.data.slice(), fileOffset: b.fileOffset.slice() });
}
const dissectors = await Promise.all(wasms.map((w) => loadDissector(readFileSync(w))));
const best = wasms.map(() => Infinity);
for (let run = 0; run < Number(runs); run++) {
  dissectors.forEach((d, k) => {
    const s = d.openSession();
    const table = mode.startsWith('conv,');
    s.configure({ mode: table ? 'quiet' : mode, singlePass: true, fields: mode === 'fields' ? ['frame.number', 'ip.src', 'tcp.srcport'] : [], zone: { offsetSeconds: 0, name: 'UTC' } });
    if (table) s.startStats([mode]);
    const t0 = process.cpuUsage();
    for (const b of batches) s.ingest(b, { print: true });
    if (table) for (const part of s.statsTextParts()) void part;
    const t = process.cpuUsage(t0);
    best[k] = Math.min(best[k], (t.user + t.system) / 1e6);
    s.close();
  });
}
wasms.forEach((w, k) => console.log(`${w}: ${best[k].toFixed(3)} s CPU (least of ${runs})`));
