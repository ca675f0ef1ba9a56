// The --codec flag of `record` and `export`: a codec by name, or the default (native zstd when zstd-napi
// loads, else LZ4). A codec this install cannot write ends in a message that says what to do about it.
import type { ChunkCodec, CodecName } from '@scapkit/scap-format';
import { chunkCodec, defaultChunkCodec, nativeZstdUnavailable } from '@scapkit/scap-format/node';
import { CliError } from '../exit.js';

/** The chunk codec `--codec NAME` asks for, or the default without it. Throws CliError (exit 1). */
export function codecFromFlag(name: CodecName | undefined): ChunkCodec {
  if (name === undefined) return defaultChunkCodec();
  const zstd = name === 'zstd' ? nativeZstdUnavailable() : undefined;
  if (zstd) {
    const fix = zstd.installed
      ? 'Rebuild it (`npm rebuild zstd-napi` where scapkit is installed, or `pnpm rebuild -r zstd-napi` in a scapkit checkout'
      : 'Install it (`npm install zstd-napi` where scapkit is installed, or `pnpm install` in a scapkit checkout';
    throw new CliError(
      `--codec zstd: ${zstd.reason}. ${fix}; node-gyp builds it from source and needs python3, make and ` +
        `a C++ compiler), or use --codec lz4. Without --codec, scapkit writes lz4 when zstd-napi ${zstd.installed ? 'does not load' : 'is missing'}.`,
    );
  }
  try {
    return chunkCodec(name);
  } catch (e) {
    throw new CliError(`--codec ${name}: ${(e as Error).message}`);
  }
}
