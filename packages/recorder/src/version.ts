// The recorder's version, stored in every trace it writes.
export const RECORDER_VERSION = '0.1.0';
