/** Builds dist/ when any source file is newer than it (the tmux tests run the built program). */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function ensureBuilt(): void {
  const app = new URL('..', import.meta.url).pathname;
  const out = join(app, 'dist/main.js');
  const newest = (d: string): number =>
    Math.max(0, ...readdirSync(d, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs)));
  if (existsSync(out) && statSync(out).mtimeMs >= newest(join(app, 'src'))) return;
  execFileSync(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', join(app, 'tsconfig.json')], { stdio: 'inherit' });
}
