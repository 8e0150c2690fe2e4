/**
 * reef-cli's `-z` statistics. The core collects them while the first pass dissects each frame
 * and formats tshark's text at the end, so this file only starts them and writes the result.
 */
import { ConfigError, type Session } from '@reef/dissect';

/** Starts the `-z` requests; returns tshark-style error text when the core rejects one. */
export function startStatistics(session: Session, requests: readonly string[]): string | undefined {
  if (requests.length === 0) return undefined;
  try {
    session.startStats(requests);
    return undefined;
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
}

/** The statistics as tshark prints them after the packets (the last `-z` first). */
export function statisticsText(session: Session, requests: readonly string[]): Uint8Array | undefined {
  return requests.length === 0 ? undefined : session.statsText();
}
