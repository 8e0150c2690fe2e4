/**
 * Progress of a long read goes to stderr only when it is a terminal and the packets are not
 * printed on that terminal; it is erased at the end, and never mixes into the output. A real
 * pseudo-terminal comes from util-linux's `script`; REEF_PROGRESS_DELAY_MS=0 makes a small
 * fixture's read count as long.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, repoRoot } from '../../../test-fixtures/lib/paths.js';

const bin = join(repoRoot, 'apps/cli/bin/reef-cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'reef-progress-test-'));
const capture = join(fixturesDir, 'tls-fragments.pcap');
const hasScript = spawnSync('script', ['--version']).status === 0;

/** What a terminal shows when `shell` runs in it (stdin, stdout and stderr on the terminal). */
function onTerminal(shell: string): string {
  const r = spawnSync('script', ['-qec', shell, '/dev/null'], { env: { ...process.env, REEF_PROGRESS_DELAY_MS: '0' }, encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout;
}

describe.skipIf(!hasScript)('progress on stderr', () => {
  it('shows packets read and how far into the file, then erases itself', () => {
    const out = join(tmp, 'summary.txt');
    const screen = onTerminal(`node ${bin} -r ${capture} > ${out}`);
    expect(screen).toMatch(/\r\x1b\[Kreef-cli: \d+ packets read, \d+% of 0 MB, \d+\.\d s/);
    expect(screen.endsWith('\r\x1b[K')).toBe(true);
    const printed = readFileSync(out, 'utf8');
    expect(printed).not.toContain('packets read');
    expect(printed.split('\n').length).toBeGreaterThan(10);
  });

  it('also for -w, which prints nothing', () => {
    expect(onTerminal(`node ${bin} -r ${capture} -Y tls -w ${join(tmp, 'copy.pcap')}`)).toContain('packets read');
  });

  it('is silent when the packets are printed on the same terminal', () => {
    const screen = onTerminal(`node ${bin} -r ${capture} -c 3`);
    expect(screen).not.toContain('packets read');
    expect(screen.trim().split('\n')).toHaveLength(3);
  });

  it('is silent when the packets go to a pipe, which may end on the same terminal', () => {
    expect(onTerminal(`node ${bin} -r ${capture} | cat > /dev/null`)).not.toContain('packets read');
  });

  it('is silent when stderr is not a terminal', () => {
    const r = spawnSync(process.execPath, [bin, '-r', capture, '-q', '-z', 'conv,tcp'], { env: { ...process.env, REEF_PROGRESS_DELAY_MS: '0' }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
