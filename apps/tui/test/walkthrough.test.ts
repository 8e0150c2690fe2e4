/**
 * The walkthrough of issue 8, end to end as a user does it (root: live capture on lo): the
 * /ping demo server, `reef -i lo -w test.pcap`, `curl /ping`, stop, quit keeping the file,
 * `reef -r test.pcap tcp.port==PORT`, then the handshake in the list, the details and the flow
 * view. Also: without -w the capture goes to a temporary file that quitting offers to delete,
 * and a display filter applies to packets as they are captured.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './built.js';
import { Tmux, type TmuxSession } from './tmux.js';

const isRoot = process.getuid?.() === 0;
const DEMO_SERVER = new URL('../../../scripts/demo-server.mjs', import.meta.url).pathname;

const tmux = new Tmux(`reef-walkthrough-test-${process.pid}`);
let dir: string;
let exits = 0;
const open: TmuxSession[] = [];
let server: ChildProcess | undefined;
let port = 0;

function start(args: string[], size = { cols: 140, rows: 44 }): TmuxSession {
  const s = tmux.start(args, join(dir, `exit-${++exits}`), size);
  open.push(s);
  return s;
}

const status = (s: TmuxSession, screen: string) => s.lineFromBottom(screen, 0);

/** A port nobody listens on (8080 may be taken on a shared machine). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

/** The demo server (`pnpm demo:server`), started as the walkthrough does. */
async function startDemoServer(): Promise<void> {
  port = await freePort();
  server = spawn(process.execPath, [DEMO_SERVER, '--port', String(port), '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    server!.stdout!.on('data', (d: Buffer) => (d.toString().includes('listening') ? resolve() : undefined));
    server!.once('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
  });
}

describe.skipIf(!isRoot)('the walkthrough (root)', () => {
  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'reef-walkthrough-'));
    tmux.startServer();
    await startDemoServer();
  });
  afterAll(() => {
    while (open.length) open.pop()!.kill();
    tmux.killServer();
    server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('captures GET /ping on lo, keeps test.pcap, and shows the handshake from it', async () => {
    const out = join(dir, 'test.pcap');
    const live = start(['-i', 'lo', '-w', out]);
    // The counters arrive after the first second: by then the capture runs and the keys are the program's.
    await live.waitFor('Dropped:', 'the capture to run');
    const body = execFileSync('curl', ['-s', `http://localhost:${port}/ping`], { encoding: 'utf8' });
    expect(body).toBe('pong');
    await live.waitFor(/HTTP\/1\.1 200 OK/, 'the response to be listed');
    live.keys('C-c');
    await live.waitFor('capture stopped');
    live.keys('q');
    const question = await live.waitFor('Quit? (y/n)');
    expect(question).toContain('The capture is saved in');
    expect(question).toContain(out);
    live.keys('y');
    expect(await live.exitStatus()).toBe('EXIT=0');
    expect(existsSync(out)).toBe(true);

    // Tall enough for the SYN-ACK's raw acknowledgment number under the expanded TCP header.
    const s = start(['-r', out, `tcp.port==${port}`], { cols: 140, rows: 50 });
    let screen = await s.waitFor((t) => /Displayed: \d+/.test(status(s, t)) && /\d+ packets *$/.test(t.split('\n')[0]!) && t.includes('200 OK'), 'the filtered capture');
    expect(screen.split('\n')[1]).toContain(`Filter: tcp.port==${port}`);
    expect(screen).toMatch(/→ \d+ \[SYN\] Seq=0 /);
    expect(screen).toMatch(/→ \d+ \[SYN, ACK\] Seq=0 Ack=1 /);
    expect(screen).toMatch(/→ \d+ \[ACK\] Seq=1 Ack=1 /);
    expect(screen).toContain('GET /ping HTTP/1.1');
    expect(screen).toContain('HTTP/1.1 200 OK');

    // The SYN's details: open TCP, read the raw and relative sequence numbers.
    s.keys('g', 'g', 'Tab');
    await s.waitFor('▶ Packet Details');
    for (let i = 0; i < 20 && !/\btcp \(\d+ bytes\)/.test(status(s, s.screen())); i++) {
      const before = status(s, s.screen());
      s.keys('j');
      await s.waitFor((t) => status(s, t) !== before, 'the tree cursor to move');
    }
    s.keys('Enter');
    screen = await s.waitFor('Sequence Number (raw):', 'TCP expanded');
    expect(screen).toContain('Sequence Number: 0    (relative sequence number)');
    const isn = Number(/Sequence Number \(raw\): (\d+)/.exec(screen)![1]);

    // The SYN-ACK acknowledges ISN + 1 (TCP stays expanded when the selection moves).
    s.keys('BTab', 'j');
    screen = await s.waitFor((t) => /Acknowledgment number \(raw\): \d+/.test(t) && t.includes('[SYN, ACK]') && /Selected: \d+/.test(status(s, t)) && t.includes('Acknowledgment Number: 1    (relative ack number)'), 'the SYN-ACK');
    expect(Number(/Acknowledgment number \(raw\): (\d+)/.exec(screen)![1])).toBe((isn + 1) % 2 ** 32);

    // The flow view: the three handshake steps and ESTABLISHED on both sides.
    s.keys('F');
    screen = await s.waitFor(/Flow: TCP stream \d+/);
    expect(screen).toMatch(/SYN_SENT +│─+ SYN  Seq=0 Len=0 ─+▶│ LISTEN/);
    expect(screen).toMatch(/ESTABLISHED +│◀─+ SYN, ACK  Seq=0 Ack=1 Len=0 ─+│ SYN_RECEIVED/);
    expect(screen).toMatch(/ESTABLISHED +│─+ ACK  Seq=1 Ack=1 Len=0 ─+▶│ ESTABLISHED/);
    expect(screen).toContain(`seq ${isn} ack 0`);
    s.keys('q', 'q', 'y');
    expect(await s.exitStatus()).toBe('EXIT=0');
  }, 60_000);

  it('without -w, captures to a temporary file and deletes it when asked; -Y filters live packets', async () => {
    const s = start(['-i', 'lo', '-Y', 'http', `tcp port ${port}`]);
    let screen = await s.waitFor('Dropped:', 'the capture to run');
    const temp = /-> (\S+\.pcapng)/.exec(screen.split('\n')[0]!)?.[1];
    expect(temp).toBeDefined();
    execFileSync('curl', ['-s', `http://localhost:${port}/ping`]);
    screen = await s.waitFor((t) => /HTTP\/1\.1 200 OK/.test(t) && /Displayed: 2\b/.test(status(s, t)), 'the response to be listed');
    // The display filter applies to packets as they are captured: the handshake is not listed.
    expect(screen).toContain('GET /ping HTTP/1.1');
    expect(screen).not.toContain('[SYN]');
    s.keys('C-c');
    await s.waitFor('capture stopped');
    s.keys('q');
    await s.waitFor('Quit. The capture is in the temporary file');
    expect(existsSync(temp!)).toBe(true);
    s.keys('d');
    expect(await s.exitStatus()).toBe('EXIT=0');
    expect(existsSync(temp!)).toBe(false);
    expect(readdirSync(tmpdir()).filter((f) => temp!.endsWith(f))).toEqual([]);
  }, 30_000);
});
