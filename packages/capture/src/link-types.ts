/** Link-type names for messages (the writers' errors), as Wireshark's capinfos words them. */

/** Snapshot length written when a source has none (0 = unknown): Wireshark's maximum. */
export const DEFAULT_SNAPLEN_FOR_WRITERS = 262144;

const NAMES: Record<number, string> = {
  0: 'BSD loopback',
  1: 'Ethernet',
  101: 'Raw IP',
  105: 'IEEE 802.11 Wireless LAN',
  113: 'Linux cooked-mode capture v1',
  127: 'IEEE 802.11 plus radiotap radio header',
  228: 'Raw IPv4',
  229: 'Raw IPv6',
  239: 'Linux Netfilter NFLOG',
  254: 'Linux Bluetooth Monitor',
  276: 'Linux cooked-mode capture v2',
};

/** `Ethernet (1)`, `link type 147` for ones without a name here. */
export function linkTypeName(linkType: number): string {
  const n = NAMES[linkType];
  return n ? `${n} (${linkType})` : `link type ${linkType}`;
}
