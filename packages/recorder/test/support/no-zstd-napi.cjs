// Preload (node --require, through NODE_OPTIONS) that takes zstd-napi away without uninstalling it.
// By default resolving 'zstd-napi' or 'zstd-napi/…' from anywhere throws the MODULE_NOT_FOUND error
// Node throws for a package that is not installed. With SCAPKIT_TEST_ZSTD=unbuilt, the package resolves
// but its native build (build/<config>/binding.node) does not: installed without a successful build.
// createRequire() goes through Module._resolveFilename, the one place patched.
const Module = require('node:module');

const unbuilt = process.env.SCAPKIT_TEST_ZSTD === 'unbuilt';
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const hidden = unbuilt
    ? /[/\\]zstd-napi[/\\]/.test(parent?.filename ?? '') && request.endsWith('binding.node')
    : request === 'zstd-napi' || request.startsWith('zstd-napi/');
  if (hidden) {
    const err = new Error(`Cannot find module '${request}'`);
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  return resolve.call(this, request, parent, ...rest);
};
