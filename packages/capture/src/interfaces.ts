/**
 * Capture interfaces as libpcap lists them, numbered like `tshark -D`, and the resolution of an
 * `-i` argument (a name, a -D number, or macOS's `lo0`) to a device name.
 */
import { libpcap, type CapDevice } from './libpcap.js';
import { UnknownInterfaceError } from './live-errors.js';

export interface LiveInterface {
  /** 1-based, as `tshark -D` numbers it. */
  index: number;
  name: string;
  /** libpcap's description (pseudo-devices such as `any`, `nflog`). */
  description?: string;
  loopback: boolean;
  /** IPv4/IPv6 addresses, as text. */
  addresses: string[];
}

/** Interfaces libpcap can capture on, in pcap_findalldevs order (tshark -D's). */
export function listInterfaces(): LiveInterface[] {
  return libpcap().Cap.deviceList().map(toInterface);
}

function toInterface(d: CapDevice, i: number): LiveInterface {
  const iface: LiveInterface = {
    index: i + 1,
    name: d.name,
    loopback: d.flags === 'PCAP_IF_LOOPBACK',
    addresses: d.addresses.flatMap((a) => (a.addr ? [a.addr] : [])),
  };
  if (d.description) iface.description = d.description;
  return iface;
}

/**
 * Wireshark's friendly name: "Loopback" for the loopback device. (On Linux, tshark shows no other
 * descriptions: libpcap's are for pseudo-devices and tshark -D leaves them out.)
 */
export function friendlyName(i: LiveInterface): string | undefined {
  return i.loopback ? 'Loopback' : undefined;
}

/** One `tshark -D` line: `3. lo (Loopback)`. */
export function interfaceLine(i: LiveInterface): string {
  const friendly = friendlyName(i);
  return `${i.index}. ${i.name}${friendly ? ` (${friendly})` : ''}`;
}

/** The name tshark shows in "Capturing on ..." and drop counts: `Loopback: lo`, `eth0`. */
export function displayName(i: LiveInterface | undefined, name: string): string {
  const friendly = i ? friendlyName(i) : undefined;
  return friendly ? `${friendly}: ${name}` : name;
}

/** tshark's list of names: `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`. */
export function quotedList(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length <= 2) return q.join(' and ');
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

export interface ResolvedInterface {
  /** The device name libpcap opens. */
  name: string;
  /** As tshark shows it (`Loopback: lo`). */
  displayName: string;
  /** The listed interface, when libpcap lists it (devices such as `nflog:5` are not listed). */
  info?: LiveInterface;
  /** A remark for stderr when the argument was mapped (lo0 -> lo). */
  notice?: string;
}

/**
 * Resolves an `-i` argument: a -D number, a listed name, `lo0` on a system whose loopback has
 * another name, or any other name (passed to libpcap, which may know devices it does not list).
 * Throws UnknownInterfaceError for a number out of range.
 */
export function resolveInterface(arg: string, list: LiveInterface[] = listInterfaces()): ResolvedInterface {
  if (/^[0-9]+$/.test(arg) && !list.some((i) => i.name === arg)) {
    const info = list[Number(arg) - 1];
    if (!info) throw unknownInterface(arg, list);
    return { name: info.name, displayName: displayName(info, info.name), info };
  }
  const named = list.find((i) => i.name === arg);
  if (named) return { name: arg, displayName: displayName(named, arg), info: named };
  if (arg === 'lo0') {
    const lo = list.find((i) => i.loopback);
    if (lo) {
      return {
        name: lo.name,
        displayName: displayName(lo, lo.name),
        info: lo,
        notice: `lo0 is the macOS name of the loopback interface; capturing on ${lo.name}, the loopback interface here`,
      };
    }
  }
  return { name: arg, displayName: arg };
}

/** The error for a name or number that matches no interface. */
export function unknownInterface(arg: string, list: LiveInterface[]): UnknownInterfaceError {
  const names = list.map((i) => i.name);
  return new UnknownInterfaceError(arg, names, /^[0-9]+$/.test(arg) ? undefined : closestName(arg, names));
}

/** The candidate nearest to `name` by edit distance (ties: the first listed). */
export function closestName(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}
