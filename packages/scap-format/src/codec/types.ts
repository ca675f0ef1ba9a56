// The chunk codec contract: compression is injected so the core runs in a browser (pure TypeScript LZ4,
// pure JavaScript zstd decoding) and in Node (native LZ4 and zstd), and for a given codec id every
// implementation reads what any other wrote.

/** Codec ids as stored in a chunk or metadata record. */
export const CodecId = {
  /** Stored as is. */
  NONE: 0,
  /** One LZ4 block (no frame, no size prefix): the raw length is in the record header. */
  LZ4: 1,
  /** One zstd frame (RFC 8878) declaring its content size, no dictionary. */
  ZSTD: 2,
} as const;

/** The codecs by name, as a writer option or a command-line flag takes them (`--codec`). */
export const CODEC_NAMES = ['zstd', 'lz4', 'none'] as const;
export type CodecName = (typeof CODEC_NAMES)[number];

/** The name of a codec id, for messages. */
export function codecName(id: number): string {
  return id === CodecId.NONE
    ? 'none'
    : id === CodecId.LZ4
      ? 'lz4'
      : id === CodecId.ZSTD
        ? 'zstd'
        : `codec ${id}`;
}

export interface ChunkCodec {
  /** A `CodecId` value. */
  readonly id: number;
  /** For messages (default `codec <id>`). */
  readonly name?: string;
  /** Compresses `raw` into a new buffer. */
  compress(raw: Uint8Array): Uint8Array;
  /**
   * Decompresses `src` into a new buffer of exactly `rawLength` bytes. The caller bounds `rawLength`
   * before calling; a codec throws ScapFormatError (offset within `src`) on input that does not decode to
   * exactly that many bytes, and never writes outside its output.
   */
  decompress(src: Uint8Array, rawLength: number): Uint8Array;
  /**
   * As decompress, into `dst` (exactly the raw length): for readers that reuse their buffers. Optional:
   * without it they allocate.
   */
  decompressInto?(src: Uint8Array, dst: Uint8Array): void;
  /**
   * The most raw bytes `storedLength` stored bytes can decode to. Readers refuse a larger declared raw
   * length before allocating anything, so a tiny record cannot make them reserve a huge buffer. Without
   * it, only the reader's per-record cap bounds the allocation.
   */
  maxRawLength?(storedLength: number): number;
}
