/**
 * Absolute times in the local zone, as tshark takes them from the C library: each frame shows
 * the offset and abbreviation of its own date (daylight saving time), with the system's
 * abbreviations (`JST`, `-03`, `+1030`), in -V's Arrival Time, the `-t ad` column and EK's
 * daily index; and display filters read an absolute time in the offset of its date. One capture has a frame in July, one a second before London's 2026 spring
 * change, and the rest in November; each zone runs through tshark and reef-cli.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, inParallel, repoRoot, runAsync, tsharkAsync } from '../../../test-fixtures/lib/paths.js';

const bin = join(repoRoot, 'apps/cli/bin/reef-cli.js');
const capture = join(mkdtempSync(join(tmpdir(), 'reef-zone-test-')), 'dates.pcap');
const ZONES = ['Europe/London', 'America/New_York', 'Asia/Tokyo', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Europe/Dublin', 'UTC'];

/** dns.pcap with its first frame on 2 July 2026 and its second at 00:59:59 UTC on 29 March. */
function datedCapture(): void {
  const b = readFileSync(join(fixturesDir, 'dns.pcap'));
  b.writeUInt32LE(1_783_000_000, 24);
  b.writeUInt32LE(1_774_745_999, 24 + 16 + b.readUInt32LE(24 + 8));
  writeFileSync(capture, b);
}

/** What both print of the times, in zone `tz` (undefined: TZ unset). */
async function times(tz: string | undefined, run: (args: string[], env: NodeJS.ProcessEnv) => Promise<{ stdout: string }>): Promise<string> {
  const env = { ...process.env };
  if (tz === undefined) delete env['TZ'];
  else env['TZ'] = tz;
  const verbose = await run(['-r', capture, '-c', '4', '-V'], env);
  const columns = await run(['-r', capture, '-c', '4', '-t', 'ad'], env);
  const ek = await run(['-r', capture, '-c', '4', '-T', 'ek'], env);
  // A literal is local time in the offset of its own date, as mktime reads it.
  const filtered = await run(['-r', capture, '-c', '6', '-Y', 'frame.time >= "2026-07-02 14:46:40"', '-T', 'fields', '-e', 'frame.number'], env);
  return [
    `filtered: ${filtered.stdout.split('\n').join(' ')}`,
    ...verbose.stdout.split('\n').filter((l) => l.includes('Arrival Time')),
    ...columns.stdout.split('\n').map((l) => l.slice(0, 40)),
    ...(ek.stdout.match(/"_index":"[^"]*"/g) ?? []),
  ].join('\n');
}

const reef = (args: string[], env: NodeJS.ProcessEnv) => runAsync(process.execPath, [bin, ...args], env);
const tshark = (args: string[], env: NodeJS.ProcessEnv) => tsharkAsync(args, env);

describe('absolute times in the local zone', () => {
  datedCapture();
  // A zone the system's tz database lacks would be UTC to tshark and known to Node's ICU.
  const zones = ZONES.filter((z) => existsSync(join('/usr/share/zoneinfo', z)));

  it('are those of each frame\'s date, with the system\'s abbreviations, in every zone', async () => {
    expect(zones.length).toBeGreaterThan(3);
    const results = await inParallel([...zones, undefined], async (tz) => ({ tz, reef: await times(tz, reef), tshark: await times(tz, tshark) }));
    for (const r of results) expect(r.reef, `TZ=${r.tz}`).toBe(r.tshark);
    const london = results.find((r) => r.tz === 'Europe/London')!.reef;
    expect(london).toContain('Jul  2, 2026 14:46:40.070177000 BST');
    expect(london).toContain('Mar 29, 2026 00:59:59.071292000 GMT');
    // 14:46:40 BST in July is 13:46:40 UTC: frame 1 (13:46:40.07) passes, frame 2 (March) not.
    expect(london).toContain('filtered: 1 3 4 5 6');
    expect(results.find((r) => r.tz === 'Asia/Tokyo')!.reef).toContain(' JST');
  });
});
