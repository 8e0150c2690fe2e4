/**
 * tshark as the display filter oracle: evaluates many filters over a capture in one pass
 * (filter-oracle.lua registers one tap listener per filter; taps run the same dfilter engine
 * as -Y) and returns, per filter, the matching frame numbers or tshark's rejection.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, requireTshark } from './paths.js';

export type FilterResult = { frames: number[] } | { error: string };

const script = join(repoRoot, 'test-fixtures/lib/filter-oracle.lua');

/**
 * Runs the oracle without blocking, its output going to a file (not a pipe, which would stall
 * tshark while the caller computes Reef's answers on the same thread).
 */
export async function tsharkFilterResults(file: string, filters: string[]): Promise<FilterResult[]> {
  requireTshark();
  if (filters.some((f) => f.includes('\n'))) throw new Error('filters are passed one per line');
  const dir = mkdtempSync(join(tmpdir(), 'reef-filters-'));
  const list = join(dir, 'filters.txt');
  const answers = join(dir, 'answers.txt');
  writeFileSync(list, filters.join('\n') + '\n');
  const fd = openSync(answers, 'w');
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('tshark', ['-q', '-n', '-X', `lua_script:${script}`, '-r', file], {
        env: { ...process.env, REEF_FILTERS: list },
        stdio: ['ignore', fd, 'ignore'],
      });
      child.on('error', reject);
      child.on('close', () => resolve());
    });
  } finally {
    closeSync(fd);
  }
  const out: FilterResult[] = filters.map(() => ({ error: 'no answer from tshark' }));
  for (const line of readFileSync(answers, 'utf8').split('\n')) {
    const [index, hits, ...rest] = line.split('\t');
    const i = Number(index) - 1;
    if (!(i >= 0 && i < filters.length) || hits === undefined) continue;
    out[i] = hits === 'ERR' ? { error: rest.join('\t') } : { frames: hits === '' ? [] : hits.split(',').map(Number) };
  }
  rmSync(dir, { recursive: true, force: true });
  return out;
}
