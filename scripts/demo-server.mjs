#!/usr/bin/env node
// The walkthrough's server, without docker: answers `GET /ping` with `pong` (text/plain).
// Usage: node scripts/demo-server.mjs [--port 8080] [--host ::]
import http from 'node:http';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const port = Number(opt('--port', process.env.PORT ?? '8080'));
const host = opt('--host', '::');

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/ping') {
    // One end() call: headers and body leave in a single segment.
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('pong');
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
  }
});
server.on('error', (e) => {
  console.error(`demo-server: cannot listen on port ${port}: ${e.message}`);
  process.exit(1);
});
server.listen({ port, host, ipv6Only: false }, () => {
  console.log(`demo-server: listening on http://localhost:${port}/ping (Ctrl-C to stop)`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
