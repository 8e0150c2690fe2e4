// Times the wasm core alone on a capture: the batches are read into memory first, then ingested
// twice in fresh sessions (the first run lets the engine finish optimizing the module) and the
// second run's CPU time is printed, which load from other processes disturbs far less than wall
// time. Usage: node bench/core-cpu.mjs FILE [summary|fields|quiet] [DISPLAY_FILTER] [-z STAT]
import { openCaptureFile } from '../packages/capture/dist/index.js';
import { loadDissector } from '../packages/dissect/dist/index.js';

const [file, mode = 'summary', filter = '', zflag, stat] = process.argv.slice(2);
const batches = [];
const source = await openCaptureFile(file);
for await (const b of source) {
  batches.push({ ...b, meta: b.meta.slice(), data: b.data.slice(), fileOffset: b.fileOffset.slice() });
}
const dissector = await loadDissector();
let result;
for (let run = 0; run < 2; run++) {
  const s = dissector.openSession();
  s.configure({ mode, fields: mode === 'fields' ? ['frame.number', 'ip.src', 'tcp.srcport'] : [], zone: { offsetSeconds: 0, name: 'UTC' } });
  if (filter) s.setDisplayFilter(filter);
  if (zflag === '-z') s.startStats([stat]);
  const t0 = process.cpuUsage();
  let bytes = 0;
  for (const b of batches) bytes += s.ingest(b, { print: true })?.length ?? 0;
  const t = process.cpuUsage(t0);
  result = { cpu: (t.user + t.system) / 1e6, bytes };
  s.close();
}
const frames = batches.reduce((n, b) => n + b.count, 0);
console.log(`${mode}${filter ? ` -Y ${filter}` : ''}${stat ? ` -z ${stat}` : ''}: ${result.cpu.toFixed(3)} s CPU, ${((result.cpu * 1e6) / frames).toFixed(2)} us/frame, ${result.bytes} bytes out`);
