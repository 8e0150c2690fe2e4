/**
 * The packed packages work outside the workspace: `pnpm pack` @reef/capture and @reef/dissect,
 * `npm install` both tarballs into a scratch project in the temp directory (offline: they need
 * nothing from a registry; cap, the live-capture binding, is optional), then decode a fixture
 * there with plain Node through the package's public entry.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesDir } from '../../../test-fixtures/lib/paths.js';

const root = resolve(import.meta.dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'reef-pack-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // An empty npm cache: the install must need nothing but the two tarballs.
    env: { ...process.env, npm_config_nodedir: '', npm_config_cache: join(scratch, 'npm-cache') },
  });

describe('pnpm pack', () => {
  it('gives tarballs that install into a project outside the workspace and decode a capture there', () => {
    const out = join(scratch, 'tarballs');
    for (const pkg of ['capture', 'dissect']) run('pnpm', ['pack', '--pack-destination', out], join(root, 'packages', pkg));
    const tarballs = readdirSync(out).sort();
    expect(tarballs).toEqual(['reef-capture-0.1.0.tgz', 'reef-dissect-0.1.0.tgz']);

    const app = join(scratch, 'app');
    run('mkdir', ['-p', app], scratch);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--omit=optional', ...tarballs.map((t) => join(out, t))], app);

    writeFileSync(
      join(app, 'decode.mjs'),
      `import { readFile } from 'node:fs/promises';
import { loadDissector, openCapture, FilterSyntaxError } from '@reef/dissect';
const capture = openCapture(await loadDissector(), await readFile(process.argv[2]));
const { dissection } = capture.details(3);
let syntax = '';
try { capture.matches('tcp.port ==') } catch (e) { syntax = e instanceof FilterSyntaxError ? e.name : String(e) }
console.log(JSON.stringify({ count: capture.frameCount, rows: capture.rows(0, 4), http: capture.matches('http'), layers: dissection.tree.map((n) => n.field), syntax }));
capture.dispose();
`,
    );
    const result = JSON.parse(run('node', ['decode.mjs', join(fixturesDir, 'ping-http.pcap')], app));
    expect(result.count).toBe(10);
    expect(result.rows[0].slice(0, 6)).toEqual([1, '0.000000', '127.0.0.1', '127.0.0.1', 'TCP', 74]);
    expect(result.rows[3][4]).toBe('HTTP');
    expect(result.rows[3][6]).toBe('GET /ping HTTP/1.1 ');
    expect(result.http).toEqual([3, 5]);
    expect(result.layers).toEqual(['frame', 'eth', 'ip', 'tcp', 'http']);
    expect(result.syntax).toBe('FilterSyntaxError');
  });
});
