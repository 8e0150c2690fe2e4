#!/usr/bin/env node
// `pnpm --filter tui start -r FILE` runs this in apps/tui: paths on the command line are the
// caller's, so work from where pnpm was invoked (INIT_CWD) before anything opens them.
if (process.env.npm_lifecycle_event === 'start' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
await import('../dist/main.js');
