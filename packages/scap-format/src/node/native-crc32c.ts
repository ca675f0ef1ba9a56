// The native CRC32C (@node-rs/crc32: the CPU's CRC32 instructions, prebuilt for each platform), loaded in
// this one file and installed as the package's crc32c (crc32c.ts keeps the TypeScript one for the browser
// and for a platform without a prebuilt binary). Checking a chunk then costs a few percent of decoding it.
import { createRequire } from 'node:module';
import { crc32cPortable, installCrc32c } from '../crc32c.js';

interface NodeRsCrc32 {
  crc32c(input: Uint8Array, initialState?: number): number;
}

let installed: boolean | undefined;

/** Installs the native CRC32C once (true), or keeps the TypeScript one where it does not load (false). */
export function installNativeCrc32c(): boolean {
  if (installed !== undefined) return installed;
  let native: NodeRsCrc32;
  try {
    native = createRequire(import.meta.url)('@node-rs/crc32') as NodeRsCrc32;
    installed = native.crc32c(new TextEncoder().encode('123456789')) === 0xe3069283;
  } catch {
    installed = false; // an optional dependency
  }
  if (!installed) return false;
  installCrc32c((data, crc = 0, start = 0, end = data.length) => {
    // Below a few hundred bytes (record headers) the call into the addon costs more than the loop.
    if (end - start < 256) return crc32cPortable(data, crc, start, end);
    const part = start === 0 && end === data.length ? data : data.subarray(start, end);
    return native.crc32c(part, crc);
  });
  return true;
}
