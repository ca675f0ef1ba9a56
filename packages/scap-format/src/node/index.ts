// Node-only entry point of @scapkit/scap-format: file access, the native LZ4 codec.
export {};
