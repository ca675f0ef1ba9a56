// The chunk codec contract: compression is injected so the core runs in a browser (pure TypeScript LZ4)
// and in Node (native LZ4), and both write the same bytes on disk for a given codec id.

/** Codec ids as stored in a chunk or metadata record. */
export const CodecId = {
  /** Stored as is. */
  NONE: 0,
  /** One LZ4 block (no frame, no size prefix): the raw length is in the record header. */
  LZ4: 1,
} as const;

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
   * The most raw bytes `storedLength` stored bytes can decode to. Readers refuse a larger declared raw
   * length before allocating anything, so a tiny record cannot make them reserve a huge buffer. Without
   * it, only the reader's per-record cap bounds the allocation.
   */
  maxRawLength?(storedLength: number): number;
}
