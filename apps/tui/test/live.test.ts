/**
 * The TUI on a pipe and on a live interface, in a real terminal (tmux). Live capture needs root
 * or CAP_NET_RAW: CI runs as root; elsewhere those tests are skipped with the reason.
 */
import { createServer, get, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCaptureFile } from '@reef/capture';
import { Tmux, type TmuxSession } from './tmux.js';

const FIXTURE = new URL('../../../test-fixtures/captures/ping-http.pcap', import.meta.url).pathname;
const isRoot = process.getuid?.() === 0;

const tmux = new Tmux(`reef-live-test-${process.pid}`);
let dir: string;
let exits = 0;
const open: TmuxSession[] = [];

function start(args: string[], stdinFile?: string): TmuxSession {
  const s = tmux.start(args, join(dir, `exit-${++exits}`), { cols: 120, rows: 40 }, stdinFile);
  open.push(s);
  return s;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reef-live-test-'));
  tmux.startServer();
});
afterEach(() => {
  while (open.length) open.pop()!.kill();
});
afterAll(() => {
  tmux.killServer();
  rmSync(dir, { recursive: true, force: true });
});

describe('a capture piped on stdin', () => {
  it('reads the packets from the pipe and the keys from the terminal', async () => {
    const s = start([], FIXTURE);
    const screen = await s.waitFor(/reef .* stdin .* 10 packets/, 'stdin loaded');
    expect(screen).toContain('GET /ping HTTP/1.1');
    s.keys('j', 'j', 'j');
    await s.waitFor('Selected: 4');
    s.keys('q');
    await s.waitFor('Quit? (y/n)');
    s.keys('y');
    expect(await s.exitStatus()).toBe('EXIT=0');
  });
});

describe.skipIf(!isRoot)('live capture on lo (root)', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === '/ping' ? 200 : 404, { 'content-type': 'text/plain' });
      res.end(req.url === '/ping' ? 'pong' : 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('shows the /ping exchange as it happens, counts drops, stops on ctrl-c and leaves a valid -w file', async () => {
    const out = join(dir, 'live.pcapng');
    const s = start(['-i', 'lo', '-w', out, `tcp port ${port}`]);
    await s.waitFor(/capturing/, 'the capture to start');
    expect((await s.waitFor('Dropped:')).split('\n')[0]).toContain('Loopback: lo -> ');
    const body = await new Promise<string>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/ping', agent: false }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    expect(body).toBe('pong');
    const screen = await s.waitFor(/HTTP\/1\.1 200 OK/, 'the response to be listed');
    expect(screen).toMatch(/\[SYN\] Seq=0/);
    expect(screen).toMatch(/\[SYN, ACK\] Seq=0 Ack=1/);
    expect(screen).toContain('GET /ping HTTP/1.1');
    s.keys('C-c');
    await s.waitFor('capture stopped');
    s.keys('q');
    await s.waitFor('Quit? (y/n)');
    s.keys('y');
    expect(await s.exitStatus()).toBe('EXIT=0');

    const file = await openCaptureFile(out);
    let frames = 0;
    for await (const b of file) frames += b.count;
    expect(file.format).toBe('pcapng');
    expect(file.interfaces[0]?.name).toBe('lo');
    expect(frames).toBeGreaterThanOrEqual(6);
  }, 60_000);

  it('maps the macOS name lo0 to lo', async () => {
    const s = start(['-i', 'lo0', `tcp port ${port}`]);
    // The counters arrive after the first second: by then the keys are the program's.
    expect((await s.waitFor('Dropped: 0')).split('\n')[0]).toContain('Loopback: lo');
    s.keys('C-c');
    await s.waitFor('capture stopped');
    // Without -w the capture went to a temporary file: quitting offers to delete it, also
    // through ZZ, which otherwise quits without asking.
    s.keys('Z', 'Z');
    await s.waitFor('Quit. The capture is in the temporary file');
    s.keys('d');
    expect(await s.exitStatus()).toBe('EXIT=0');
  }, 30_000);
});
