/**
 * reef-cli's `-z` statistics. The core collects them while the first pass dissects each frame
 * and formats tshark's text at the end, so this file only starts them and fetches the result.
 */
import type { Session } from '@reef/dissect';

/** Starts the `-z` requests; throws ConfigError (tshark-style text) when the core rejects one. */
export function startStatistics(session: Session, requests: readonly string[]): void {
  if (requests.length > 0) session.startStats(requests);
}

/**
 * The statistics as tshark prints them after the packets (the last `-z` first), in pieces of
 * about a megabyte: a table of a million conversations is never one text in memory.
 */
export function statisticsText(session: Session, requests: readonly string[]): Iterable<Uint8Array> {
  return requests.length === 0 ? [] : session.statsTextParts();
}
