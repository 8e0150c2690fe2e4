// A tiny authoritative DNS responder for the fixture captures (generate.sh): answers A, AAAA,
// CNAME, MX and TXT for a fixed zone over UDP and TCP, NXDOMAIN for other names, and echoes
// EDNS (OPT) when the query has it. Names in answers use compression pointers.
//
//   node dns-server.mjs [--port 53] [--host 127.0.0.1]
// Prints "ready" once both sockets listen; stops on SIGTERM/SIGINT.
import dgram from 'node:dgram';
import net from 'node:net';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const port = Number(opt('--port', '53'));
const host = opt('--host', '127.0.0.1');

const T = { A: 1, CNAME: 5, MX: 15, TXT: 16, AAAA: 28, OPT: 41 };
const zone = {
  'a.example': [
    [T.A, Buffer.from([192, 0, 2, 1])],
    [T.AAAA, Buffer.from('20010db8000000000000000000000001', 'hex')],
    [T.MX, 'mx'],
    [T.TXT, ['v=spf1 -all', 'second string', '']],
  ],
  'www.example': [[T.CNAME, 'a.example']],
  'mail.a.example': [[T.A, Buffer.from([192, 0, 2, 25])]],
};

/** Wire form of a name (no compression). */
function encodeName(name) {
  const parts = name.split('.').filter(Boolean).map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

function readName(msg, at) {
  const labels = [];
  for (let guard = 0; guard < 128 && at < msg.length; guard++) {
    const n = msg[at];
    if (n === 0) return { name: labels.join('.').toLowerCase(), end: at + 1 };
    if (n >= 0xc0) throw new Error('compressed question');
    labels.push(msg.toString('ascii', at + 1, at + 1 + n));
    at += 1 + n;
  }
  throw new Error('bad name');
}

function rr(nameWire, type, ttl, rdata) {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(1, 2);
  head.writeUInt32BE(ttl, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([nameWire, head, rdata]);
}

/** RDATA of a record; `qnamePtr` points at the question name for compression. */
function rdata(type, value, owner) {
  switch (type) {
    case T.CNAME:
      return encodeName(value);
    case T.MX: {
      // "mx" means mail.<owner>: the label "mail" then a pointer to the question name.
      const pref = Buffer.from([0, 10]);
      return Buffer.concat([pref, Buffer.from([4]), Buffer.from('mail'), Buffer.from([0xc0, 12])]);
    }
    case T.TXT:
      return Buffer.concat(value.map((s) => Buffer.concat([Buffer.from([s.length]), Buffer.from(s, 'ascii')])));
    default:
      return value;
  }
}

function answer(query) {
  const id = query.readUInt16BE(0);
  const flags = query.readUInt16BE(2);
  const { name, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const arcount = query.readUInt16BE(10);
  const answers = [];
  const records = zone[name];
  let owner = name;
  let ownerWire = Buffer.from([0xc0, 12]);
  if (records) {
    for (const [type, value] of records) {
      if (type === qtype || type === T.CNAME) answers.push(rr(ownerWire, type, 300, rdata(type, value, owner)));
      if (type === T.CNAME && qtype !== T.CNAME) {
        // Follow the alias within the zone.
        const target = zone[value] || [];
        for (const [t2, v2] of target) if (t2 === qtype) answers.push(rr(encodeName(value), t2, 300, rdata(t2, v2, value)));
      }
    }
  }
  const additional = [];
  if (arcount > 0) {
    const optRr = Buffer.from([0, 0, T.OPT, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]);
    additional.push(optRr);
  }
  const rcode = records ? 0 : 3;
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x8400 | (flags & 0x0100) | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  header.writeUInt16BE(0, 8);
  header.writeUInt16BE(additional.length, 10);
  return Buffer.concat([header, question, ...answers, ...additional]);
}

const udp = dgram.createSocket('udp4');
udp.on('message', (msg, rinfo) => {
  try {
    udp.send(answer(msg), rinfo.port, rinfo.address);
  } catch {
    // Not a query we understand: no answer, like a real server dropping garbage.
  }
});

const tcp = net.createServer((sock) => {
  let buf = Buffer.alloc(0);
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const len = buf.readUInt16BE(0);
      const msg = buf.subarray(2, 2 + len);
      buf = buf.subarray(2 + len);
      try {
        const out = answer(msg);
        const prefix = Buffer.alloc(2);
        prefix.writeUInt16BE(out.length, 0);
        sock.write(Buffer.concat([prefix, out]));
      } catch {
        sock.destroy();
      }
    }
  });
  sock.on('error', () => {});
});

let listening = 0;
const ready = () => {
  if (++listening === 2) console.log('ready');
};
udp.bind(port, host, ready);
tcp.listen(port, host, ready);
const stop = () => {
  udp.close();
  tcp.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
