/** Base class of every error @reef/dissect throws. */
export class DissectError extends Error {
  override name = 'DissectError';
}

/** A call into the wasm core failed (a bug or misuse, never bad packet data). */
export class AbiError extends DissectError {
  override name = 'AbiError';
  constructor(
    readonly call: string,
    readonly code: number,
    message: string,
  ) {
    super(`${call}: ${message} (code ${code})`);
  }
}

/** The session was used after close(). */
export class SessionClosedError extends DissectError {
  override name = 'SessionClosedError';
  constructor() {
    super('session is closed');
  }
}

/** `configure` was given something the core rejects, e.g. unknown `-e` fields. */
export class ConfigError extends DissectError {
  override name = 'ConfigError';
}

/** Where in a filter an error is: character offset and length. */
export interface FilterSpan {
  start: number;
  length: number;
}

/**
 * A display filter the core rejects. `message` is tshark's text; `span` locates the offending
 * part (absent for errors with no place, such as an unexpected end); `report` is what tshark
 * prints after its `tshark: ` prefix (the message, then the filter and a `^~~~` line).
 */
export class FilterSyntaxError extends DissectError {
  override name = 'FilterSyntaxError';
  constructor(
    message: string,
    readonly filter: string,
    readonly span: FilterSpan | undefined,
    readonly report: string,
  ) {
    super(message);
  }
}
