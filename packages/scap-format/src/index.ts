// @scapkit/scap-format: the event schema, zero-copy event views, and readers and writers for scapkit
// traces and sysdig/Falco .scap captures. This entry point imports nothing from Node: it runs in a browser.
export * from './batch.js';
export * from './codec/index.js';
export * from './containers.js';
export { crc32c } from './crc32c.js';
export * from './errors.js';
export * from './event.js';
export * from './flags/index.js';
export { type CaptureSummary, jsonSafe, summarizeCapture } from './info.js';
export * from './metadata.js';
export { type OpenCaptureOptions, openCapture, sniffCaptureFormat } from './open.js';
export * from './params/index.js';
export * from './scapkit/index.js';
export * from './schema/index.js';
export type * from './source.js';
export * from './sysdig/index.js';
