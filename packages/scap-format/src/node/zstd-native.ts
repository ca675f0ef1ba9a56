// The native zstd codec (zstd-napi: the zstd C library, built from the sources the npm package ships when
// no prebuilt binary can be downloaded), loaded in this one file. It writes one zstd frame per record with
// the content size in its header and no checksum (the record's CRC32C covers the stored bytes), and
// decodes into a buffer of exactly the declared raw length: the C decoder refuses a frame that would
// write more, and the frame checks shared with the pure decoder run first.
import { createRequire } from 'node:module';
import { type ChunkCodec, CodecId } from '../codec/types.js';
import { checkZstdFrame, zstdMaxRawLength } from '../codec/zstd.js';
import { ScapFormatError } from '../errors.js';

/** The part of zstd-napi's low-level binding used here. */
interface ZstdBinding {
  CCtx: new () => {
    setParameter(param: number, value: number): void;
    compress2(dst: Uint8Array, src: Uint8Array): number;
  };
  DCtx: new () => { decompress(dst: Uint8Array, src: Uint8Array): number };
  CParameter: { compressionLevel: number; checksumFlag: number; contentSizeFlag: number };
  compressBound(n: number): number;
  versionString(): string;
}

let loaded: ZstdBinding | null | undefined;
let loadError: unknown;

function load(): ZstdBinding | null {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('zstd-napi/binding') as ZstdBinding;
    } catch (e) {
      loaded = null; // an optional dependency: readers fall back to the pure decoder, writers to LZ4
      loadError = e;
    }
  }
  return loaded;
}

/** Why the native zstd codec is unavailable, or undefined when zstd-napi loads. */
export interface NativeZstdUnavailable {
  /** false: the package is not installed (not found); true: it is, but does not load (its native build
   *  is missing or was built for another Node, …). */
  installed: boolean;
  /** One sentence for a human, naming the package and, when installed, the loader's error. */
  reason: string;
}

/**
 * Why `nativeZstdCodec()` returns undefined here: zstd-napi is not installed (an optional dependency: the
 * install skips it when its build fails), or it is installed and does not load. Undefined when it loads.
 */
export function nativeZstdUnavailable(): NativeZstdUnavailable | undefined {
  if (load()) return undefined;
  const e = loadError as NodeJS.ErrnoException | undefined;
  const [message = ''] = String(e?.message ?? e).split('\n');
  // "Cannot find module 'zstd-napi/binding'": the package itself is missing. A missing
  // build/Release/binding.node is also MODULE_NOT_FOUND, but names that file: installed, not built.
  if (e?.code === 'MODULE_NOT_FOUND' && /'zstd-napi[/']/.test(message)) {
    return {
      installed: false,
      reason: 'zstd-napi (the native zstd module, an optional dependency) is not installed',
    };
  }
  return {
    installed: true,
    reason: `zstd-napi (the native zstd module) is installed but does not load: ${message}`,
  };
}

/**
 * Default compression level, chosen by measurement on recorded syscall storms (bench/record.bench.mjs,
 * bench/format.bench.mjs): level 3 is within 1% of levels 1-4 in size and costs about 0.05 CPU-seconds
 * per million events; level 5 and up cost three times as much.
 */
export const DEFAULT_ZSTD_LEVEL = 3;

export interface ZstdCodecOptions {
  /** zstd compression level (default DEFAULT_ZSTD_LEVEL; 1 fastest, 19 smallest). */
  level?: number;
}

/** The version of the native zstd library, or undefined when zstd-napi is not installed. */
export function nativeZstdVersion(): string | undefined {
  return load()?.versionString();
}

/**
 * The native zstd codec, or undefined when zstd-napi is not installed. Each instance owns its compression
 * and decompression contexts: use one per writer.
 */
export function nativeZstdCodec(options: ZstdCodecOptions = {}): ChunkCodec | undefined {
  const z = load();
  if (!z) return undefined;
  const level = options.level ?? DEFAULT_ZSTD_LEVEL;
  let cctx: InstanceType<ZstdBinding['CCtx']> | undefined;
  let dctx: InstanceType<ZstdBinding['DCtx']> | undefined;
  let scratch = new Uint8Array(0);
  return {
    id: CodecId.ZSTD,
    name: 'zstd-native',
    maxRawLength: zstdMaxRawLength,
    compress(raw) {
      if (!cctx) {
        cctx = new z.CCtx();
        cctx.setParameter(z.CParameter.compressionLevel, level);
        cctx.setParameter(z.CParameter.contentSizeFlag, 1);
        cctx.setParameter(z.CParameter.checksumFlag, 0);
      }
      const bound = z.compressBound(raw.length);
      if (scratch.length < bound) scratch = new Uint8Array(bound);
      const n = cctx.compress2(scratch, raw);
      return scratch.slice(0, n); // a copy: the scratch buffer is reused by the next chunk
    },
    decompress(src, rawLength) {
      const dst = new Uint8Array(rawLength);
      this.decompressInto!(src, dst);
      return dst;
    },
    decompressInto(src, dst) {
      const rawLength = dst.length;
      checkZstdFrame(src, rawLength);
      dctx ??= new z.DCtx();
      let n: number;
      try {
        n = dctx.decompress(dst, src);
      } catch (e) {
        throw new ScapFormatError(`corrupt zstd frame: ${(e as Error).message}`, 0);
      }
      if (n !== rawLength) {
        throw new ScapFormatError(`corrupt zstd frame: decodes to ${n} bytes, expected ${rawLength}`, 0);
      }
    },
  };
}
