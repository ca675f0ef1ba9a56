// sysdig/Falco .scap captures: the streaming reader and the exporter.

export {
  CONTAINER_EVENT_ID,
  containerEvent,
  containerFromOldEvent,
  containerFromSysdigJson,
  containerToSysdigJson,
} from './container-json.js';
export {
  type DowngradedEvent,
  type DowngradeOptions,
  downgradeMetadata,
  SYSDIG_0_29_EVENT_MAX,
  SYSDIG_0_29_SC_MAX,
  SysdigDowngrader,
  type SysdigTarget,
  sysdigEventName,
} from './downgrade.js';
export { type Gunzip, type Inflater, webGunzip } from './gunzip.js';
export { SysdigParser, type SysdigParserOptions } from './parser.js';
export { readSysdigCapture, type SysdigReadOptions } from './reader.js';
export {
  type SysdigSink,
  type SysdigWriteOptions,
  type SysdigWriteResult,
  writeSysdigCapture,
} from './writer.js';
