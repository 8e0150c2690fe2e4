/**
 * @reef/capture: streaming pcap / pcapng readers and writers, and live capture. Everything in
 * ./core.js (platform-neutral) plus the Node parts: file/stdin/FIFO/gzip sources, file writers,
 * libpcap interfaces and live sources.
 */
export * from './core.js';
export { describeCaptureError, describeWriteError, openCaptureFile, openCaptureStream, type OpenCaptureOptions } from './node.js';
export { CaptureFileWriter } from './file-writer.js';
export { FrameFile, type FrameIndex } from './reread.js';
export {
  closestName,
  displayName,
  editDistance,
  friendlyName,
  interfaceLine,
  listInterfaces,
  quotedList,
  resolveInterface,
  type LiveInterface,
  type ResolvedInterface,
} from './interfaces.js';
export {
  DEFAULT_BUFFER_SIZE,
  DEFAULT_SNAPLEN,
  NO_FILE_OFFSET,
  openLiveCapture,
  type LiveCapture,
  type LiveCaptureOptions,
  type LiveInterfaceSpec,
  type LiveInterfaceStats,
} from './live.js';
export { LiveCaptureError, SETCAP_COMMAND, UnknownInterfaceError, type LiveErrorCode } from './live-errors.js';
