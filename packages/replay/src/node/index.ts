// Node-only entry point of @scapkit/replay: what needs node:* (the main entry runs in a browser as well).
export { importChiselModule } from './chisel-module.js';
