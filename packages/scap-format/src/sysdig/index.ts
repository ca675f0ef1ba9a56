// sysdig/Falco .scap captures: the streaming reader and the exporter.
export { readSysdigCapture, type SysdigReadOptions } from './reader.js';
export {
  type SysdigSink,
  type SysdigWriteOptions,
  type SysdigWriteResult,
  writeSysdigCapture,
} from './writer.js';
