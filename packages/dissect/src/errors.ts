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
