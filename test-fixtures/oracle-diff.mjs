#!/usr/bin/env node
/**
 * The differential harness: Reef's `-T fields` output against tshark 4.0.17's, field by field.
 *
 * For the public corpus the oracle is the committed dump in ../shared/captures/public/oracle;
 * for the project's own fixtures tshark runs at test time with the same fields. A cell counts
 * when either side has a value (two empty cells prove nothing); `_ws.col.Info` is scored apart.
 *
 *   node test-fixtures/oracle-diff.mjs [FILE...]      # default: every fixture and public capture
 *   options: --show N (mismatches to print per file, default 5), --field NAME (only that field)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const publicDir = join(root, '..', 'shared', 'captures', 'public');
const cli = join(root, 'apps', 'cli', 'dist', 'main.js');

/** The oracle's field list (MANIFEST.md of the public corpus). */
export const ORACLE_FIELDS = [
  'frame.number', 'frame.len', 'frame.time_epoch', 'frame.protocols', 'eth.src', 'eth.dst', 'ip.src', 'ip.dst',
  'ipv6.src', 'ipv6.dst', 'ip.proto', 'ip.ttl', 'tcp.stream', 'tcp.srcport', 'tcp.dstport', 'tcp.seq', 'tcp.seq_raw',
  'tcp.ack', 'tcp.nxtseq', 'tcp.len', 'tcp.flags', 'tcp.window_size', 'tcp.analysis.flags',
  'tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission', 'tcp.analysis.out_of_order',
  'tcp.analysis.duplicate_ack', 'tcp.analysis.lost_segment', 'tcp.analysis.zero_window', 'tcp.completeness',
  'udp.srcport', 'udp.dstport', 'dns.qry.name', 'dns.a', 'http.request.method', 'http.request.uri',
  'http.response.code', 'tls.handshake.extensions_server_name', '_ws.col.Protocol', '_ws.col.Info',
];

const fieldArgs = (fields) => fields.flatMap((f) => ['-e', f]);
const FIELD_OPTS = ['-T', 'fields', '-E', 'header=y', '-E', 'separator=/t', '-E', 'occurrence=a'];

/** Rows of a `-T fields -E header=y` dump as arrays of cells (header dropped). */
function parse(text) {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(1).map((l) => l.split('\t'));
}

/** Captures the harness covers: project fixtures, then the public corpus when present. */
export function corpus() {
  const own = join(root, 'test-fixtures', 'captures');
  const files = readdirSync(own).filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f)).map((f) => ({ file: join(own, f), oracle: 'tshark' }));
  if (existsSync(publicDir)) {
    for (const f of readdirSync(publicDir).filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f))) {
      const tsv = join(publicDir, 'oracle', `${f}.fields.tsv`);
      if (existsSync(tsv)) files.push({ file: join(publicDir, f), oracle: tsv });
    }
  }
  return files;
}

function oracleRows(entry, fields) {
  if (entry.oracle !== 'tshark') return parse(readFileSync(entry.oracle, 'utf8'));
  const r = spawnSync('tshark', ['-n', '-r', entry.file, ...FIELD_OPTS, ...fieldArgs(fields)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return parse(r.stdout);
}

let known;
/** Field names Reef's registry has (`-G fields`), plus the columns. */
function reefKnows(field) {
  if (!known) {
    const g = spawnSync(process.execPath, [cli, '-G', 'fields'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    known = new Set(g.stdout.split('\n').map((l) => l.split('\t')[2]));
  }
  return field.startsWith('_ws.col.') || known.has(field);
}

/** Reef's rows, with empty cells for fields it does not have yet (they count as differences). */
function reefRows(file, fields) {
  const asked = fields.filter(reefKnows);
  const r = spawnSync(process.execPath, [cli, '-r', file, ...FIELD_OPTS, ...fieldArgs(asked)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 2) throw new Error(`reef-cli failed on ${file}: ${r.stderr}`);
  return parse(r.stdout).map((row) => fields.map((f) => (asked.includes(f) ? row[asked.indexOf(f)] ?? '' : '')));
}

/**
 * Compares one capture. Returns per-field counts and the mismatches:
 * `{ file, frames, fields: {name: {same, total}}, info: {same, total}, mismatches: [{frame, field, tshark, reef}] }`.
 */
export function compareCapture(entry, fields = ORACLE_FIELDS) {
  const want = oracleRows(entry, fields);
  const got = reefRows(entry.file, fields);
  const result = { file: basename(entry.file), frames: want.length, fields: {}, info: { same: 0, total: 0 }, mismatches: [] };
  for (const f of fields) if (f !== 'frame.number' && f !== '_ws.col.Info') result.fields[f] = { same: 0, total: 0 };
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    const w = want[i] ?? [];
    const g = got[i] ?? [];
    fields.forEach((f, k) => {
      if (f === 'frame.number') return;
      const a = w[k] ?? '';
      const b = g[k] ?? '';
      if (a === '' && b === '') return;
      const bucket = f === '_ws.col.Info' ? result.info : result.fields[f];
      bucket.total++;
      if (a === b) bucket.same++;
      else result.mismatches.push({ frame: i + 1, field: f, tshark: a, reef: b });
    });
  }
  return result;
}

/** Sums per-field counts over several results. */
export function totals(results) {
  let same = 0;
  let total = 0;
  const info = { same: 0, total: 0 };
  const byField = {};
  for (const r of results) {
    for (const [f, c] of Object.entries(r.fields)) {
      same += c.same;
      total += c.total;
      byField[f] ??= { same: 0, total: 0 };
      byField[f].same += c.same;
      byField[f].total += c.total;
    }
    info.same += r.info.same;
    info.total += r.info.total;
  }
  return { same, total, info, byField };
}

const pct = (s, t) => (t === 0 ? 100 : (100 * s) / t).toFixed(2);

export function report(results) {
  const t = totals(results);
  const lines = [`fields: ${t.same}/${t.total} identical (${pct(t.same, t.total)}%); Info: ${t.info.same}/${t.info.total} (${pct(t.info.same, t.info.total)}%)`];
  const worst = Object.entries(t.byField).filter(([, c]) => c.same < c.total).sort((a, b) => (b[1].total - b[1].same) - (a[1].total - a[1].same));
  for (const [f, c] of worst) lines.push(`  ${f.padEnd(40)} ${c.total - c.same} differ of ${c.total}`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let show = 5;
  let only;
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--show') show = Number(args[++i]);
    else if (args[i] === '--field') only = args[++i];
    else files.push(args[i]);
  }
  const all = corpus();
  const entries = files.length ? files.map((f) => all.find((e) => e.file.endsWith(f)) ?? { file: f, oracle: 'tshark' }) : all;
  execFileSync('test', ['-f', cli]);
  const results = [];
  for (const e of entries) {
    const r = compareCapture(e);
    results.push(r);
    const mism = r.mismatches.filter((m) => !only || m.field === only);
    const t = totals([r]);
    console.log(`${r.file}: ${r.frames} frames, fields ${pct(t.same, t.total)}%, Info ${pct(t.info.same, t.info.total)}%`);
    for (const m of mism.slice(0, show)) console.log(`  #${m.frame} ${m.field}\n    tshark: ${m.tshark}\n    reef:   ${m.reef}`);
  }
  console.log(report(results));
}
