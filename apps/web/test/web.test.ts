/**
 * The browser viewer end to end: builds the page with Vite, serves the static files from a tiny
 * HTTP server on 127.0.0.1, and drives Debian's chromium headless with playwright-core: open a
 * fixture, check the rows and their colors, validate and apply a filter, select a packet, open
 * the TCP layer and check its highlighted bytes. Leaves a screenshot in apps/web/test-results/.
 * The page dissects in a Web Worker, so this also runs @reef/dissect's browser entry in a worker.
 * Skipped where /usr/bin/chromium is missing (scripts/setup.sh installs it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const appDir = resolve(import.meta.dirname, '..');
const fixture = resolve(appDir, '../../test-fixtures/captures/ping-http.pcapng');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

let outDir = '';
let server: Server | undefined;
let browser: Browser | undefined;
let page: Page;
let base = '';

describe.skipIf(!existsSync(CHROMIUM))('apps/web in chromium', () => {
  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'reef-web-'));
    execFileSync(process.execPath, [join(appDir, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
      cwd: appDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
      const file = join(outDir, path === '/' ? 'index.html' : path);
      if (!file.startsWith(outDir) || !existsSync(file) || !TYPES[extname(file)]) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('opens a capture, filters, and shows the TCP tree with its bytes highlighted', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base);
    await page.waitForSelector('body[data-ready]', { timeout: 10_000 });

    await page.setInputFiles('#file', fixture);
    await page.waitForFunction(() => document.querySelectorAll('#rows .row').length === 10);
    expect(await page.textContent('#status')).toBe('ping-http.pcapng: 10 packets');
    const fourth = await page.locator('#rows .row[data-index="3"] span').allTextContents();
    expect(fourth).toEqual(['4', '0.000494', '127.0.0.1', '127.0.0.1', 'HTTP', '148', 'GET /ping HTTP/1.1 ']);
    // Wireshark's coloring rules: "TCP SYN/FIN" (#a0a0a0) on the SYN, "HTTP" (#e4ffc7) on the request.
    expect(await page.locator('#rows .row[data-index="0"]').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(160, 160, 160)');
    expect(await page.locator('#rows .row[data-index="3"]').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(228, 255, 199)');

    // Live validation: red with tshark's message while typing, green once valid.
    await page.fill('#filter', 'tcp.prot == 80');
    await page.waitForSelector('#filter.invalid');
    expect(await page.textContent('#filter-error')).toBe('Left side of "==" expression must be a field or function, not tcp.prot.\ntcp.prot == 80\n^~~~~~~~');
    await page.fill('#filter', 'http');
    await page.waitForSelector('#filter.valid');
    expect(await page.isHidden('#filter-error')).toBe(true);
    await page.press('#filter', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('#rows .row').length === 2);
    expect(await page.locator('#rows .row span:first-child').allTextContents()).toEqual(['4', '6']);
    expect(await page.textContent('#status')).toBe('ping-http.pcapng: 10 packets, 2 displayed');

    await page.click('#rows .row[data-index="3"]');
    const tcp = page.locator('#details .node[data-field="tcp"]');
    expect(await tcp.textContent()).toContain('Transmission Control Protocol, Src Port: 37992, Dst Port: 8080, Seq: 1, Ack: 1, Len: 82');
    await tcp.locator('.twisty').click();
    expect(await page.locator('#details .node[data-field="tcp.srcport"]').textContent()).toContain('Source Port: 37992');
    // The TCP header is bytes 34..65 of the frame: 32 hex cells and 32 ASCII cells highlighted.
    const lit = await page.locator('#hex .b.hl').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.i)));
    expect(lit).toHaveLength(64);
    expect(Math.min(...lit)).toBe(34);
    expect(Math.max(...lit)).toBe(65);
    expect(await page.locator('#hex .b.hl').first().textContent()).toBe('94'); // 37992 = 0x9468

    // A click in the hex pane selects the deepest field there: the destination port (bytes 36-37).
    await page.locator('#hex .b[data-i="37"]').first().click();
    expect(await page.locator('#details .node.selected').getAttribute('data-field')).toBe('tcp.dstport');
    await page.locator('#details .node[data-field="tcp"] .label').click();

    mkdirSync(join(appDir, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(appDir, 'test-results/viewer.png') });
    expect(errors).toEqual([]);
  });

  it('opens a gzipped capture, and reports a file that is not a capture', async () => {
    await page.fill('#filter', '');
    const gz = join(outDir, 'ping-http.pcap.gz');
    writeFileSync(gz, gzipSync(readFileSync(fixture.replace(/\.pcapng$/, '.pcap'))));
    await page.setInputFiles('#file', gz);
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'ping-http.pcap.gz: 10 packets');
    await page.waitForFunction(() => document.querySelectorAll('#rows .row').length === 10);
    const notes = join(outDir, 'notes.txt');
    writeFileSync(notes, 'not a capture at all');
    await page.setInputFiles('#file', notes);
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('notes.txt: not a pcap or pcapng file'));
    expect(await page.locator('#rows .row').count()).toBe(0);
  });
});
