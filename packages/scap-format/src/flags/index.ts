// Name tables and renderers for flag, enum, mode, errno and signal values, as sysdig prints them.
export { errnoName, type NamesFlavor, renderSigset, signalName } from './errno.js';
export { isEnumType, isNamedType, paramNameTable, renderParamFlags } from './event-params.js';
export { renderFlags, renderMode } from './render.js';
export { flagValue, type NameTable, nameTable } from './table.js';
export * from './tables.js';
