/** Shared locations and helpers for tests across the workspace. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = join(repoRoot, 'test-fixtures/captures');
/** shared/ sits beside the clone (CI, /work/main); a worktree under /work/wt/ reaches it at /work/shared. */
export const publicDir = [resolve(repoRoot, '../shared/captures/public'), '/work/shared/captures/public'].find((d) =>
  existsSync(join(d, 'MANIFEST.md')),
) ?? resolve(repoRoot, '../shared/captures/public');
export const hasPublicCorpus = existsSync(join(publicDir, 'MANIFEST.md'));

/** The project's own fixture captures. */
export function fixtures(): string[] {
  return readdirSync(fixturesDir)
    .filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f))
    .map((f) => join(fixturesDir, f));
}

/** The public sample captures next to the repo, when present. */
export function publicCaptures(): string[] {
  if (!hasPublicCorpus) return [];
  return readdirSync(publicDir)
    .filter((f) => /\.(pcap|pcapng)(\.gz)?$/.test(f))
    .map((f) => join(publicDir, f));
}

const tsharkProbe = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
export const hasTshark = tsharkProbe.status === 0;

/** Throws a clear error when tshark, the oracle of the differential tests, is missing. */
export function requireTshark(): void {
  if (!hasTshark) throw new Error('tshark is not installed: it is the oracle of this test (scripts/setup.sh installs it)');
}

/** tshark's stderr without its warning about running as root (CI runs as root). */
const withoutRootWarning = (stderr: string) => stderr.replace(/^Running as user "root".*\n/m, '');

/** tshark's default output for a file; throws a clear error when tshark is missing. */
export function tshark(args: string[]): { stdout: string; stderr: string; status: number | null } {
  requireTshark();
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { stdout: r.stdout, stderr: withoutRootWarning(r.stderr), status: r.status };
}

/** What `tshark` and `runAsync` return. */
export interface RunResult {
  stdout: string;
  stderr: string;
  status: number | null;
}

/**
 * `spawnSync` without blocking: differential tests run Reef and tshark side by side, and several
 * captures at once (`inParallel`), to use both cores of the CI machine.
 */
export function runAsync(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), status }));
  });
}

/** `tshark` without blocking. */
export async function tsharkAsync(args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
  requireTshark();
  const r = await runAsync('tshark', args, env);
  return { ...r, stderr: withoutRootWarning(r.stderr) };
}

/** `items.map(fn)` with at most `limit` calls in flight (default: the cores), results in order. */
export async function inParallel<T, R>(items: readonly T[], fn: (item: T) => Promise<R>, limit = availableParallelism()): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
