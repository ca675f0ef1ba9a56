// @scapkit/scap-format: the event schema, zero-copy event views, and readers and writers for scapkit
// traces and sysdig/Falco .scap captures. This entry point imports nothing from Node: it runs in a browser.
export * from './batch.js';
export * from './errors.js';
export * from './event.js';
export * from './metadata.js';
export * from './schema/index.js';
export type * from './source.js';
