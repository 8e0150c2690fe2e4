/**
 * @reef/capture: streaming pcap / pcapng readers. Everything in ./core.js (platform-neutral)
 * plus the Node sources: files, stdin, FIFOs, streams, gzip.
 */
export * from './core.js';
export { describeCaptureError, openCaptureFile, openCaptureStream, type OpenCaptureOptions } from './node.js';
