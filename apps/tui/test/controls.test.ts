/**
 * The TUI's controls in a real terminal (tmux): the display filter bar (validity colors,
 * completions, applying), coloring rules, counts, marks, search, the `:` command line, layouts,
 * mouse, help; the launch options (-Y, -t, a filter after the file); and untrusted bytes
 * (escape sequences in packets) shown escaped. One session carries many assertions.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REEF_BIN, Tmux, type TmuxSession } from './tmux.js';

const FIXTURE = new URL('../../../test-fixtures/captures/ping-http.pcap', import.meta.url).pathname;

const tmux = new Tmux(`reef-controls-test-${process.pid}`);
let dir: string;
let exits = 0;
const open: TmuxSession[] = [];

function start(args: string[], size?: { cols: number; rows: number }, env?: Record<string, string>): TmuxSession {
  const s = tmux.start(args, join(dir, `exit-${++exits}`), size, undefined, env);
  open.push(s);
  return s;
}

const status = (s: TmuxSession, screen: string) => s.lineFromBottom(screen, 0);
const selected = (s: TmuxSession, n: number) => (t: string) => new RegExp(`Selected: ${n}\\b`).test(status(s, t));
/** The screen's second line: the filter bar. */
const filterLine = (screen: string) => screen.split('\n')[1] ?? '';

function loaded(s: TmuxSession, n: number): Promise<string> {
  return s.waitFor((t) => !t.split('\n')[0]!.includes('loading') && new RegExp(` ${n} packets? *$`).test(t.split('\n')[0]!), `${n} packets loaded`);
}

/** One HTTP request and one DNS query whose header and name carry terminal escape sequences. */
function escapesCapture(): string {
  const ipv4 = (proto: number, payload: Buffer) => {
    const h = Buffer.alloc(20);
    h[0] = 0x45;
    h.writeUInt16BE(20 + payload.length, 2);
    h[8] = 64;
    h[9] = proto;
    Buffer.from([10, 0, 0, 1]).copy(h, 12);
    Buffer.from([10, 0, 0, 2]).copy(h, 16);
    return Buffer.concat([Buffer.from('0000000000020000000000010800', 'hex'), h, payload]);
  };
  const tcp = (data: Buffer) => {
    const t = Buffer.alloc(20);
    t.writeUInt16BE(40000, 0);
    t.writeUInt16BE(80, 2);
    t.writeUInt32BE(1, 4);
    t.writeUInt32BE(1, 8);
    t[12] = 0x50;
    t[13] = 0x18;
    t.writeUInt16BE(65535, 14);
    return Buffer.concat([t, data]);
  };
  const udp = (data: Buffer) => {
    const u = Buffer.alloc(8);
    u.writeUInt16BE(40001, 0);
    u.writeUInt16BE(53, 2);
    u.writeUInt16BE(8 + data.length, 4);
    return Buffer.concat([u, data]);
  };
  const ESC = '\x1b';
  const http = Buffer.from(`GET /${ESC}[31mred HTTP/1.1\r\nHost: example.com\r\nX-Evil: ${ESC}[31mRED${ESC}]0;pwned${ESC}\\ ${ESC}[2J\r\n\r\n`, 'latin1');
  const label = Buffer.from(`${ESC}[31mevil`, 'latin1');
  const dns = Buffer.concat([Buffer.from('123401000001000000000000', 'hex'), Buffer.from([label.length]), label, Buffer.from([7]), Buffer.from('example'), Buffer.from([0, 0, 1, 0, 1])]);
  const parts = [Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex')];
  [ipv4(6, tcp(http)), ipv4(17, udp(dns))].forEach((f, i) => {
    const r = Buffer.alloc(16);
    r.writeUInt32LE(1700000000 + i, 0);
    r.writeUInt32LE(f.length, 8);
    r.writeUInt32LE(f.length, 12);
    parts.push(r, f);
  });
  const path = join(dir, 'escapes.pcap');
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reef-controls-test-'));
  tmux.startServer();
});

afterAll(() => {
  while (open.length) open.pop()!.kill();
  tmux.killServer();
  rmSync(dir, { recursive: true, force: true });
});

describe('launch options', () => {
  it('rejects an invalid display filter with one line and exit status 4, before any file is read', () => {
    const r = spawnSync(process.execPath, [REEF_BIN, '-r', join(dir, 'missing.pcap'), '-Y', 'tcp.porrt == 1'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(4);
    expect(r.stderr).toBe('reef: invalid display filter "tcp.porrt == 1": Left side of "==" expression must be a field or function, not tcp.porrt.\n');
    const t = spawnSync(process.execPath, [REEF_BIN, '-r', FIXTURE, '-t', 'x'], { encoding: 'utf8', timeout: 30_000 });
    expect(t.status).toBe(1);
    expect(t.stderr).toMatch(/^reef: invalid time stamp type "x"; it must be one of: a, ad, adoy, d, dd, e, r, u, ud, udoy/);
  });

  it('applies the words after -r FILE as a display filter, and -t sets the Time column', async () => {
    const s = start(['-t', 'ud', '-r', FIXTURE, 'tcp.port', '==', '8080', '&&', 'http']);
    const screen = await s.waitFor((t) => filterLine(t).includes('applied: 2 of 10'), 'the filter applied');
    expect(filterLine(screen)).toContain('tcp.port == 8080 && http');
    expect(screen).toContain('GET /ping HTTP/1.1');
    expect(screen).not.toContain('[SYN]');
    // -t ud: UTC date and time of day.
    expect(screen).toMatch(/│ +4 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} 127\.0\.0\.1/);
    s.kill();
  });
});

describe('controls in a terminal', () => {
  it('filter bar, completion, coloring, counts, marks, search, commands, layouts, mouse, help', async () => {
    const s = start(['-r', FIXTURE], { cols: 120, rows: 40 }, { COLORTERM: 'truecolor' });
    let screen = await loaded(s, 10);
    expect(filterLine(screen)).toMatch(/^ Filter:/);

    // Packets are colored by Wireshark's rules, in 24-bit color: TCP (#e7e6ff) and SYN (#a0a0a0).
    screen = s.screen(true);
    expect(screen).toContain('48;2;231;230;255');
    expect(screen).toContain('48;2;160;160;160');
    // The selected row is drawn in the selection colors instead, readable.
    expect(screen).toMatch(/\x1b\[30m\x1b\[46m +1 0\.000000/);
    // The selected row in full under the list.
    expect(s.screen()).toContain('127.0.0.1 -> 127.0.0.1  TCP  37992 → 8080 [SYN] Seq=0 Win=65495 Len=0 MSS=65495 SACK_PERM TSval=3922696958 TSecr=0 WS=');

    // `/` and an unknown field: red, with the compiler's message.
    s.keys('/');
    s.type('tcp.porrt');
    screen = await s.waitFor((t) => filterLine(t).includes('tcp.porrt is neither a field nor a protocol name.'), 'the error');
    expect(filterLine(s.screen(true))).toMatch(/\x1b\[37m\x1b\[41mtcp\.porrt/);
    // Back to `tcp.p`: the drop-down offers fields from the registry.
    s.keys('BSpace', 'BSpace', 'BSpace', 'BSpace');
    screen = await s.waitFor('Source or Destination Port', 'completions');
    expect(screen).toMatch(/│tcp\.port +Source or Destination Port/);
    s.keys('Tab');
    s.type(' == 8080 && http');
    await s.waitFor((t) => filterLine(t).includes('tcp.port == 8080 && http') && !t.includes('Source or Destination Port'), 'completed');
    expect(filterLine(s.screen(true))).toMatch(/\x1b\[30m\x1b\[42mtcp\.port == 8080 && http/);
    s.keys('Enter');
    screen = await s.waitFor((t) => /Displayed 2 of 10 packets/.test(status(s, t)), 'the filter applied');
    expect(screen).toContain('GET /ping HTTP/1.1');
    expect(screen).toContain('200 OK');
    expect(screen).not.toContain('[SYN]');
    expect(filterLine(screen)).toContain('applied: 2 of 10');

    // `:` with tab completion clears it; the selection stays on the packet it was on.
    s.keys('j', ':');
    s.type('clear-f');
    s.keys('Tab');
    await s.waitFor(/^:clear-filter\s*$/m, 'command completed');
    s.keys('Enter');
    screen = await s.waitFor((t) => t.includes('[SYN]') && selected(s, 6)(t), 'all packets again, frame 6 still selected');
    expect(status(s, screen)).not.toContain('Displayed');

    // Marks and counts.
    s.keys('m', 'a');
    await s.waitFor((t) => status(s, t).includes('mark a: packet 6'), 'mark set');
    s.keys('g', 'g', '3', 'j');
    await s.waitFor(selected(s, 4), '3j');
    s.keys('9', 'G');
    await s.waitFor(selected(s, 9), '9G');
    s.keys("'", 'a');
    screen = await s.waitFor(selected(s, 6), "'a");
    expect(status(s, screen)).toMatch(/Marked: 1\b/);
    s.keys("'", "'");
    await s.waitFor(selected(s, 9), "''");

    // ctrl-f: a string (in the row or the bytes), then hex bytes and a display filter; n/N.
    s.keys('C-f');
    await s.waitFor('Search [string]:', 'the search prompt');
    s.type('pong');
    s.keys('Enter');
    await s.waitFor((t) => status(s, t).includes('Found in packet 6'), 'pong found');
    s.keys('C-f', 'Tab', 'Tab');
    await s.waitFor('Search [hex]:', 'hex search');
    s.type('47 45 54');
    s.keys('Enter');
    await s.waitFor((t) => status(s, t).includes('Found in packet 4'), 'GET found');
    s.keys('C-f', 'Tab');
    await s.waitFor('Search [filter]:', 'filter search');
    s.type('tcp.flags.fin == 1');
    s.keys('Enter');
    await s.waitFor((t) => status(s, t).includes('Found in packet 8'), 'first FIN');
    s.keys('n');
    await s.waitFor((t) => status(s, t).includes('Found in packet 9'), 'next FIN');
    s.keys('N');
    await s.waitFor((t) => status(s, t).includes('Found in packet 8'), 'previous FIN');

    // Layouts: `|` puts details and bytes side by side; `\` maximizes the focused pane.
    s.keys('|');
    screen = await s.waitFor((t) => /Packet Details ─+┐┌─ Packet Bytes/.test(t), 'bytes on the right');
    s.keys('\\');
    screen = await s.waitFor((t) => !t.includes('Packet Details'), 'list maximized');
    expect(screen).toContain('Packet List');
    s.keys('\\', ':');
    s.type('set layout stacked');
    s.keys('Enter');
    await s.waitFor((t) => /└─+┘\n.*\n┌─ Packet Details ─+┐\n/.test(t), 'stacked again');
    s.keys(':');
    s.type('nosuch');
    s.keys('Enter');
    await s.waitFor((t) => status(s, t).includes('unknown command "nosuch"'), 'unknown command');

    // Mouse: a click on the third row selects frame 3 (an SGR mouse report, as a terminal sends).
    s.type('\x1b[<0;10;7M\x1b[<0;10;7m');
    await s.waitFor(selected(s, 3), 'clicked row');
    s.type('\x1b[<65;10;7M');
    await s.waitFor(selected(s, 6), 'wheel down');

    // Help lists keys and commands from the tables.
    s.keys('?');
    screen = await s.waitFor('Help (j/k scroll', 'help');
    for (const text of ['ctrl-f', 'm a-z', 'Z Z', 'tab / shift-tab', 'C S F I E H']) expect(screen).toContain(text);
    s.keys('PageDown');
    screen = await s.waitFor(':clear-filter', 'help scrolled to the commands');
    expect(screen).toMatch(/C +conversations/);
    s.keys('PageDown');
    screen = await s.waitFor(':quit, :q', 'help scrolled to the end');
    for (const text of [':set KEY VALUE', ':convs', ':streams', ':hierarchy, :phs']) expect(screen).toContain(text);
    s.keys('Escape');
    await s.waitFor((t) => !t.includes('Help (j/k'), 'help closed');
    s.keys('Z', 'Z');
    expect(await s.exitStatus()).toBe('EXIT=0');
  });

  it('shows escape sequences from packets escaped, at 80x24 and after a resize', async () => {
    const s = start(['-r', escapesCapture()], { cols: 80, rows: 24 });
    let screen = await loaded(s, 2);
    expect(screen).toContain('GET /\\x1b[31mred HTTP/1.1');
    // The DNS Info is cut at 80 columns; selected, it shows in full under the list.
    s.keys('j');
    screen = await s.waitFor(selected(s, 2), 'the DNS query');
    expect(screen).toContain('10.0.0.1 -> 10.0.0.2  DNS  Standard query 0x1234 A \\x1b[31mevil.example');
    s.keys('k');
    // The header in the details: G goes to the last top-level node (HTTP), enter opens it.
    s.keys('Tab', 'G', 'Enter');
    screen = await s.waitFor('X-Evil', 'the HTTP header');
    expect(screen).toContain('X-Evil: \\x1b[31mRED\\x1b]0;pwned\\x1b\\\\ \\x1b[2J');
    // Nothing from the packet colored the screen red or moved it: no SGR 31 anywhere.
    expect(s.screen(true)).not.toMatch(/\x1b\[(?:[0-9;]*;)?31m/);
    expect(screen.split('\n').every((l) => l.length <= 80)).toBe(true);
    expect(screen.split('\n')[0]).toMatch(/^ reef — /);
    s.resize(100, 30);
    screen = await s.waitFor((t) => t.split('\n').some((l) => l.length > 80), 'redrawn wider');
    expect(screen).toContain('X-Evil: \\x1b[31mRED');
    expect(screen).toMatch(/└─+┘\n Packets: 2 /);
    s.keys('Z', 'Z');
    expect(await s.exitStatus()).toBe('EXIT=0');
  });
});
