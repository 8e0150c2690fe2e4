/**
 * tshark as the display filter oracle: evaluates many filters over a capture in one pass
 * (filter-oracle.lua registers one tap listener per filter; taps run the same dfilter engine
 * as -Y) and returns, per filter, the matching frame numbers or tshark's rejection.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTshark, repoRoot } from './paths.js';

export type FilterResult = { frames: number[] } | { error: string };

const script = join(repoRoot, 'test-fixtures/lib/filter-oracle.lua');

export function tsharkFilterResults(file: string, filters: string[]): FilterResult[] {
  if (!hasTshark) throw new Error('tshark is not installed: it is the oracle of this test (scripts/setup.sh installs it)');
  if (filters.some((f) => f.includes('\n'))) throw new Error('filters are passed one per line');
  const list = join(mkdtempSync(join(tmpdir(), 'reef-filters-')), 'filters.txt');
  writeFileSync(list, filters.join('\n') + '\n');
  const r = spawnSync('tshark', ['-q', '-n', '-X', `lua_script:${script}`, '-r', file], {
    encoding: 'utf8',
    env: { ...process.env, REEF_FILTERS: list },
    maxBuffer: 1 << 28,
  });
  const out: FilterResult[] = filters.map(() => ({ error: 'no answer from tshark' }));
  for (const line of r.stdout.split('\n')) {
    const [index, hits, ...rest] = line.split('\t');
    const i = Number(index) - 1;
    if (!(i >= 0 && i < filters.length) || hits === undefined) continue;
    out[i] = hits === 'ERR' ? { error: rest.join('\t') } : { frames: hits === '' ? [] : hits.split(',').map(Number) };
  }
  return out;
}
