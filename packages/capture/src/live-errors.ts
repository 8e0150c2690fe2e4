/** Errors of live capture: one line each, naming the interface and what to do about it. */

export type LiveErrorCode =
  /** The libpcap binding is missing or not the patched build. */
  | 'libpcap-unavailable'
  /** No interface by that name or number. */
  | 'no-such-device'
  /** Opening the device needs privileges this process lacks. */
  | 'permission-denied'
  /** The capture filter does not compile. */
  | 'bad-filter'
  /** The interface exists but is down. */
  | 'interface-down'
  /** Any other libpcap failure while opening. */
  | 'open-failed'
  /** The device failed while capturing (e.g. it went away). */
  | 'device-failed';

/** The command that lets a non-root user capture with node (printed with permission errors). */
export const SETCAP_COMMAND = 'sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which node))';

export class LiveCaptureError extends Error {
  override readonly name: string = 'LiveCaptureError';
  constructor(
    readonly code: LiveErrorCode,
    /** The interface as named on the command line, when one is involved. */
    readonly iface: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** An interface name or number that matches nothing; `message` lists what exists. */
export class UnknownInterfaceError extends LiveCaptureError {
  override readonly name = 'UnknownInterfaceError';
  constructor(
    iface: string,
    /** Names of the interfaces libpcap lists, in -D order. */
    readonly available: string[],
    /** The available name nearest to `iface` by edit distance (none for a number). */
    readonly closest: string | undefined,
  ) {
    const hint = closest === undefined ? '' : ` (closest match: "${closest}")`;
    const list = available.length ? available.map((n, i) => `${i + 1}. ${n}`).join(', ') : 'none';
    const what = /^[0-9]+$/.test(iface) ? `There is no interface number ${iface}` : `There is no device named "${iface}"${hint}`;
    super('no-such-device', iface, `${what}. Available interfaces: ${list}`);
  }
}

/** What the patched binding's errors carry: libpcap's text and a status name in `code`. */
interface NativeError {
  message?: string;
  code?: string;
}

/**
 * Turns a libpcap failure from opening `iface` (the device `display`) into a LiveCaptureError.
 * No-such-device is left to the caller (it knows the interface list), so it is returned as is.
 */
export function fromLibpcapError(e: unknown, iface: string, display: string, filter: string): LiveCaptureError {
  const err = (e ?? {}) as NativeError;
  const text = (err.message ?? String(e)).trim();
  switch (err.code) {
    case 'PCAP_ERROR_PERM_DENIED':
    case 'PCAP_ERROR_PROMISC_PERM_DENIED':
      return new LiveCaptureError(
        'permission-denied',
        iface,
        `cannot capture on ${display}: permission denied (${text}); capturing needs root or the CAP_NET_RAW capability. Grant it to node with: ${SETCAP_COMMAND}`,
      );
    case 'PCAP_ERROR_NO_SUCH_DEVICE':
      return new LiveCaptureError('no-such-device', iface, `There is no device named "${iface}"`);
    case 'PCAP_ERROR_IFACE_NOT_UP':
      return new LiveCaptureError('interface-down', iface, `${display}: the interface is not up (${text})`);
    case 'CAP_ERROR_FILTER':
      return new LiveCaptureError('bad-filter', iface, `Invalid capture filter "${filter}" for interface '${display}': ${text}`);
    default:
      // libpcap reports a missing CAP_NET_RAW as a generic error on some paths.
      if (/Operation not permitted|permission/i.test(text)) return fromLibpcapError({ message: text, code: 'PCAP_ERROR_PERM_DENIED' }, iface, display, filter);
      return new LiveCaptureError('open-failed', iface, `${display}: ${text}`);
  }
}
