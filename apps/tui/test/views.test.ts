/**
 * The analysis views of the real `reef` in a real terminal (tmux): conversations, follow stream,
 * the TCP flow ladder, capture file properties, expert info and protocol hierarchy. One session
 * per capture walks through all of them, so the whole file stays cheap.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './built.js';
import { Tmux, type TmuxSession } from './tmux.js';

const CAPTURES = new URL('../../../test-fixtures/captures/', import.meta.url).pathname;

const tmux = new Tmux(`reef-views-test-${process.pid}`);
let dir: string;
let exits = 0;
const open: TmuxSession[] = [];

function start(args: string[], size = { cols: 120, rows: 40 }): TmuxSession {
  const s = tmux.start(args, join(dir, `exit-${++exits}`), size);
  open.push(s);
  return s;
}

const status = (s: TmuxSession, screen: string) => s.lineFromBottom(screen, 0);
const title = (screen: string) => screen.split('\n')[0] ?? '';
/** The filter bar under the title: the applied (or edited) display filter. */
const filterBar = (screen: string) => screen.split('\n')[1] ?? '';
const loaded = (s: TmuxSession, n: number) => s.waitFor((t) => new RegExp(` ${n} packets *$`).test(title(t)), `${n} packets loaded`);

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'reef-views-test-'));
  tmux.startServer();
});
afterAll(() => {
  while (open.length) open.pop()!.kill();
  tmux.killServer();
  rmSync(dir, { recursive: true, force: true });
});

describe('views of a TCP capture (ping-http.pcap)', () => {
  let s: TmuxSession;
  beforeAll(async () => {
    // Wide enough for the path and the conversation filter in the title.
    s = start(['-r', join(CAPTURES, 'ping-http.pcap')], { cols: 200, rows: 40 });
    await loaded(s, 10);
  });

  it('conversations: tabs, sorting, and A → B applied as the display filter', async () => {
    s.keys('C');
    let screen = await s.waitFor('▶ Conversations');
    expect(screen).toMatch(/ TCP · 1 /);
    expect(screen).toMatch(/127\.0\.0\.1 +37992 +127\.0\.0\.1 +8080 +10 +929 bytes +6 +486 bytes +4 +443 bytes/);
    // The IPv4 tab, then sort by Packets (the 3rd column): the header shows the order.
    s.keys('BTab', 'BTab');
    screen = await s.waitFor(/Address A +Address B/, 'the IPv4 table');
    s.keys('l', 'l', 's');
    await s.waitFor(/▼Packets/, 'sorted by packets, descending');
    s.keys('Tab', 'Tab', 'a');
    screen = await s.waitFor('Apply as filter:');
    expect(screen).toContain('2 A → B');
    expect(screen).toContain('9 B → Any');
    s.keys('2');
    screen = await s.waitFor((t) => /Displayed: 6\b/.test(status(s, t)), 'the A → B filter applied');
    expect(filterBar(screen)).toContain('Filter: ip.src==127.0.0.1 && tcp.srcport==37992 && ip.dst==127.0.0.1');
    expect(screen).not.toContain('200 OK');
    expect(screen).toContain('GET /ping');
  });

  it('follow stream: both sides, hex mode, search, and back with tcp.stream eq 0 and the chunk\'s packet', async () => {
    // Under the A → B filter the GET (frame 4) is the third row.
    s.keys('j', 'j');
    await s.waitFor((t) => /Selected: 4\b/.test(status(s, t)), 'the GET selected');
    s.keys('S');
    let screen = await s.waitFor('Follow TCP Stream (tcp.stream eq 0)');
    expect(screen).toContain('Client 127.0.0.1:37992  1 pkt(s)');
    expect(screen).toContain('Server 127.0.0.1:8080  1 pkt(s)');
    expect(screen).toMatch(/│GET \/ping HTTP\/1\.1 +│\n│Host: 127\.0\.0\.1:8080/);
    expect(screen).toMatch(/│Accept: \*\/\* +│\n│ +│\n│HTTP\/1\.1 200 OK/);
    // Client red, server blue.
    const colored = s.screen(true);
    expect(colored).toMatch(/\x1b\[31mHost: 127/);
    expect(colored).toMatch(/\x1b\[34mHTTP\/1\.1 200 OK/);
    s.keys('x');
    screen = await s.waitFor('00000000  47 45 54 20 2f 70 69 6e  67 20 48 54 54 50 2f 31  GET /ping HTTP/1');
    expect(screen).toContain('    00000000  48 54 54 50 2f 31 2e 31  20 32 30 30 20 4f 4b 0d  HTTP/1.1 200 OK.');
    s.keys('s');
    screen = await s.waitFor((t) => !t.includes('GET /ping HTTP/1'), 'the server side only');
    s.keys('e', 'a', '/', 'p', 'o', 'n', 'g', 'Enter');
    screen = await s.waitFor((t) => /Frame: 6\b/.test(status(s, t)), 'the search to land on the response');
    s.keys('Enter');
    screen = await s.waitFor((t) => /Selected: 6\b/.test(status(s, t)) && t.includes('▶ Packet List'), 'back on the list at frame 6');
    expect(filterBar(screen)).toContain('Filter: tcp.stream eq 0');
    expect(status(s, screen)).toMatch(/Displayed: 10\b/);
  });

  it('flow: the handshake as a ladder with both endpoints\' states', async () => {
    s.keys('g', 'g', 'F');
    const screen = await s.waitFor('Flow: TCP stream 0');
    expect(screen).toContain('Client (A) 127.0.0.1:37992');
    expect(screen).toContain('Server (B) 127.0.0.1:8080');
    expect(screen).toMatch(/ 1 +0\.000000 +SYN_SENT +│─+ SYN  Seq=0 Len=0 ─+▶│ LISTEN/);
    expect(screen).toMatch(/seq 285403562 ack 0 +Connection establish request \(SYN\)/);
    expect(screen).toMatch(/ 2 +0\.000014 +ESTABLISHED +│◀─+ SYN, ACK  Seq=0 Ack=1 Len=0 ─+│ SYN_RECEIVED/);
    // The SYN-ACK acknowledges the client's ISN + 1.
    expect(screen).toContain('seq 948814560 ack 285403563');
    expect(screen).toMatch(/ 3 +0\.000026 +ESTABLISHED +│─+ ACK  Seq=1 Ack=1 Len=0 ─+▶│ ESTABLISHED/);
    expect(screen).toMatch(/ 8 .*FIN_WAIT_1 .*FIN, ACK .*CLOSE_WAIT/);
    s.keys('j', 'j', 'Enter');
    await s.waitFor((t) => /Selected: 3\b/.test(status(s, t)) && t.includes('▶ Packet List'), 'Enter selects frame 3');
  });

  it('capture file properties, expert info and protocol hierarchy', async () => {
    s.keys('I');
    let screen = await s.waitFor('Capture File Properties');
    expect(screen).toContain('File type:           Wireshark/tcpdump/... - pcap');
    expect(screen).toContain('File encapsulation:  Ethernet');
    expect(screen).toContain('Number of packets:   10');
    expect(screen).toContain('File size:           1113 bytes');
    expect(screen).toContain('Data size:           929 bytes');
    expect(screen).toContain('Capture duration:    0.002429 seconds');
    expect(screen).toContain('Data byte rate:      382 kBps');
    expect(screen).toContain('Average packet size: 92.90 bytes');
    s.keys('q', 'E');
    screen = await s.waitFor('Expert Information');
    expect(screen).toContain('Notes (2)');
    expect(screen).toContain('Chats (6)');
    expect(screen).toMatch(/2 +Sequence +TCP +Connection finish \(FIN\)/);
    s.keys('q', 'H');
    // The title is drawn before the rows: wait for the last row the test reads.
    screen = await s.waitFor((t) => t.includes('Protocol Hierarchy Statistics') && /│      http +20\.0 %/.test(t), 'the hierarchy rows');
    expect(screen).toMatch(/│eth +100\.0 % +10 +100\.0 % +929/);
    expect(screen).toMatch(/│      http +20\.0 % +2 +41\.4 % +385/);
    s.keys('Escape');
    await s.waitFor('▶ Packet List');
  });
});

describe('views of a UDP capture, on a 100x30 terminal', () => {
  it('follows the UDP stream and filters udp.stream eq 0; the flow view wants TCP', async () => {
    const s = start(['-r', join(CAPTURES, 'udp-echo.pcap'), 'udp'], { cols: 100, rows: 30 });
    let screen = await s.waitFor((t) => / \d+ packets *$/.test(title(t)) && /Displayed: \d+/.test(t), 'loaded with the display filter');
    expect(filterBar(screen)).toMatch(/Filter: udp +applied: \d+ of \d+/);
    s.keys('F');
    screen = await s.waitFor('Flow: select a TCP packet first');
    s.keys('S');
    screen = await s.waitFor('Follow UDP Stream (udp.stream eq 0)');
    expect(screen).toMatch(/Client 127\.0\.0\.1:54347 +\d+ pkt\(s\)/);
    expect(screen.split('\n').every((l) => l.length <= 100)).toBe(true);
    s.keys('q');
    screen = await s.waitFor((t) => filterBar(t).includes('Filter: udp.stream eq 0'), 'udp.stream filter');
    // The `:` command opens the same view as C.
    s.keys(':');
    s.type('convs');
    s.keys('Enter');
    screen = await s.waitFor('▶ Conversations');
    s.keys('Tab');
    screen = await s.waitFor(/ UDP · 1 /, 'the UDP tab');
    expect(screen).toMatch(/127\.0\.0\.1 +54347 +127\.0\.0\.1 +9999/);
    // Prepare "A ↔ B ...and Selected": in the filter bar, combined with the applied filter, not applied yet.
    s.keys('p', '1', '3');
    screen = await s.waitFor((t) => status(s, t).includes('Prepared filter'), 'the prepared filter');
    // Being edited, the bar shows the end of the long filter (where the cursor is).
    expect(filterBar(screen)).toContain('&& udp.port==54347 && ip.addr==127.0.0.1 && udp.port==9999)');
    expect(filterBar(screen)).not.toContain('applied:');
    s.keys('Enter');
    // The filter bar says "applied" when the pass ends; the status bar follows on the next draw.
    screen = await s.waitFor(
      (t) => /applied: \d+ of \d+/.test(filterBar(t)) && /Displayed \d+ of \d+ packets/.test(status(s, t)),
      'the prepared filter applied',
    );
    expect(filterBar(screen)).toContain('Filter: (udp.stream eq 0) && (ip.addr==127.0.0.1 && udp.port==54347');
  });
});
