/** Everything of @reef/dissect that both entries (Node and browser) export: no host built-ins. */
export * from './errors.js';
export * from './types.js';
export { Dissector, Session, instantiateDissector } from './session.js';
export { Capture, openCapture, readCapture, type CaptureOptions, type FrameDetails } from './capture.js';
export { hexLines, nodeBytes, type HexLine, type ByteRange } from './hex.js';
export { instantiateFrom, type WasmSource } from './load.js';
export type { FrameLookup } from './host.js';
export { CaptureFormatError, type TruncationWarning } from '@reef/capture/core';
