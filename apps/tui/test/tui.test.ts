/**
 * End-to-end tests of the real `reef` TUI in a real terminal (tmux), plus the messages and exit
 * statuses it gives before a screen exists.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REEF_BIN, Tmux, type TmuxSession } from './tmux.js';

const FIXTURE = new URL('../../../test-fixtures/captures/ping-http.pcap', import.meta.url).pathname;

const tmux = new Tmux(`reef-tui-test-${process.pid}`);
let dir: string;
let exits = 0;
const open: TmuxSession[] = [];

function start(args: string[], size?: { cols: number; rows: number }): TmuxSession {
  const s = tmux.start(args, join(dir, `exit-${++exits}`), size);
  open.push(s);
  return s;
}

/** Waits until loading has finished with `n` packets (the title bar says so, without "loading"). */
function loaded(s: TmuxSession, n: number): Promise<string> {
  return s.waitFor((t) => {
    const title = t.split('\n')[0] ?? '';
    return !title.includes('loading') && new RegExp(` ${n} packets? *$`).test(title);
  }, `${n} packets loaded`);
}

/** The status bar (the screen's last line). */
function status(s: TmuxSession, screen: string): string {
  return s.lineFromBottom(screen, 0);
}

/** The ping-http capture's records repeated `times` times: a capture of any size. */
function bigCapture(times: number): string {
  const src = readFileSync(FIXTURE);
  const records: Buffer[] = [];
  for (let o = 24; o + 16 <= src.length; ) {
    const len = 16 + src.readUInt32LE(o + 8);
    records.push(src.subarray(o, o + len));
    o += len;
  }
  const parts: Buffer[] = [src.subarray(0, 24)];
  for (let r = 0; r < times; r++) {
    for (const rec of records) {
      const copy = Buffer.from(rec);
      copy.writeUInt32LE(copy.readUInt32LE(0) + r, 0);
      parts.push(copy);
    }
  }
  const path = join(dir, `big-${times}.pcap`);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

function runDirect(args: string[]) {
  return spawnSync(process.execPath, [REEF_BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
}

/** Builds dist/ when any source file is newer than it (the tests run the built program). */
function ensureBuilt(): void {
  const app = new URL('..', import.meta.url).pathname;
  const out = join(app, 'dist/main.js');
  const newest = (d: string): number =>
    Math.max(0, ...readdirSync(d, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs)));
  if (existsSync(out) && statSync(out).mtimeMs >= newest(join(app, 'src'))) return;
  execFileSync(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', join(app, 'tsconfig.json')], { stdio: 'inherit' });
}

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'reef-tui-test-'));
  tmux.startServer();
});

afterEach(() => {
  while (open.length) open.pop()!.kill();
});

afterAll(() => {
  tmux.killServer();
  rmSync(dir, { recursive: true, force: true });
});

describe('before the screen opens', () => {
  it('rejects a file that is not a capture with one line and exit status 2', () => {
    const file = join(dir, 'not-a-capture.txt');
    writeFileSync(file, 'hello, this is text\n');
    const r = runDirect(['-r', file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^reef: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a pcap or pcapng file \\(magic 0x68656c6c\\)\\n$`));
  });

  it('rejects a missing file with exit status 2', () => {
    const r = runDirect(['-r', join(dir, 'nope.pcap')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no such file');
  });

  it('rejects an unknown option with one line and exit status 1', () => {
    const r = runDirect(['--', '-x', FIXTURE]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^reef: invalid option -- 'x'/);
  });

  it('prints usage for -h', () => {
    const r = runDirect(['-h']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: reef');
    expect(r.stdout).toContain('-r <file>');
  });
});

describe('in a terminal', () => {
  it('lists the packets and moves the selection with j/k and g g/G', async () => {
    const s = start(['-r', FIXTURE]);
    let screen = await loaded(s, 10);
    expect(screen).toContain('reef — ');
    for (const text of ['No.', 'Source', 'Destination', 'Protocol', 'Info', '[SYN]', 'GET /ping HTTP/1.1', '200 OK']) {
      expect(screen).toContain(text);
    }
    // Borders are real lines, not the VT100 line-drawing letters (lqqk) tmux shows without NCURSES_NO_UTF8_ACS.
    expect(screen).toMatch(/┌─/);
    expect(screen).not.toMatch(/lqq/);
    expect(screen).toContain('▶ Packet List');
    expect(status(s, screen)).toMatch(/Packets: 10\s+Selected: 1\b/);
    expect(status(s, screen)).toContain('? help');
    expect(status(s, screen)).toContain('q quit');

    s.keys('j');
    screen = await s.waitFor((t) => /Selected: 2\b/.test(status(s, t)), 'frame 2 selected');
    // Frame 2's details follow the selection.
    expect(screen).toContain('Frame 2: 74 bytes on wire');
    s.keys('j', 'j');
    await s.waitFor((t) => /Selected: 4\b/.test(status(s, t)), 'frame 4 selected');
    s.keys('k');
    await s.waitFor((t) => /Selected: 3\b/.test(status(s, t)), 'frame 3 selected');
    s.keys('G');
    await s.waitFor((t) => /Selected: 10\b/.test(status(s, t)), 'G: frame 10 selected');
    s.keys('g', 'g');
    await s.waitFor((t) => /Selected: 1\b/.test(status(s, t)), 'g g: frame 1 selected');
    s.keys('Down');
    await s.waitFor((t) => /Selected: 2\b/.test(status(s, t)), 'down arrow: frame 2 selected');
  });

  it('expands Transmission Control Protocol in the details, keeps it expanded across packets, and shows the bytes', async () => {
    const s = start(['-r', FIXTURE]);
    await loaded(s, 10);
    s.keys('j');
    await s.waitFor((t) => /Selected: 2\b/.test(status(s, t)), 'frame 2 selected');
    s.keys('Tab');
    let screen = await s.waitFor('▶ Packet Details', 'focus on the details');
    expect(screen).not.toContain('▶ Packet List');
    expect(screen).toMatch(/▸ Frame 2: 74 bytes/);
    // The hex pane shows the frame's bytes from offset 0000.
    expect(screen).toMatch(/│0000  00 00 00 00 00 00 00 00  00 00 00 00 08 00 45 00  \.{14}E\. /);

    // Walk down to the TCP node; the status bar names the selected field. (If TCP is nested under
    // Ethernet, open Ethernet on the way.)
    for (let i = 0; i < 40; i++) {
      screen = s.screen();
      const line = status(s, screen);
      if (/\btcp \(\d+ bytes\)/.test(line)) break;
      if (/\beth \(\d+ bytes\)/.test(line) && !screen.includes('Transmission Control Protocol')) s.keys('Enter');
      else s.keys('j');
      const before = line;
      await s.waitFor((t) => status(s, t) !== before || t !== screen, 'the tree to react');
    }
    expect(status(s, screen)).toMatch(/\btcp \(40 bytes\)/);
    expect(screen).toMatch(/▸ Transmission Control Protocol, Src Port: 8080, Dst Port: 37992/);
    expect(screen).not.toContain('Source Port: ');

    s.keys('Enter');
    screen = await s.waitFor('Source Port: 8080', 'TCP expanded');
    expect(screen).toMatch(/▾ Transmission Control Protocol/);
    expect(screen).toContain('Sequence Number (raw):');
    // TCP's bytes (34..73) are highlighted in the hex pane: the row at 0x0020 has colored cells.
    const colored = await s.waitFor((t) => /│\S*0020\S* +00 01 \S*\x1b\[[0-9;]*m1f 90/.test(t), 'TCP bytes highlighted', true);
    expect(colored).toBeTruthy();

    // Expansion is kept per field path when another packet is selected.
    s.keys('BTab');
    await s.waitFor('▶ Packet List', 'focus back on the list');
    s.keys('j');
    // The tree keeps its cursor on the same field (tcp), and TCP stays open.
    screen = await s.waitFor((t) => /Selected: 3\b/.test(status(s, t)) && t.includes('Source Port: 37992'), 'frame 3, TCP expanded');
    expect(screen).toMatch(/▾ Transmission Control Protocol, Src Port: 37992/);

    // Left collapses again.
    s.keys('Tab');
    await s.waitFor('▶ Packet Details');
    s.keys('Left');
    screen = await s.waitFor((t) => !t.includes('Source Port: 37992'), 'TCP collapsed');
    expect(screen).toMatch(/▸ Transmission Control Protocol/);

    // The hex pane takes the focus next and moves its cursor over the bytes.
    s.keys('Tab');
    screen = await s.waitFor('▶ Packet Bytes', 'focus on the hex pane');
    expect(status(s, screen)).toMatch(/Offset: 0x0022/);
    s.keys('l');
    screen = await s.waitFor((t) => /Offset: 0x0023/.test(status(s, t)), 'hex cursor moved');
    s.keys('j');
    await s.waitFor((t) => /Offset: 0x0033/.test(status(s, t)), 'hex cursor one row down');
  });

  it('shows the bytes of a reassembled PDU, rebuilt from the file, when one of its fields is selected', async () => {
    const segmented = new URL('../../../test-fixtures/captures/http-segmented.pcap', import.meta.url).pathname;
    const s = start(['-r', segmented], { cols: 120, rows: 45 });
    await loaded(s, 26);
    // Frame 14 completes the first response: three body segments after a header cut in two.
    s.keys('1', '4', 'G');
    await s.waitFor((t) => /Selected: 14\b/.test(status(s, t)), 'frame 14 selected');
    s.keys('Tab');
    let screen = await s.waitFor('▶ Packet Details', 'focus on the details');
    expect(screen).toMatch(/▸ \[5 Reassembled TCP Segments \(6067 bytes\): #6\(30\), #8\(37\), #10\(2000\), #12\(2000\), #14\(2000\)\]/);
    for (let i = 0; i < 12 && !/\bhttp \(\d+ bytes\)/.test(status(s, screen)); i++) {
      const before = screen;
      s.keys('j');
      screen = await s.waitFor((t) => t !== before, 'the cursor to move');
    }
    // HTTP's bytes are the reassembled ones: the pane shows them under their own name.
    screen = await s.waitFor('Packet Bytes: Reassembled TCP (6067 bytes)', 'the reassembled bytes shown');
    expect(screen).toMatch(/│0000  48 54 54 50 2f 31 2e 31  20 32 30 30 20 4f 4b 0d  HTTP\/1\.1 200 OK\./);
    s.keys('Enter');
    screen = await s.waitFor('[Next response in frame: 23]', 'HTTP expanded');
    expect(screen).toContain('[HTTP response 1/2]');
    // Back up to TCP: the frame's own bytes again.
    s.keys('k', 'k');
    screen = await s.waitFor((t) => /\btcp \(\d+ bytes\)/.test(status(s, t)) || /Packet Bytes ─/.test(t), 'back on the frame');
    await s.waitFor((t) => !t.includes('Reassembled TCP (6067 bytes) ─') && /│0000  00 00 00 00/.test(t), 'the frame bytes again');
  });

  it('asks before quitting: n stays, q then y exits with status 0', async () => {
    const s = start(['-r', FIXTURE]);
    await loaded(s, 10);
    s.keys('q');
    await s.waitFor('Quit? (y/n)');
    s.keys('n');
    await s.waitFor((t) => !t.includes('Quit? (y/n)'), 'the question to close');
    s.keys('q');
    await s.waitFor('Quit? (y/n)');
    s.keys('y');
    expect(await s.exitStatus()).toBe('EXIT=0');
  });

  it('quits on ctrl-c with status 0', async () => {
    const s = start(['-r', FIXTURE]);
    await loaded(s, 10);
    s.keys('C-c');
    expect(await s.exitStatus()).toBe('EXIT=0');
  });

  it('shows help on ?', async () => {
    const s = start(['-r', FIXTURE]);
    await loaded(s, 10);
    s.keys('?');
    await s.waitFor('next / previous pane');
    s.keys('Escape');
    await s.waitFor((t) => !t.includes('next / previous pane'), 'help to close');
  });

  it('still shows the list on an 80x24 terminal', async () => {
    const s = start(['-r', FIXTURE], { cols: 80, rows: 24 });
    const screen = await loaded(s, 10);
    for (const text of ['No.', 'Protocol', '[SYN]', 'GET /ping HTTP/1.1', '200 OK', 'Packet Details', 'Packet Bytes', '0000  ']) {
      expect(screen).toContain(text);
    }
    expect(status(s, screen)).toMatch(/Packets: 10\s+Selected: 1\b.*\? help\s+q quit/);
    expect(screen.split('\n').every((l) => l.length <= 80)).toBe(true);
  });

  it('shows every whole frame of a truncated file and says it was cut short', async () => {
    const file = join(dir, 'cut.pcap');
    writeFileSync(file, readFileSync(FIXTURE).subarray(0, 500));
    const s = start(['-r', file], { cols: 80, rows: 24 });
    const screen = await loaded(s, 4);
    expect(screen).toContain('GET /ping HTTP/1.1');
    expect(screen).not.toContain('200 OK');
    // The warning sits above the status line, word-wrapped on a narrow terminal.
    const bottom = [2, 1, 0].map((n) => s.lineFromBottom(screen, n).trim()).join(' ');
    expect(bottom).toContain('file appears to be cut short in the middle of a packet');
    expect(bottom).toContain('(frame 5 at byte offset 450)');
    expect(status(s, screen)).toMatch(/Packets: 4\b/);
  });

  it('keeps the frames before a corrupt record and shows the error', async () => {
    const bytes = Buffer.from(readFileSync(FIXTURE));
    let o = 24;
    for (let i = 0; i < 4; i++) o += 16 + bytes.readUInt32LE(o + 8);
    bytes.writeUInt32LE(0x7fffffff, o + 8); // frame 5 claims 2 GiB
    const file = join(dir, 'corrupt.pcap');
    writeFileSync(file, bytes);
    const s = start(['-r', file]);
    const screen = await loaded(s, 4);
    expect(screen).toContain('GET /ping HTTP/1.1');
    const bottom = [2, 1, 0].map((n) => s.lineFromBottom(screen, n).trim()).join(' ');
    expect(bottom).toContain('corrupt pcap record at byte offset 450 (frame 5)');
  });

  it('pages through 100,000 packets (the list is virtualized)', async () => {
    const file = bigCapture(10_000);
    const s = start(['-r', file]);
    await loaded(s, 100000);
    s.keys('G');
    let screen = await s.waitFor((t) => /Selected: 100000\b/.test(status(s, t)), 'the last packet');
    expect(screen).toMatch(/│100000 +9999\.002429 /);
    s.keys('PPage');
    screen = await s.waitFor((t) => !/Selected: 100000\b/.test(status(s, t)), 'page up');
    const selected = Number(/Selected: (\d+)/.exec(status(s, screen))?.[1]);
    expect(selected).toBeLessThan(100000);
    expect(selected).toBeGreaterThan(99950);
    s.keys('g', 'g');
    screen = await s.waitFor((t) => /Selected: 1\b/.test(status(s, t)), 'the first packet');
    expect(screen).toContain('[SYN]');
    s.keys('q', 'y');
    expect(await s.exitStatus()).toBe('EXIT=0');
  });
});
