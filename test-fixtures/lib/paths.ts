/** Shared locations and helpers for tests across the workspace. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
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

/** tshark's default output for a file; throws a clear error when tshark is missing. */
export function tshark(args: string[]): { stdout: string; stderr: string; status: number | null } {
  if (!hasTshark) throw new Error('tshark is not installed: it is the oracle of this test (scripts/setup.sh installs it)');
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { stdout: r.stdout, stderr: r.stderr.replace(/^Running as user "root".*\n/m, ''), status: r.status };
}
