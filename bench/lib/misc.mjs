// The rest of the LAN's chatter for the capture generator: NTP polls, syslog messages and ARP.
// Each function is a session: it writes one packet per step and yields the delay (usec) before
// its next packet.
import { writeArp, writeUdp } from './wire.mjs';

const NTP_EPOCH_OFFSET = 2208988800; // seconds from 1900 to 1970
const NTP_LEN = 48;
const ntp = Buffer.alloc(NTP_LEN);
const text = Buffer.alloc(1024);

/** NTP timestamp of the capture clock at b[at...]. */
function ntpTime(b, at, out, skewUs = 0) {
  let usec = out.usec + skewUs;
  let sec = out.sec + Math.floor(usec / 1e6);
  usec = ((usec % 1e6) + 1e6) % 1e6;
  b.writeUInt32BE((sec + NTP_EPOCH_OFFSET) >>> 0, at);
  b.writeUInt32BE(Math.floor((usec * 4294967296) / 1e6) >>> 0, at + 4);
}

/** An NTPv4 client poll (mode 3) and the server's reply (mode 4). */
export function* ntpExchange(net, out, rng) {
  const client = rng.pick(net.clients4);
  const server = rng.pick(net.ntpServers);
  const sport = rng.chance(0.5) ? 123 : rng.int(32768, 60999);
  ntp.fill(0);
  ntp[0] = 0x23; // LI 0, version 4, client
  ntpTime(ntp, 40, out);
  const origin = Buffer.from(ntp.subarray(40, 48));
  writeUdp(out, client, server, sport, 123, 64, rng.u32(), ntp, NTP_LEN);
  yield rng.int(9000, 40000);

  ntp.fill(0);
  ntp[0] = 0x24; // LI 0, version 4, server
  ntp[1] = 2; // stratum
  ntp[2] = 6; // poll 64 s
  ntp[3] = 0xe9; // precision 2^-23
  ntp.writeUInt32BE(rng.int(0x100, 0x2000), 4); // root delay
  ntp.writeUInt32BE(rng.int(0x100, 0x4000), 8); // root dispersion
  ntp.writeUInt32BE(0xc0000201, 12); // reference id: the upstream server's IPv4 address
  ntpTime(ntp, 16, out, -rng.int(1e6, 60e6)); // reference time
  origin.copy(ntp, 24);
  ntpTime(ntp, 32, out, -rng.int(100, 2000)); // receive
  ntpTime(ntp, 40, out, -rng.int(1, 99)); // transmit
  writeUdp(out, server, client, 123, sport, 55, rng.u32(), ntp, NTP_LEN);
  yield 0;
}

const SYSLOG_APPS = [
  ['sshd', (rng) => `Accepted publickey for deploy from 10.1.1.${rng.int(20, 219)} port ${rng.int(40000, 60000)} ssh2`],
  ['nginx', (rng) => `10.1.1.${rng.int(20, 219)} - - "GET /status HTTP/1.1" 200 ${rng.int(100, 900)}`],
  ['kernel', (rng) => `eth0: link up, 1000 Mbps, full duplex, rx ${rng.int(1000, 9999)} tx ${rng.int(1000, 9999)}`],
  ['cron', (rng) => `(root) CMD (/usr/local/bin/backup --incremental --job ${rng.int(1, 40)})`],
  ['dhcpd', (rng) => `DHCPACK on 10.1.1.${rng.int(20, 219)} to 02:00:0a:01:00:${rng.int(16, 255).toString(16)} via eth1`],
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A short burst of BSD syslog lines from one host to the collector. */
export function* syslogBurst(net, out, rng) {
  const host = rng.pick(net.clients4);
  const sport = rng.chance(0.5) ? 514 : rng.int(32768, 60999);
  const hostname = `host${host.ip[2]}-${host.ip[3]}`;
  const n = rng.int(1, 4);
  for (let i = 0; i < n; i++) {
    const [app, msg] = rng.pick(SYSLOG_APPS);
    const d = new Date(out.sec * 1000);
    const stamp = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
    const pri = 8 * rng.pick([3, 4, 10, 16]) + rng.pick([3, 4, 5, 6]);
    const len = text.write(`<${pri}>${stamp} ${hostname} ${app}[${rng.int(100, 30000)}]: ${msg(rng)}`, 0, 'latin1');
    writeUdp(out, host, net.syslog, sport, 514, 64, rng.u32(), text, len);
    yield rng.int(50, 5000);
  }
}

/** A client asks for the router's MAC (or the router for a client's) and gets the reply. */
export function* arpExchange(net, out, rng) {
  const client = rng.pick(net.clients4);
  const [asker, owner] = rng.chance(0.5) ? [client, net.router4] : [net.router4, client];
  writeArp(out, asker, owner, false);
  yield rng.int(50, 400);
  writeArp(out, owner, asker, true);
  yield 0;
}
