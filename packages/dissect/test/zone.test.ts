/**
 * The local zone's pieces: abbreviations from TZif files and POSIX rules, as the C library
 * reads them, and the offset changes the runtime knows. (apps/cli/test/zone.test.ts compares
 * whole outputs with tshark's in several zones.)
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { offsetChanges } from '../src/zone.js';
import { posixRule, readTzif } from '../src/zone-node.js';

describe('local zone', () => {
  it('reads the abbreviations of POSIX rules, offsets east of UTC', () => {
    expect(posixRule('GMT0BST,M3.5.0/1,M10.5.0')?.names).toEqual([[0, 'GMT'], [3600, 'BST']]);
    expect(posixRule('EST5EDT,M3.2.0,M11.1.0')?.names).toEqual([[-18000, 'EST'], [-14400, 'EDT']]);
    expect(posixRule('<-03>3')?.names).toEqual([[-10800, '-03']]);
    expect(posixRule('<+1030>-10:30<+11>-11,M10.1.0,M4.1.0')?.names).toEqual([[37800, '+1030'], [39600, '+11']]);
    expect(posixRule('JST-9')?.names).toEqual([[32400, 'JST']]);
    expect(posixRule('')).toBeUndefined();
  });

  it.skipIf(!existsSync('/usr/share/zoneinfo/Asia/Tokyo'))('reads the names a TZif file gives each offset, and whether the zone never changes', () => {
    const tokyo = readTzif('/usr/share/zoneinfo/Asia/Tokyo')!;
    expect(tokyo.nameAt(1_783_000_000, 32400)).toBe('JST');
    const london = readTzif('/usr/share/zoneinfo/Europe/London')!;
    expect([london.nameAt(1_795_000_000, 0), london.nameAt(1_783_000_000, 3600)]).toEqual(['GMT', 'BST']);
    expect(london.fixed).toBeUndefined();
    // The name of the period in force, not the latest name of its offset: Moscow's summer of
    // 2010 (+4) was MSD; +4 is MSK since 2011.
    const moscow = readTzif('/usr/share/zoneinfo/Europe/Moscow')!;
    expect([moscow.nameAt(1_278_000_000, 14400), moscow.nameAt(1_350_000_000, 14400)]).toEqual(['MSD', 'MSK']);
    expect(readTzif('/usr/share/zoneinfo/UTC')!.fixed).toEqual({ offset: 0, name: 'UTC' });
    expect(readTzif('/nonexistent/zone')).toBeUndefined();
  });

  it('finds where the runtime\'s offset changes, to the second', () => {
    // The tests run in the machine's zone; UTC has one offset for all time.
    const changes = offsetChanges();
    expect(changes[0]![0]).toBe(0);
    for (const [start, offset] of changes.slice(1)) {
      expect(-new Date(start * 1000).getTimezoneOffset() * 60).toBe(offset);
      expect(-new Date((start - 1) * 1000).getTimezoneOffset() * 60).not.toBe(offset);
    }
  });
});
