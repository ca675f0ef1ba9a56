// scapkit v1.0 readers, frozen from commit 80868fe by make-reader-v1.0.sh: do not edit.

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/batch.ts
var FRAME_SIZE = 4;
var EVENT_HEADER_SIZE = 26;

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/errors.ts
var ScapFormatError = class extends Error {
  constructor(message, offset) {
    super(offset >= 0 ? `${message} (at byte offset ${offset})` : message);
    this.offset = offset;
  }
  offset;
  name = "ScapFormatError";
};
var ScapTruncatedError = class extends ScapFormatError {
  constructor(message, offset, trailingBytes) {
    super(message, offset);
    this.trailingBytes = trailingBytes;
  }
  trailingBytes;
  name = "ScapTruncatedError";
};

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/codec/types.ts
var CodecId = {
  /** Stored as is. */
  NONE: 0,
  /** One LZ4 block (no frame, no size prefix): the raw length is in the record header. */
  LZ4: 1,
  /** One zstd frame (RFC 8878) declaring its content size, no dictionary. */
  ZSTD: 2
};
function codecName(id) {
  return id === CodecId.NONE ? "none" : id === CodecId.LZ4 ? "lz4" : id === CodecId.ZSTD ? "zstd" : `codec ${id}`;
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/codec/lz4.ts
var MIN_MATCH = 4;
var LAST_LITERALS = 5;
var MF_LIMIT = 12;
var MAX_DISTANCE = 65535;
var HASH_LOG = 16;
var SHORT_COPY = 32;
function lz4CompressBound(n) {
  return n + (n / 255 | 0) + 16;
}
function writeLengthTail(dst, dp, rest) {
  while (rest >= 255) {
    dst[dp++] = 255;
    rest -= 255;
  }
  dst[dp++] = rest;
  return dp;
}
function copyBytes(dst, dp, src, sp, n) {
  if (n < SHORT_COPY) {
    for (let k = 0; k < n; k++) dst[dp + k] = src[sp + k];
  } else {
    dst.set(src.subarray(sp, sp + n), dp);
  }
}
function emitSequence(dst, dp, src, anchor, litLen, offset, matchLen) {
  const tokenAt = dp++;
  let token = 0;
  if (litLen >= 15) {
    token = 240;
    dp = writeLengthTail(dst, dp, litLen - 15);
  } else {
    token = litLen << 4;
  }
  copyBytes(dst, dp, src, anchor, litLen);
  dp += litLen;
  if (matchLen >= 0) {
    dst[dp++] = offset & 255;
    dst[dp++] = offset >>> 8;
    if (matchLen >= 15) {
      token |= 15;
      dp = writeLengthTail(dst, dp, matchLen - 15);
    } else {
      token |= matchLen;
    }
  }
  dst[tokenAt] = token;
  return dp;
}
function lz4CompressBlock(src, dst, table) {
  const n = src.length;
  let dp = 0;
  let anchor = 0;
  const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  if (n > MF_LIMIT) {
    table.fill(-1);
    const matchLimit = n - LAST_LITERALS;
    const ipLimit = n - MF_LIMIT;
    let ip = 0;
    outer: for (; ; ) {
      let attempts = 1 << 6;
      let ref = -1;
      for (; ; ) {
        if (ip > ipLimit) break outer;
        const seq = dv.getInt32(ip, true);
        const h = Math.imul(seq, -1640531535) >>> 32 - HASH_LOG;
        ref = table[h];
        table[h] = ip;
        if (ref >= 0 && ip - ref <= MAX_DISTANCE && dv.getInt32(ref, true) === seq) break;
        ip += attempts++ >> 6;
      }
      while (ip > anchor && ref > 0 && src[ip - 1] === src[ref - 1]) {
        ip--;
        ref--;
      }
      let end = ip + MIN_MATCH;
      let r = ref + MIN_MATCH;
      while (end + 4 <= matchLimit && dv.getInt32(end, true) === dv.getInt32(r, true)) {
        end += 4;
        r += 4;
      }
      while (end < matchLimit && src[end] === src[r]) {
        end++;
        r++;
      }
      dp = emitSequence(dst, dp, src, anchor, ip - anchor, ip - ref, end - ip - MIN_MATCH);
      ip = end;
      anchor = end;
      if (ip - 2 <= ipLimit) {
        table[Math.imul(dv.getInt32(ip - 2, true), -1640531535) >>> 32 - HASH_LOG] = ip - 2;
      }
    }
  }
  return emitSequence(dst, dp, src, anchor, n - anchor, 0, -1);
}
function lz4DecompressBlock(src, dst) {
  const sEnd = src.length;
  const dEnd = dst.length;
  let sp = 0;
  let dp = 0;
  const fail = (what) => {
    throw new ScapFormatError(`corrupt LZ4 block: ${what}`, sp);
  };
  if (sEnd === 0) fail("empty block");
  for (; ; ) {
    if (sp >= sEnd) fail("block ends without a final literal run");
    const token = src[sp++];
    let lit = token >>> 4;
    if (lit === 15) {
      let b = 255;
      while (b === 255) {
        if (sp >= sEnd) fail("literal length runs past the block");
        b = src[sp++];
        lit += b;
      }
    }
    if (lit > sEnd - sp) fail(`${lit} literals run past the block`);
    if (lit > dEnd - dp) fail(`${lit} literals overflow the ${dEnd}-byte output`);
    copyBytes(dst, dp, src, sp, lit);
    sp += lit;
    dp += lit;
    if (sp === sEnd) break;
    if (sEnd - sp < 2) fail("match offset runs past the block");
    const offset = src[sp] | src[sp + 1] << 8;
    sp += 2;
    if (offset === 0 || offset > dp) fail(`match offset ${offset} before the start of the output`);
    let len = token & 15;
    if (len === 15) {
      let b = 255;
      while (b === 255) {
        if (sp >= sEnd) fail("match length runs past the block");
        b = src[sp++];
        len += b;
      }
    }
    len += MIN_MATCH;
    if (len > dEnd - dp) fail(`match of ${len} bytes overflows the ${dEnd}-byte output`);
    let from = dp - offset;
    if (offset >= len && len >= SHORT_COPY) {
      dst.copyWithin(dp, from, from + len);
      dp += len;
    } else {
      const stop = dp + len;
      while (dp < stop) dst[dp++] = dst[from++];
    }
  }
  if (dp !== dEnd) fail(`block decodes to ${dp} bytes, expected ${dEnd}`);
}
function lz4MaxRawLength(storedLength) {
  return storedLength * 255 + 64;
}
function createLz4Codec() {
  const table = new Int32Array(1 << HASH_LOG);
  return {
    id: CodecId.LZ4,
    name: "lz4",
    maxRawLength: lz4MaxRawLength,
    compress(raw) {
      const dst = new Uint8Array(lz4CompressBound(raw.length));
      return dst.subarray(0, lz4CompressBlock(raw, dst, table));
    },
    decompress(src, rawLength) {
      const dst = new Uint8Array(rawLength);
      lz4DecompressBlock(src, dst);
      return dst;
    }
  };
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/codec/none.ts
var noneCodec = {
  id: CodecId.NONE,
  name: "none",
  compress: (raw) => raw.slice(),
  maxRawLength: (storedLength) => storedLength,
  decompress(src, rawLength) {
    if (src.length !== rawLength) {
      throw new ScapFormatError(`stored body is ${src.length} bytes, header says ${rawLength}`, 0);
    }
    return src.slice();
  }
};

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/codec/zstd.ts
import { decompress as fzstdDecompress } from "fzstd";
var ZSTD_MAGIC = 4247762216;
var ZSTD_BLOCK_MAX = 128 << 10;
var SMALLEST_FULL_BLOCK = 4;
var SMALLEST_FRAME_HEADER = 6;
function zstdMaxRawLength(storedLength) {
  const blocks = Math.floor(Math.max(0, storedLength - SMALLEST_FRAME_HEADER) / SMALLEST_FULL_BLOCK);
  return blocks * ZSTD_BLOCK_MAX;
}
function parseZstdFrame(src) {
  const fail = (what, at) => {
    throw new ScapFormatError(`corrupt zstd frame: ${what}`, at);
  };
  const n = src.length;
  if (n < SMALLEST_FRAME_HEADER) fail(`${n} bytes, shorter than a frame header`, 0);
  const magic = (src[0] | src[1] << 8 | src[2] << 16 | src[3] << 24) >>> 0;
  if (magic !== ZSTD_MAGIC) {
    fail(`magic 0x${magic.toString(16).padStart(8, "0")}, expected 0x${ZSTD_MAGIC.toString(16)}`, 0);
  }
  const fhd = src[4];
  const fcsFlag = fhd >>> 6;
  const singleSegment = fhd >>> 5 & 1;
  if (fhd & 8) fail("reserved bit of the frame header descriptor is set", 4);
  const checksum = (fhd >>> 2 & 1) === 1;
  const dictIdSize = [0, 1, 2, 4][fhd & 3];
  const fcsSize = fcsFlag === 0 ? singleSegment : 1 << fcsFlag;
  let p = 5 + (singleSegment ? 0 : 1);
  if (p + dictIdSize + fcsSize > n) fail("frame header runs past the record", 4);
  let dictId = 0;
  for (let i = 0; i < dictIdSize; i++) dictId += src[p + i] * 2 ** (8 * i);
  if (dictId !== 0) fail(`frame needs dictionary ${dictId}; scapkit chunks use none`, p);
  p += dictIdSize;
  let contentSize;
  if (fcsSize > 0) {
    let v = 0;
    for (let i = 0; i < fcsSize; i++) v += src[p + i] * 2 ** (8 * i);
    contentSize = fcsSize === 2 ? v + 256 : v;
    p += fcsSize;
  }
  const headerSize = p;
  let exactBytes = 0;
  let compressedBlocks = 0;
  for (; ; ) {
    if (n - p < 3) fail("block header runs past the record", p);
    const bh = src[p] | src[p + 1] << 8 | src[p + 2] << 16;
    const last = bh & 1;
    const type = bh >>> 1 & 3;
    const size = bh >>> 3;
    const at = p;
    p += 3;
    if (type === 3) fail("reserved block type", at);
    if (size > ZSTD_BLOCK_MAX) fail(`block of ${size} bytes, more than the ${ZSTD_BLOCK_MAX} allowed`, at);
    const stored = type === 1 ? 1 : size;
    if (stored > n - p) fail(`block of ${stored} bytes runs past the record`, at);
    p += stored;
    if (type === 2) compressedBlocks++;
    else exactBytes += size;
    if (last) break;
  }
  if (checksum) {
    if (n - p < 4) fail("content checksum runs past the record", p);
    p += 4;
  }
  if (p !== n) fail(`frame ends at byte ${p}, record holds ${n} (one frame per record)`, p);
  return { contentSize, headerSize, checksum, exactBytes, compressedBlocks };
}
function checkZstdFrame(src, rawLength) {
  const f = parseZstdFrame(src);
  if (f.contentSize === void 0) {
    throw new ScapFormatError("corrupt zstd frame: its header does not declare the content size", 4);
  }
  if (f.contentSize !== rawLength) {
    throw new ScapFormatError(
      `corrupt zstd frame: declares ${f.contentSize} bytes of content, the record says ${rawLength}`,
      4
    );
  }
  if (f.exactBytes > rawLength || f.exactBytes + f.compressedBlocks * ZSTD_BLOCK_MAX < rawLength) {
    throw new ScapFormatError(
      `corrupt zstd frame: its blocks cannot decode to ${rawLength} bytes`,
      f.headerSize
    );
  }
  return f;
}
function createZstdCodec() {
  return {
    id: CodecId.ZSTD,
    name: "zstd",
    maxRawLength: zstdMaxRawLength,
    compress() {
      throw new Error(
        "zstd compression needs the native codec: use nativeZstdCodec() from @scapkit/scap-format/node (the zstd-napi package), or the lz4 codec"
      );
    },
    decompress(src, rawLength) {
      checkZstdFrame(src, rawLength);
      const dst = new Uint8Array(rawLength);
      try {
        const out = fzstdDecompress(src, dst);
        if (out !== dst && out.length !== rawLength) {
          throw new Error(`decodes to ${out.length} bytes, expected ${rawLength}`);
        }
      } catch (e) {
        throw new ScapFormatError(`corrupt zstd frame: ${e.message}`, 0);
      }
      return dst;
    }
  };
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/codec/index.ts
function codecTable(preferred = []) {
  const byId = /* @__PURE__ */ new Map();
  for (const c of [noneCodec, createLz4Codec(), createZstdCodec(), ...preferred]) byId.set(c.id, c);
  return (id, offset) => {
    const c = byId.get(id);
    if (!c) {
      const known = [...byId.keys()].map((k) => `${k} ${codecName(k)}`).join(", ");
      throw new ScapFormatError(
        `unknown codec id ${id} (this reader knows ${known}; a newer scapkit may have written it)`,
        offset
      );
    }
    return c;
  };
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/crc32c.ts
var POLY = 2197175160;
var T = new Int32Array(256 * 16);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? c >>> 1 ^ POLY : c >>> 1;
  T[n] = c;
}
for (let n = 0; n < 256; n++) {
  let c = T[n];
  for (let k = 1; k < 16; k++) {
    c = T[c & 255] ^ c >>> 8;
    T[k * 256 + n] = c;
  }
}
var LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
function crc32c(data, crc = 0, start = 0, end = data.length) {
  let c = ~crc;
  let p = start;
  if (LITTLE_ENDIAN && end - p >= 64) {
    while ((data.byteOffset + p & 3) !== 0) c = T[(c ^ data[p++]) & 255] ^ c >>> 8;
    const words = end - p >>> 4 << 2;
    const w = new Int32Array(data.buffer, data.byteOffset + p, words);
    for (let i = 0; i < words; i += 4) {
      const a = c ^ w[i];
      const b = w[i + 1];
      const d = w[i + 2];
      const e = w[i + 3];
      c = T[3840 + (a & 255)] ^ T[3584 + (a >>> 8 & 255)] ^ T[3328 + (a >>> 16 & 255)] ^ T[3072 + (a >>> 24)] ^ T[2816 + (b & 255)] ^ T[2560 + (b >>> 8 & 255)] ^ T[2304 + (b >>> 16 & 255)] ^ T[2048 + (b >>> 24)] ^ T[1792 + (d & 255)] ^ T[1536 + (d >>> 8 & 255)] ^ T[1280 + (d >>> 16 & 255)] ^ T[1024 + (d >>> 24)] ^ T[768 + (e & 255)] ^ T[512 + (e >>> 8 & 255)] ^ T[256 + (e >>> 16 & 255)] ^ T[e >>> 24];
    }
    p += words * 4;
  }
  while (p < end) c = T[(c ^ data[p++]) & 255] ^ c >>> 8;
  return ~c >>> 0;
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/schema/event-table.generated.ts
var PARAM_TYPE_NAMES = ["NONE", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64", "CHARBUF", "BYTEBUF", "ERRNO", "SOCKADDR", "SOCKTUPLE", "FD", "PID", "FDLIST", "FSPATH", "SYSCALLID", "SIGTYPE", "RELTIME", "ABSTIME", "PORT", "L4PROTO", "SOCKFAMILY", "BOOL", "IPV4ADDR", "DYN", "FLAGS8", "FLAGS16", "FLAGS32", "UID", "GID", "DOUBLE", "SIGSET", "CHARBUFARRAY", "CHARBUF_PAIR_ARRAY", "IPV4NET", "IPV6ADDR", "IPV6NET", "IPADDR", "IPNET", "MODE", "FSRELPATH", "ENUMFLAGS8", "ENUMFLAGS16", "ENUMFLAGS32", "FD32", "PID32"];
var EVENT_ROWS = [
  ["syscall", 0, 513, 4608, [["ID", 18, 1], ["nativeID", 6, 1]]],
  ["syscall", 1, 513, 4096, [["ID", 18, 1], ["nativeID", 6, 1]]],
  ["open", 0, 514, 4129, [["name", 17, 0], ["flags", 30, 2], ["mode", 7, 6]]],
  ["open", 1, 514, 4129, [["fd", 14, 1], ["name", 17, 0], ["flags", 30, 2], ["mode", 7, 6], ["dev", 7, 2], ["ino", 8, 1]]],
  ["close", 0, 546, 4646, [["fd", 14, 1]]],
  ["close", 1, 546, 4134, [["res", 11, 1], ["fd", 14, 1]]],
  ["read", 0, 544, 4620, [["fd", 14, 1], ["size", 7, 1]]],
  ["read", 1, 544, 4108, [["res", 11, 1], ["data", 10, 0], ["fd", 14, 1], ["size", 7, 1]]],
  ["write", 0, 545, 4628, [["fd", 14, 1], ["size", 7, 1]]],
  ["write", 1, 545, 4116, [["res", 11, 1], ["data", 10, 0], ["fd", 14, 1], ["size", 7, 1]]],
  ["brk", 0, 517, 4608, [["size", 7, 1]]],
  ["brk", 1, 517, 4608, [["res", 8, 2]]],
  ["execve", 0, 518, 4640, []],
  ["execve", 1, 518, 4640, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1]]],
  ["clone", 0, 518, 544, []],
  ["clone", 1, 518, 4640, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1]]],
  ["procexit", 0, 1030, 4640, []],
  ["NA", 1, 0, 64, []],
  ["socket", 0, 515, 4641, [["domain", 46, 1], ["type", 7, 1], ["proto", 7, 1]]],
  ["socket", 1, 515, 4129, [["fd", 14, 1], ["domain", 46, 1], ["type", 7, 1], ["proto", 7, 1], ["flags", 30, 2]]],
  ["bind", 0, 515, 4644, [["fd", 14, 1]]],
  ["bind", 1, 515, 4132, [["res", 11, 1], ["addr", 12, 0], ["fd", 14, 1]]],
  ["connect", 0, 515, 4132, [["fd", 14, 1], ["addr", 12, 0]]],
  ["connect", 1, 515, 4132, [["res", 11, 1], ["tuple", 13, 0], ["fd", 14, 1], ["addr", 12, 0]]],
  ["listen", 0, 515, 4612, [["fd", 14, 1], ["backlog", 3, 1]]],
  ["listen", 1, 515, 4100, [["res", 11, 1], ["fd", 14, 1], ["backlog", 3, 1]]],
  ["accept", 0, 515, 545, []],
  ["accept", 1, 515, 4641, [["fd", 14, 1], ["tuple", 13, 0], ["queuepct", 5, 1]]],
  ["send", 0, 545, 4628, [["fd", 14, 1], ["size", 7, 1]]],
  ["send", 1, 545, 4116, [["res", 11, 1], ["data", 10, 0], ["fd", 14, 1], ["size", 7, 1], ["tuple", 13, 0]]],
  ["sendto", 0, 545, 4660, [["fd", 14, 1], ["size", 7, 1], ["tuple", 13, 0]]],
  ["sendto", 1, 545, 4148, [["res", 11, 1], ["data", 10, 0], ["fd", 14, 1], ["size", 7, 1], ["tuple", 13, 0]]],
  ["recv", 0, 544, 4620, [["fd", 14, 1], ["size", 7, 1]]],
  ["recv", 1, 544, 4108, [["res", 11, 1], ["data", 10, 0], ["fd", 14, 1], ["size", 7, 1], ["tuple", 13, 0]]],
  ["recvfrom", 0, 544, 4652, [["fd", 14, 1], ["size", 7, 1]]],
  ["recvfrom", 1, 544, 4140, [["res", 11, 1], ["data", 10, 0], ["tuple", 13, 0], ["fd", 14, 1], ["size", 7, 1]]],
  ["shutdown", 0, 515, 4644, [["fd", 14, 1], ["how", 44, 2]]],
  ["shutdown", 1, 515, 4132, [["res", 11, 1], ["fd", 14, 1], ["how", 44, 2]]],
  ["getsockname", 0, 515, 512, []],
  ["getsockname", 1, 515, 0, []],
  ["getpeername", 0, 515, 512, []],
  ["getpeername", 1, 515, 0, []],
  ["socketpair", 0, 516, 4641, [["domain", 46, 1], ["type", 7, 1], ["proto", 7, 1]]],
  ["socketpair", 1, 516, 4129, [["res", 11, 1], ["fd1", 14, 1], ["fd2", 14, 1], ["source", 8, 2], ["peer", 8, 2], ["domain", 46, 1], ["type", 7, 1], ["proto", 7, 1]]],
  ["setsockopt", 0, 515, 512, []],
  ["setsockopt", 1, 515, 4, [["res", 11, 1], ["fd", 14, 1], ["level", 44, 1], ["optname", 44, 1], ["val", 27, 1], ["optlen", 7, 1]]],
  ["getsockopt", 0, 515, 544, []],
  ["getsockopt", 1, 515, 36, [["res", 11, 1], ["fd", 14, 1], ["level", 44, 1], ["optname", 44, 1], ["val", 27, 1], ["optlen", 7, 1]]],
  ["sendmsg", 0, 545, 4660, [["fd", 14, 1], ["size", 7, 1], ["tuple", 13, 0]]],
  ["sendmsg", 1, 545, 4148, [["res", 11, 1], ["data", 10, 0], ["fd", 14, 1], ["size", 7, 1], ["tuple", 13, 0]]],
  ["sendmmsg", 0, 545, 512, []],
  ["sendmmsg", 1, 545, 4148, [["res", 11, 1], ["fd", 14, 1], ["size", 7, 1], ["data", 10, 0], ["tuple", 13, 0]]],
  ["recvmsg", 0, 544, 4652, [["fd", 14, 1]]],
  ["recvmsg", 1, 544, 4140, [["res", 11, 1], ["size", 7, 1], ["data", 10, 0], ["tuple", 13, 0], ["msgcontrol", 10, 0], ["fd", 14, 1]]],
  ["recvmmsg", 0, 544, 512, []],
  ["recvmmsg", 1, 544, 4140, [["res", 11, 1], ["fd", 14, 1], ["size", 7, 1], ["data", 10, 0], ["tuple", 13, 0], ["msgcontrol", 10, 0]]],
  ["accept", 0, 515, 4641, [["flags", 3, 2]]],
  ["accept", 1, 515, 4641, [["fd", 14, 1], ["tuple", 13, 0], ["queuepct", 5, 1]]],
  ["creat", 0, 514, 4129, [["name", 17, 0], ["mode", 7, 6]]],
  ["creat", 1, 514, 4129, [["fd", 14, 1], ["name", 17, 0], ["mode", 7, 6], ["dev", 7, 2], ["ino", 8, 1], ["creat_flags", 29, 2]]],
  ["pipe", 0, 516, 545, []],
  ["pipe", 1, 516, 33, [["res", 11, 1], ["fd1", 14, 1], ["fd2", 14, 1], ["ino", 8, 1]]],
  ["eventfd", 0, 516, 4641, [["initval", 8, 1], ["flags", 7, 2]]],
  ["eventfd", 1, 516, 4129, [["res", 14, 1], ["initval", 8, 1], ["flags", 7, 2]]],
  ["futex", 0, 516, 4608, [["addr", 8, 2], ["op", 29, 2], ["val", 8, 1]]],
  ["futex", 1, 516, 4096, [["res", 11, 1], ["addr", 8, 2], ["op", 29, 2], ["val", 8, 1]]],
  ["stat", 0, 514, 512, []],
  ["stat", 1, 514, 0, [["res", 11, 1], ["path", 17, 0]]],
  ["lstat", 0, 514, 512, []],
  ["lstat", 1, 514, 0, [["res", 11, 1], ["path", 17, 0]]],
  ["fstat", 0, 514, 4612, [["fd", 14, 0]]],
  ["fstat", 1, 514, 4100, [["res", 11, 1], ["fd", 14, 0]]],
  ["stat64", 0, 514, 512, []],
  ["stat64", 1, 514, 0, [["res", 11, 1], ["path", 17, 0]]],
  ["lstat64", 0, 514, 512, []],
  ["lstat64", 1, 514, 0, [["res", 11, 1], ["path", 17, 0]]],
  ["fstat64", 0, 514, 516, [["fd", 14, 0]]],
  ["fstat64", 1, 514, 0, [["res", 11, 1]]],
  ["epoll_wait", 0, 576, 4736, [["maxevents", 11, 1]]],
  ["epoll_wait", 1, 576, 4224, [["res", 11, 1], ["maxevents", 11, 1]]],
  ["poll", 0, 576, 4736, [["fds", 16, 1], ["timeout", 4, 1]]],
  ["poll", 1, 576, 4224, [["res", 11, 1], ["fds", 16, 1], ["timeout", 4, 1]]],
  ["select", 0, 576, 640, []],
  ["select", 1, 576, 128, [["res", 11, 1]]],
  ["select", 0, 576, 640, []],
  ["select", 1, 576, 4736, [["res", 11, 1]]],
  ["lseek", 0, 514, 4612, [["fd", 14, 1], ["offset", 8, 1], ["whence", 44, 1]]],
  ["lseek", 1, 514, 4100, [["res", 11, 1], ["fd", 14, 1], ["offset", 8, 1], ["whence", 44, 1]]],
  ["llseek", 0, 514, 4612, [["fd", 14, 1], ["offset", 8, 1], ["whence", 44, 1]]],
  ["llseek", 1, 514, 4100, [["res", 11, 1], ["fd", 14, 1], ["offset", 8, 1], ["whence", 44, 1]]],
  ["ioctl", 0, 546, 4612, [["fd", 14, 1], ["request", 8, 2]]],
  ["ioctl", 1, 546, 4612, [["res", 11, 1]]],
  ["getcwd", 0, 514, 512, []],
  ["getcwd", 1, 514, 0, [["res", 11, 1], ["path", 9, 0]]],
  ["chdir", 0, 514, 544, []],
  ["chdir", 1, 514, 32, [["res", 11, 1], ["path", 9, 0]]],
  ["fchdir", 0, 514, 4644, [["fd", 14, 0]]],
  ["fchdir", 1, 514, 4132, [["res", 11, 1], ["fd", 14, 0]]],
  ["mkdir", 0, 514, 4608, [["path", 17, 0], ["mode", 7, 2]]],
  ["mkdir", 1, 514, 4608, [["res", 11, 1]]],
  ["rmdir", 0, 514, 4608, [["path", 17, 0]]],
  ["rmdir", 1, 514, 4608, [["res", 11, 1]]],
  ["openat", 0, 514, 4641, [["dirfd", 14, 1], ["name", 9, 0], ["flags", 30, 2], ["mode", 7, 6]]],
  ["openat", 1, 514, 4641, [["fd", 14, 1]]],
  ["link", 0, 514, 4608, [["oldpath", 17, 0], ["newpath", 17, 0]]],
  ["link", 1, 514, 4608, [["res", 11, 1]]],
  ["linkat", 0, 514, 4608, [["olddir", 14, 1], ["oldpath", 9, 0], ["newdir", 14, 1], ["newpath", 9, 0]]],
  ["linkat", 1, 514, 4608, [["res", 11, 1]]],
  ["unlink", 0, 514, 4608, [["path", 17, 0]]],
  ["unlink", 1, 514, 4608, [["res", 11, 1]]],
  ["unlinkat", 0, 514, 4608, [["dirfd", 14, 1], ["name", 9, 0]]],
  ["unlinkat", 1, 514, 4608, [["res", 11, 1]]],
  ["pread", 0, 544, 4620, [["fd", 14, 1], ["size", 7, 1], ["pos", 8, 1]]],
  ["pread", 1, 544, 4108, [["res", 11, 1], ["data", 10, 0], ["fd", 14, 1], ["size", 7, 1], ["pos", 8, 1]]],
  ["pwrite", 0, 545, 4628, [["fd", 14, 1], ["size", 7, 1], ["pos", 8, 1]]],
  ["pwrite", 1, 545, 4116, [["res", 11, 1], ["data", 10, 0], ["fd", 14, 1], ["size", 7, 1], ["pos", 8, 1]]],
  ["readv", 0, 544, 4620, [["fd", 14, 1]]],
  ["readv", 1, 544, 4108, [["res", 11, 1], ["size", 7, 1], ["data", 10, 0], ["fd", 14, 1]]],
  ["writev", 0, 545, 4628, [["fd", 14, 1], ["size", 7, 1]]],
  ["writev", 1, 545, 4116, [["res", 11, 1], ["data", 10, 0], ["fd", 14, 1], ["size", 7, 1]]],
  ["preadv", 0, 544, 4620, [["fd", 14, 1], ["pos", 8, 1]]],
  ["preadv", 1, 544, 4108, [["res", 11, 1], ["size", 7, 1], ["data", 10, 0], ["fd", 14, 1], ["pos", 8, 1]]],
  ["pwritev", 0, 545, 4628, [["fd", 14, 1], ["size", 7, 1], ["pos", 8, 1]]],
  ["pwritev", 1, 545, 4116, [["res", 11, 1], ["data", 10, 0], ["fd", 14, 1], ["size", 7, 1], ["pos", 8, 1]]],
  ["dup", 0, 546, 4645, [["fd", 14, 1]]],
  ["dup", 1, 546, 4645, [["res", 14, 1]]],
  ["signalfd", 0, 521, 4641, [["fd", 14, 1], ["mask", 7, 2], ["flags", 5, 2]]],
  ["signalfd", 1, 521, 4129, [["res", 14, 1], ["fd", 14, 1], ["mask", 7, 2], ["flags", 5, 2]]],
  ["kill", 0, 521, 4608, [["pid", 15, 1], ["sig", 19, 1]]],
  ["kill", 1, 521, 4096, [["res", 11, 1], ["pid", 15, 1], ["sig", 19, 1]]],
  ["tkill", 0, 521, 4608, [["tid", 15, 1], ["sig", 19, 1]]],
  ["tkill", 1, 521, 4096, [["res", 11, 1], ["tid", 15, 1], ["sig", 19, 1]]],
  ["tgkill", 0, 521, 4608, [["pid", 15, 1], ["tid", 15, 1], ["sig", 19, 1]]],
  ["tgkill", 1, 521, 4096, [["res", 11, 1], ["pid", 15, 1], ["tid", 15, 1], ["sig", 19, 1]]],
  ["nanosleep", 0, 519, 4736, [["interval", 20, 1]]],
  ["nanosleep", 1, 519, 4224, [["res", 11, 1], ["interval", 20, 1]]],
  ["timerfd_create", 0, 523, 4641, [["clockid", 5, 1], ["flags", 5, 2]]],
  ["timerfd_create", 1, 523, 4129, [["res", 14, 1], ["clockid", 5, 1], ["flags", 5, 2]]],
  ["inotify_init", 0, 516, 4641, [["flags", 5, 2]]],
  ["inotify_init", 1, 516, 4129, [["res", 14, 1], ["flags", 5, 2]]],
  ["getrlimit", 0, 518, 4608, [["resource", 44, 1]]],
  ["getrlimit", 1, 518, 4096, [["res", 11, 1], ["cur", 4, 1], ["max", 4, 1], ["resource", 44, 1]]],
  ["setrlimit", 0, 518, 4608, [["resource", 44, 1]]],
  ["setrlimit", 1, 518, 4096, [["res", 11, 1], ["cur", 4, 1], ["max", 4, 1], ["resource", 44, 1]]],
  ["prlimit", 0, 518, 4608, [["pid", 15, 1], ["resource", 44, 1]]],
  ["prlimit", 1, 518, 4096, [["res", 11, 1], ["newcur", 4, 1], ["newmax", 4, 1], ["oldcur", 4, 1], ["oldmax", 4, 1], ["pid", 4, 1], ["resource", 44, 1]]],
  ["switch", 0, 1152, 4864, [["next", 15, 1]]],
  ["NA", 1, 0, 64, []],
  ["drop", 0, 4352, 256, [["ratio", 7, 1]]],
  ["drop", 1, 4352, 256, [["ratio", 7, 1]]],
  ["fcntl", 0, 546, 4644, [["fd", 14, 1], ["cmd", 44, 1]]],
  ["fcntl", 1, 546, 4132, [["res", 14, 1], ["fd", 14, 1], ["cmd", 44, 1], ["arg", 8, 2]]],
  ["switch", 0, 1152, 0, [["next", 15, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1]]],
  ["NA", 1, 0, 64, []],
  ["execve", 0, 518, 4640, []],
  ["execve", 1, 518, 4640, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1]]],
  ["clone", 0, 518, 544, []],
  ["clone", 1, 518, 4640, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1]]],
  ["brk", 0, 517, 4608, [["addr", 8, 2]]],
  ["brk", 1, 517, 4096, [["res", 8, 2], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["addr", 8, 2]]],
  ["mmap", 0, 517, 4612, [["addr", 8, 2], ["length", 8, 1], ["prot", 30, 2], ["flags", 30, 2], ["fd", 14, 1], ["offset", 8, 1]]],
  ["mmap", 1, 517, 4100, [["res", 11, 2], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["addr", 8, 2], ["length", 8, 1], ["prot", 30, 2], ["flags", 30, 2], ["fd", 14, 1], ["offset", 8, 1]]],
  ["mmap2", 0, 517, 4612, [["addr", 8, 2], ["length", 8, 1], ["prot", 30, 2], ["flags", 30, 2], ["fd", 14, 1], ["pgoffset", 8, 1]]],
  ["mmap2", 1, 517, 4100, [["res", 11, 2], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["addr", 8, 2], ["length", 8, 1], ["prot", 30, 2], ["flags", 30, 2], ["fd", 14, 1], ["pgoffset", 8, 1]]],
  ["munmap", 0, 517, 4608, [["addr", 8, 2], ["length", 8, 1]]],
  ["munmap", 1, 517, 4096, [["res", 11, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["addr", 8, 2], ["length", 8, 1]]],
  ["splice", 0, 546, 4612, [["fd_in", 14, 1], ["fd_out", 14, 1], ["size", 8, 1], ["flags", 30, 2]]],
  ["splice", 1, 546, 4100, [["res", 11, 1], ["fd_in", 14, 1], ["fd_out", 14, 1], ["size", 8, 1], ["flags", 30, 2]]],
  ["ptrace", 0, 518, 4608, [["request", 45, 1], ["pid", 15, 1]]],
  ["ptrace", 1, 518, 4096, [["res", 11, 1], ["addr", 27, 2], ["data", 27, 2], ["request", 45, 1], ["pid", 15, 1]]],
  ["ioctl", 0, 546, 4612, [["fd", 14, 1], ["request", 8, 2], ["argument", 8, 2]]],
  ["ioctl", 1, 546, 4100, [["res", 11, 1], ["fd", 14, 1], ["request", 8, 2], ["argument", 8, 2]]],
  ["execve", 0, 518, 4640, []],
  ["execve", 1, 518, 4640, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["env", 10, 0]]],
  ["rename", 0, 514, 512, []],
  ["rename", 1, 514, 0, [["res", 11, 1], ["oldpath", 17, 0], ["newpath", 17, 0]]],
  ["renameat", 0, 514, 512, []],
  ["renameat", 1, 514, 0, [["res", 11, 1], ["olddirfd", 14, 1], ["oldpath", 43, 0], ["newdirfd", 14, 1], ["newpath", 43, 0]]],
  ["symlink", 0, 514, 512, []],
  ["symlink", 1, 514, 0, [["res", 11, 1], ["target", 9, 0], ["linkpath", 17, 0]]],
  ["symlinkat", 0, 514, 512, []],
  ["symlinkat", 1, 514, 4, [["res", 11, 1], ["target", 9, 0], ["linkdirfd", 14, 1], ["linkpath", 43, 0]]],
  ["fork", 0, 518, 544, []],
  ["fork", 1, 518, 4640, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1]]],
  ["vfork", 0, 518, 544, []],
  ["vfork", 1, 518, 4640, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1]]],
  ["procexit", 0, 1030, 32, [["status", 11, 1], ["ret", 11, 1], ["sig", 19, 1], ["core", 5, 1], ["reaper_tid", 15, 1]]],
  ["NA", 1, 0, 64, []],
  ["sendfile", 0, 545, 4612, [["out_fd", 14, 1], ["in_fd", 14, 1], ["offset", 8, 1], ["size", 8, 1]]],
  ["sendfile", 1, 545, 4100, [["res", 11, 1], ["offset", 8, 1], ["out_fd", 14, 1], ["in_fd", 14, 1], ["size", 8, 1]]],
  ["quotactl", 0, 522, 4608, [["cmd", 29, 1], ["type", 28, 1], ["id", 7, 1], ["quota_fmt", 28, 1]]],
  ["quotactl", 1, 522, 4096, [["res", 11, 1], ["special", 9, 0], ["quotafilepath", 9, 0], ["dqb_bhardlimit", 8, 1], ["dqb_bsoftlimit", 8, 1], ["dqb_curspace", 8, 1], ["dqb_ihardlimit", 8, 1], ["dqb_isoftlimit", 8, 1], ["dqb_btime", 20, 1], ["dqb_itime", 20, 1], ["dqi_bgrace", 20, 1], ["dqi_igrace", 20, 1], ["dqi_flags", 28, 1], ["quota_fmt_out", 28, 1], ["cmd", 29, 1], ["type", 28, 1], ["id", 7, 1], ["quota_fmt", 28, 1]]],
  ["setresuid", 0, 522, 4640, [["ruid", 31, 1], ["euid", 31, 1], ["suid", 31, 1]]],
  ["setresuid", 1, 522, 4128, [["res", 11, 1], ["ruid", 31, 1], ["euid", 31, 1], ["suid", 31, 1]]],
  ["setresgid", 0, 522, 4640, [["rgid", 32, 1], ["egid", 32, 1], ["sgid", 32, 1]]],
  ["setresgid", 1, 522, 4128, [["res", 11, 1], ["rgid", 32, 1], ["egid", 32, 1], ["sgid", 32, 1]]],
  ["scapevent", 0, 4352, 256, [["event_type", 7, 1], ["event_data", 8, 1]]],
  ["NA", 1, 0, 64, []],
  ["setuid", 0, 522, 4640, [["uid", 31, 1]]],
  ["setuid", 1, 522, 4128, [["res", 11, 1], ["uid", 31, 1]]],
  ["setgid", 0, 522, 4640, [["gid", 32, 1]]],
  ["setgid", 1, 522, 4128, [["res", 11, 1], ["gid", 32, 1]]],
  ["getuid", 0, 522, 512, []],
  ["getuid", 1, 522, 0, [["uid", 31, 1]]],
  ["geteuid", 0, 522, 512, []],
  ["geteuid", 1, 522, 0, [["euid", 31, 1]]],
  ["getgid", 0, 522, 512, []],
  ["getgid", 1, 522, 0, [["gid", 32, 1]]],
  ["getegid", 0, 522, 512, []],
  ["getegid", 1, 522, 0, [["egid", 32, 1]]],
  ["getresuid", 0, 522, 512, []],
  ["getresuid", 1, 522, 0, [["res", 11, 1], ["ruid", 31, 1], ["euid", 31, 1], ["suid", 31, 1]]],
  ["getresgid", 0, 522, 512, []],
  ["getresgid", 1, 522, 0, [["res", 11, 1], ["rgid", 32, 1], ["egid", 32, 1], ["sgid", 32, 1]]],
  ["execve", 0, 518, 4640, []],
  ["execve", 1, 518, 4640, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["env", 10, 0]]],
  ["clone", 0, 518, 544, []],
  ["clone", 1, 518, 4640, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1]]],
  ["fork", 0, 518, 544, []],
  ["fork", 1, 518, 4640, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1]]],
  ["vfork", 0, 518, 544, []],
  ["vfork", 1, 518, 4640, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1]]],
  ["clone", 0, 518, 544, []],
  ["clone", 1, 518, 4128, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1], ["vtid", 15, 1], ["vpid", 15, 1], ["pidns_init_start_ts", 8, 1]]],
  ["fork", 0, 518, 544, []],
  ["fork", 1, 518, 4128, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1], ["vtid", 15, 1], ["vpid", 15, 1], ["pidns_init_start_ts", 8, 1]]],
  ["vfork", 0, 518, 544, []],
  ["vfork", 1, 518, 4128, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1], ["vtid", 15, 1], ["vpid", 15, 1], ["pidns_init_start_ts", 8, 1]]],
  ["container", 0, 4352, 4896, [["id", 9, 0], ["type", 7, 1], ["name", 9, 0], ["image", 9, 0]]],
  ["NA", 1, 0, 64, []],
  ["execve", 0, 518, 4640, []],
  ["execve", 1, 518, 4640, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["env", 10, 0]]],
  ["signaldeliver", 0, 1033, 0, [["spid", 15, 1], ["dpid", 15, 1], ["sig", 19, 1]]],
  ["NA", 1, 0, 64, []],
  ["procinfo", 0, 4352, 256, [["cpu_usr", 8, 1], ["cpu_sys", 8, 1]]],
  ["NA", 1, 0, 64, []],
  ["getdents", 0, 514, 4612, [["fd", 14, 0]]],
  ["getdents", 1, 514, 4100, [["res", 11, 1], ["fd", 14, 0]]],
  ["getdents64", 0, 514, 4612, [["fd", 14, 0]]],
  ["getdents64", 1, 514, 4100, [["res", 11, 1], ["fd", 14, 0]]],
  ["setns", 0, 518, 4612, [["fd", 14, 0], ["nstype", 30, 2]]],
  ["setns", 1, 518, 4100, [["res", 11, 1], ["fd", 14, 0], ["nstype", 30, 2]]],
  ["flock", 0, 514, 4612, [["fd", 14, 0], ["operation", 30, 2]]],
  ["flock", 1, 514, 4100, [["res", 11, 1], ["fd", 14, 0], ["operation", 30, 2]]],
  ["cpu_hotplug", 0, 4104, 288, [["cpu", 7, 1], ["action", 7, 1]]],
  ["NA", 1, 0, 64, []],
  ["accept", 0, 515, 545, []],
  ["accept", 1, 515, 33, [["fd", 14, 1], ["tuple", 13, 0], ["queuepct", 5, 1], ["queuelen", 7, 1], ["queuemax", 7, 1]]],
  ["accept", 0, 515, 4641, [["flags", 3, 2]]],
  ["accept", 1, 515, 4641, [["fd", 14, 1], ["tuple", 13, 0], ["queuepct", 5, 1], ["queuelen", 7, 1], ["queuemax", 7, 1]]],
  ["semop", 0, 518, 4608, [["semid", 3, 1]]],
  ["semop", 1, 518, 4096, [["res", 11, 1], ["nsops", 7, 1], ["sem_num_0", 6, 1], ["sem_op_0", 2, 1], ["sem_flg_0", 29, 2], ["sem_num_1", 6, 1], ["sem_op_1", 2, 1], ["sem_flg_1", 29, 2], ["semid", 3, 1]]],
  ["semctl", 0, 518, 4608, [["semid", 3, 1], ["semnum", 3, 1], ["cmd", 29, 2], ["val", 3, 1]]],
  ["semctl", 1, 518, 4096, [["res", 11, 1], ["semid", 3, 1], ["semnum", 3, 1], ["cmd", 29, 2], ["val", 3, 1]]],
  ["ppoll", 0, 576, 4736, [["fds", 16, 1], ["timeout", 20, 1], ["sigmask", 34, 1]]],
  ["ppoll", 1, 576, 4224, [["res", 11, 1], ["fds", 16, 1], ["timeout", 20, 1], ["sigmask", 34, 1]]],
  ["mount", 0, 514, 4640, [["flags", 30, 2]]],
  ["mount", 1, 514, 4128, [["res", 11, 1], ["dev", 9, 0], ["dir", 17, 0], ["type", 9, 0], ["flags", 30, 2]]],
  ["umount", 0, 514, 544, [["flags", 30, 2]]],
  ["umount", 1, 514, 4640, [["res", 11, 1], ["name", 17, 0]]],
  ["k8s", 0, 4352, 800, [["json", 9, 0]]],
  ["NA", 1, 0, 64, []],
  ["semget", 0, 518, 4608, [["key", 3, 2], ["nsems", 3, 1], ["semflg", 30, 2]]],
  ["semget", 1, 518, 4096, [["res", 11, 1], ["key", 3, 2], ["nsems", 3, 1], ["semflg", 30, 2]]],
  ["access", 0, 514, 4608, [["mode", 30, 2]]],
  ["access", 1, 514, 4096, [["res", 11, 1], ["name", 17, 0], ["mode", 30, 2]]],
  ["chroot", 0, 518, 544, []],
  ["chroot", 1, 518, 32, [["res", 11, 1], ["path", 17, 0]]],
  ["tracer", 0, 4097, 512, [["id", 4, 1], ["tags", 35, 0], ["args", 36, 0]]],
  ["NA", 1, 0, 64, [["id", 4, 1], ["tags", 35, 0], ["args", 36, 0]]],
  ["mesos", 0, 4352, 800, [["json", 9, 0]]],
  ["NA", 1, 0, 64, []],
  ["container", 0, 4102, 4640, [["json", 9, 0]]],
  ["NA", 1, 0, 64, []],
  ["setsid", 0, 518, 544, []],
  ["setsid", 1, 518, 32, [["res", 15, 1]]],
  ["mkdir", 0, 514, 4608, [["mode", 7, 2]]],
  ["mkdir", 1, 514, 4096, [["res", 11, 1], ["path", 17, 0], ["mode", 7, 2]]],
  ["rmdir", 0, 514, 512, []],
  ["rmdir", 1, 514, 0, [["res", 11, 1], ["path", 17, 0]]],
  ["notification", 0, 4097, 256, [["id", 9, 1], ["desc", 9, 0]]],
  ["NA", 1, 0, 64, []],
  ["execve", 0, 518, 4640, []],
  ["execve", 1, 518, 4640, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["env", 10, 0], ["tty", 3, 1]]],
  ["unshare", 0, 518, 4608, [["flags", 30, 2]]],
  ["unshare", 1, 518, 4096, [["res", 11, 1], ["flags", 30, 2]]],
  ["infra", 0, 4352, 256, [["source", 9, 1], ["name", 9, 0], ["description", 9, 0], ["scope", 9, 0]]],
  ["NA", 1, 0, 64, []],
  ["execve", 0, 518, 4640, [["filename", 17, 0]]],
  ["execve", 1, 518, 4640, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["env", 10, 0], ["tty", 3, 1]]],
  ["page_fault", 0, 1025, 256, [["addr", 8, 2], ["ip", 8, 2], ["error", 30, 2]]],
  ["NA", 1, 0, 64, []],
  ["execve", 0, 518, 4640, [["filename", 17, 0]]],
  ["execve", 1, 518, 4128, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["env", 10, 0], ["tty", 7, 1], ["vpgid", 15, 1], ["loginuid", 31, 1], ["flags", 30, 2], ["cap_inheritable", 8, 2], ["cap_permitted", 8, 2], ["cap_effective", 8, 2], ["exe_ino", 8, 1], ["exe_ino_ctime", 21, 1], ["exe_ino_mtime", 21, 1], ["uid", 31, 1], ["trusted_exepath", 17, 0], ["pgid", 15, 0], ["gid", 32, 1], ["filename", 17, 0]]],
  ["setpgid", 0, 518, 4608, [["pid", 15, 1], ["pgid", 15, 1]]],
  ["setpgid", 1, 518, 4096, [["res", 11, 1], ["pid", 15, 1], ["pgid", 15, 1]]],
  ["bpf", 0, 513, 4609, [["cmd", 4, 1]]],
  ["bpf", 1, 513, 4609, [["res_or_fd", 27, 1]]],
  ["seccomp", 0, 513, 4608, [["op", 8, 1], ["flags", 8, 2]]],
  ["seccomp", 1, 513, 4096, [["res", 11, 1], ["op", 8, 1], ["flags", 8, 2]]],
  ["unlink", 0, 514, 512, []],
  ["unlink", 1, 514, 0, [["res", 11, 1], ["path", 17, 0]]],
  ["unlinkat", 0, 514, 512, []],
  ["unlinkat", 1, 514, 4, [["res", 11, 1], ["dirfd", 14, 1], ["name", 43, 0], ["flags", 30, 2]]],
  ["mkdirat", 0, 514, 512, []],
  ["mkdirat", 1, 514, 4, [["res", 11, 1], ["dirfd", 14, 1], ["path", 43, 0], ["mode", 7, 2]]],
  ["openat", 0, 514, 4129, [["dirfd", 14, 1], ["name", 43, 0], ["flags", 30, 2], ["mode", 7, 6]]],
  ["openat", 1, 514, 4129, [["fd", 14, 1], ["dirfd", 14, 1], ["name", 43, 0], ["flags", 30, 2], ["mode", 7, 6], ["dev", 7, 2], ["ino", 8, 1]]],
  ["link", 0, 514, 512, []],
  ["link", 1, 514, 0, [["res", 11, 1], ["oldpath", 17, 0], ["newpath", 17, 0]]],
  ["linkat", 0, 514, 512, []],
  ["linkat", 1, 514, 0, [["res", 11, 1], ["olddir", 14, 1], ["oldpath", 43, 0], ["newdir", 14, 1], ["newpath", 43, 0], ["flags", 30, 2]]],
  ["fchmodat", 0, 514, 512, []],
  ["fchmodat", 1, 514, 4, [["res", 11, 1], ["dirfd", 14, 1], ["filename", 43, 0], ["mode", 42, 6]]],
  ["chmod", 0, 514, 512, []],
  ["chmod", 1, 514, 0, [["res", 11, 1], ["filename", 17, 0], ["mode", 42, 6]]],
  ["fchmod", 0, 514, 512, []],
  ["fchmod", 1, 514, 4, [["res", 11, 1], ["fd", 14, 1], ["mode", 42, 6]]],
  ["renameat2", 0, 514, 512, []],
  ["renameat2", 1, 514, 0, [["res", 11, 1], ["olddirfd", 14, 1], ["oldpath", 43, 0], ["newdirfd", 14, 1], ["newpath", 43, 0], ["flags", 30, 2]]],
  ["userfaultfd", 0, 514, 545, []],
  ["userfaultfd", 1, 514, 33, [["res", 11, 1], ["flags", 30, 2]]],
  ["pluginevent", 0, 2049, 2048, [["plugin_id", 7, 1], ["event_data", 10, 0]]],
  ["NA", 1, 0, 64, []],
  ["container", 0, 4102, 2080, [["json", 9, 0]]],
  ["NA", 1, 0, 64, []],
  ["openat2", 0, 514, 4129, [["dirfd", 14, 1], ["name", 43, 0], ["flags", 30, 2], ["mode", 7, 6], ["resolve", 30, 2]]],
  ["openat2", 1, 514, 4129, [["fd", 14, 1], ["dirfd", 14, 1], ["name", 43, 0], ["flags", 30, 2], ["mode", 7, 6], ["resolve", 30, 2], ["dev", 7, 2], ["ino", 8, 1]]],
  ["mprotect", 0, 517, 4608, [["addr", 8, 2], ["length", 8, 1], ["prot", 30, 2]]],
  ["mprotect", 1, 517, 4096, [["res", 11, 1], ["addr", 8, 2], ["length", 8, 1], ["prot", 30, 2]]],
  ["execveat", 0, 518, 4640, [["dirfd", 14, 1], ["pathname", 43, 0], ["flags", 30, 2]]],
  ["execveat", 1, 518, 4128, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["env", 10, 0], ["tty", 7, 1], ["vpgid", 15, 1], ["loginuid", 31, 1], ["flags", 30, 2], ["cap_inheritable", 8, 2], ["cap_permitted", 8, 2], ["cap_effective", 8, 2], ["exe_ino", 8, 1], ["exe_ino_ctime", 21, 1], ["exe_ino_mtime", 21, 1], ["uid", 31, 1], ["trusted_exepath", 17, 0], ["pgid", 15, 0], ["gid", 32, 1]]],
  ["copy_file_range", 0, 514, 4636, [["fdin", 14, 1], ["offin", 8, 1], ["len", 8, 1]]],
  ["copy_file_range", 1, 514, 4124, [["res", 11, 1], ["fdout", 14, 1], ["offout", 8, 1], ["fdin", 14, 1], ["offin", 8, 1], ["len", 8, 1]]],
  ["clone3", 0, 518, 544, []],
  ["clone3", 1, 518, 4128, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1], ["vtid", 15, 1], ["vpid", 15, 1], ["pidns_init_start_ts", 8, 1]]],
  ["open_by_handle_at", 0, 514, 545, []],
  ["open_by_handle_at", 1, 514, 33, [["fd", 14, 1], ["mountfd", 14, 1], ["flags", 30, 2], ["path", 17, 0], ["dev", 7, 2], ["ino", 8, 1]]],
  ["io_uring_setup", 0, 546, 545, []],
  ["io_uring_setup", 1, 546, 33, [["res", 11, 1], ["entries", 7, 1], ["sq_entries", 7, 1], ["cq_entries", 7, 1], ["flags", 30, 2], ["sq_thread_cpu", 7, 1], ["sq_thread_idle", 7, 1], ["features", 30, 2]]],
  ["io_uring_enter", 0, 546, 512, []],
  ["io_uring_enter", 1, 546, 4, [["res", 11, 1], ["fd", 14, 1], ["to_submit", 7, 1], ["min_complete", 7, 1], ["flags", 30, 2], ["sig", 34, 1]]],
  ["io_uring_register", 0, 546, 512, []],
  ["io_uring_register", 1, 546, 4, [["res", 11, 1], ["fd", 14, 1], ["opcode", 45, 1], ["arg", 8, 2], ["nr_args", 7, 1]]],
  ["mlock", 0, 517, 512, []],
  ["mlock", 1, 517, 0, [["res", 11, 1], ["addr", 8, 2], ["len", 8, 1]]],
  ["munlock", 0, 517, 512, []],
  ["munlock", 1, 517, 0, [["res", 11, 1], ["addr", 8, 2], ["len", 8, 1]]],
  ["mlockall", 0, 517, 512, []],
  ["mlockall", 1, 517, 0, [["res", 11, 1], ["flags", 30, 2]]],
  ["munlockall", 0, 517, 512, []],
  ["munlockall", 1, 517, 0, [["res", 11, 1]]],
  ["capset", 0, 518, 544, []],
  ["capset", 1, 518, 32, [["res", 11, 1], ["cap_inheritable", 8, 2], ["cap_permitted", 8, 2], ["cap_effective", 8, 2]]],
  ["useradded", 0, 4102, 32, [["uid", 7, 1], ["gid", 7, 1], ["name", 9, 0], ["home", 9, 0], ["shell", 9, 0], ["container_id", 9, 0]]],
  ["NA", 1, 0, 64, []],
  ["userdeleted", 0, 4102, 32, [["uid", 7, 1], ["gid", 7, 1], ["name", 9, 0], ["home", 9, 0], ["shell", 9, 0], ["container_id", 9, 0]]],
  ["NA", 1, 0, 64, []],
  ["groupadded", 0, 4102, 32, [["gid", 7, 1], ["name", 9, 0], ["container_id", 9, 0]]],
  ["NA", 1, 0, 64, []],
  ["groupdeleted", 0, 4102, 32, [["gid", 7, 1], ["name", 9, 0], ["container_id", 9, 0]]],
  ["NA", 1, 0, 64, []],
  ["dup2", 0, 546, 549, [["fd", 14, 1]]],
  ["dup2", 1, 546, 37, [["res", 14, 1], ["oldfd", 14, 1], ["newfd", 14, 1]]],
  ["dup3", 0, 546, 549, [["fd", 14, 1]]],
  ["dup3", 1, 546, 37, [["res", 14, 1], ["oldfd", 14, 1], ["newfd", 14, 1], ["flags", 30, 2]]],
  ["dup", 0, 546, 549, [["fd", 14, 1]]],
  ["dup", 1, 546, 37, [["res", 14, 1], ["oldfd", 14, 1]]],
  ["bpf", 0, 513, 513, [["cmd", 4, 1]]],
  ["bpf", 1, 513, 1, [["fd", 14, 1], ["cmd", 46, 1]]],
  ["mlock2", 0, 517, 512, []],
  ["mlock2", 1, 517, 0, [["res", 11, 1], ["addr", 8, 2], ["len", 8, 1], ["flags", 30, 2]]],
  ["fsconfig", 0, 520, 512, []],
  ["fsconfig", 1, 520, 4, [["res", 11, 1], ["fd", 14, 1], ["cmd", 46, 1], ["key", 9, 0], ["value_bytebuf", 10, 0], ["value_charbuf", 9, 0], ["aux", 3, 1]]],
  ["epoll_create", 0, 576, 4641, [["size", 3, 1]]],
  ["epoll_create", 1, 576, 4129, [["res", 11, 1], ["size", 3, 1]]],
  ["epoll_create1", 0, 576, 4641, [["flags", 30, 2]]],
  ["epoll_create1", 1, 576, 4129, [["res", 11, 1], ["flags", 30, 2]]],
  ["chown", 0, 514, 512, []],
  ["chown", 1, 514, 0, [["res", 11, 1], ["path", 17, 0], ["uid", 7, 1], ["gid", 7, 1]]],
  ["lchown", 0, 514, 512, []],
  ["lchown", 1, 514, 0, [["res", 11, 1], ["path", 17, 0], ["uid", 7, 1], ["gid", 7, 1]]],
  ["fchown", 0, 514, 512, []],
  ["fchown", 1, 514, 4, [["res", 11, 1], ["fd", 14, 1], ["uid", 7, 1], ["gid", 7, 1]]],
  ["fchownat", 0, 514, 512, []],
  ["fchownat", 1, 514, 4, [["res", 11, 1], ["dirfd", 14, 1], ["pathname", 43, 0], ["uid", 7, 1], ["gid", 7, 1], ["flags", 30, 2]]],
  ["umount", 0, 514, 544, []],
  ["umount", 1, 514, 32, [["res", 11, 1], ["name", 17, 0]]],
  ["accept4", 0, 515, 4641, [["flags", 3, 2]]],
  ["accept4", 1, 515, 4129, [["fd", 14, 1], ["tuple", 13, 0], ["queuepct", 5, 1], ["queuelen", 7, 1], ["queuemax", 7, 1], ["flags", 3, 2]]],
  ["umount2", 0, 514, 4640, [["flags", 30, 2]]],
  ["umount2", 1, 514, 4128, [["res", 11, 1], ["name", 17, 0], ["flags", 30, 2]]],
  ["pipe2", 0, 516, 545, []],
  ["pipe2", 1, 516, 33, [["res", 11, 1], ["fd1", 14, 1], ["fd2", 14, 1], ["ino", 8, 1], ["flags", 30, 2]]],
  ["inotify_init1", 0, 516, 545, []],
  ["inotify_init1", 1, 516, 33, [["res", 14, 1], ["flags", 29, 2]]],
  ["eventfd2", 0, 516, 4641, [["initval", 8, 1]]],
  ["eventfd2", 1, 516, 4129, [["res", 14, 1], ["flags", 29, 2], ["initval", 8, 1]]],
  ["signalfd4", 0, 521, 4641, [["fd", 14, 1], ["mask", 7, 2]]],
  ["signalfd4", 1, 521, 4129, [["res", 14, 1], ["flags", 29, 2], ["fd", 14, 1], ["mask", 7, 2]]],
  ["prctl", 0, 518, 544, []],
  ["prctl", 1, 518, 32, [["res", 11, 1], ["option", 46, 1], ["arg2_str", 9, 0], ["arg2_int", 4, 1]]],
  ["asyncevent", 0, 4097, 2048, [["plugin_id", 7, 1], ["name", 9, 0], ["data", 10, 0]]],
  ["NA", 1, 0, 64, []],
  ["memfd_create", 0, 517, 545, []],
  ["memfd_create", 1, 517, 33, [["fd", 14, 1], ["name", 9, 0], ["flags", 30, 2]]],
  ["pidfd_getfd", 0, 518, 545, []],
  ["pidfd_getfd", 1, 518, 33, [["fd", 14, 1], ["pid_fd", 14, 1], ["target_fd", 14, 1], ["flags", 7, 2]]],
  ["pidfd_open", 0, 518, 545, []],
  ["pidfd_open", 1, 518, 33, [["fd", 14, 1], ["pid", 15, 1], ["flags", 30, 2]]],
  ["init_module", 0, 513, 512, []],
  ["init_module", 1, 513, 0, [["res", 11, 1], ["img", 10, 0], ["length", 8, 1], ["uargs", 9, 0]]],
  ["finit_module", 0, 513, 512, []],
  ["finit_module", 1, 513, 12, [["res", 11, 1], ["fd", 14, 1], ["uargs", 9, 0], ["flags", 30, 2]]],
  ["mknod", 0, 513, 512, []],
  ["mknod", 1, 513, 0, [["res", 11, 1], ["path", 17, 0], ["mode", 42, 6], ["dev", 7, 1]]],
  ["mknodat", 0, 513, 512, []],
  ["mknodat", 1, 513, 4, [["res", 11, 1], ["dirfd", 14, 1], ["path", 43, 0], ["mode", 42, 6], ["dev", 7, 1]]],
  ["newfstatat", 0, 514, 512, []],
  ["newfstatat", 1, 514, 4, [["res", 11, 1], ["dirfd", 14, 1], ["path", 43, 0], ["flags", 30, 2]]],
  ["process_vm_readv", 0, 516, 512, []],
  ["process_vm_readv", 1, 516, 0, [["res", 4, 1], ["pid", 15, 1], ["data", 10, 0]]],
  ["process_vm_writev", 0, 516, 512, []],
  ["process_vm_writev", 1, 516, 0, [["res", 4, 1], ["pid", 15, 1], ["data", 10, 0]]],
  ["delete_module", 0, 513, 512, []],
  ["delete_module", 1, 513, 0, [["res", 11, 1], ["name", 9, 0], ["flags", 30, 2]]],
  ["setreuid", 0, 522, 544, []],
  ["setreuid", 1, 522, 32, [["res", 11, 1], ["ruid", 31, 1], ["euid", 31, 1]]],
  ["setregid", 0, 522, 512, []],
  ["setregid", 1, 522, 32, [["res", 11, 1], ["rgid", 31, 1], ["egid", 31, 1]]],
  ["task", 0, 8198, 32, [["ppid", 48, 1], ["pgid", 48, 1], ["vpgid", 48, 1], ["sid", 48, 1], ["comm", 9, 0], ["argv", 35, 0], ["exepath", 17, 0], ["flags", 30, 2], ["env", 35, 0], ["cwd", 9, 0], ["fdlimit", 8, 1], ["euid", 31, 1], ["egid", 32, 1], ["cap_permitted", 8, 2], ["cap_effective", 8, 2], ["cap_inheritable", 8, 2], ["exe_ino_num", 8, 1], ["exe_ino_ctime", 21, 1], ["exe_ino_mtime", 21, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vtgid", 48, 1], ["vpid", 48, 1], ["pidns_init_start_ts", 8, 1], ["cgroups", 35, 0], ["root", 17, 0], ["start_time", 21, 1], ["tty", 7, 1], ["loginuid", 31, 1]]],
  ["NA", 1, 0, 64, []],
  ["task_file_pipe", 0, 8194, 32, [["fd", 47, 1], ["path", 17, 0], ["ino_num", 8, 1]]],
  ["NA", 1, 0, 64, []],
  ["task_file_memfd", 0, 8194, 32, [["fd", 47, 1], ["path", 17, 0], ["ino_num", 8, 1]]],
  ["NA", 1, 0, 64, []],
  ["task_file_regular", 0, 8194, 32, [["fd", 47, 1], ["path", 17, 0], ["flags", 30, 2], ["mnt_id", 7, 1], ["ino_num", 8, 1]]],
  ["NA", 1, 0, 64, []],
  ["task_file_directory", 0, 8194, 32, [["fd", 47, 1], ["path", 17, 0], ["ino_num", 8, 1]]],
  ["NA", 1, 0, 64, []],
  ["task_file_socket_inet", 0, 8194, 32, [["fd", 47, 1], ["sk_type", 6, 1], ["sk_proto", 6, 1], ["local_ip", 26, 2], ["local_port", 22, 2], ["remote_ip", 26, 2], ["remote_port", 22, 2], ["ino_num", 8, 1]]],
  ["NA", 1, 0, 64, []],
  ["task_file_socket_inet6", 0, 8194, 32, [["fd", 47, 1], ["sk_type", 6, 1], ["sk_proto", 6, 1], ["local_ip", 38, 2], ["local_port", 22, 2], ["remote_ip", 38, 2], ["remote_port", 22, 2], ["ino_num", 8, 1]]],
  ["NA", 1, 0, 64, []],
  ["task_file_socket_unix", 0, 8194, 32, [["fd", 47, 1], ["sk_type", 6, 1], ["sk_proto", 6, 1], ["sk_pointer", 8, 0], ["sun_path", 17, 0], ["ino_num", 8, 1]]],
  ["NA", 1, 0, 64, []],
  ["task_file_socket_netlink", 0, 8194, 32, [["fd", 47, 1], ["sk_type", 6, 1], ["sk_proto", 6, 1], ["ino_num", 8, 1]]],
  ["NA", 1, 0, 64, []],
  ["task_file_anon_inode", 0, 8194, 32, [["fd", 47, 1], ["fd_type", 28, 1], ["path", 17, 0], ["ino_num", 8, 1]]],
  ["NA", 1, 0, 64, []],
  ["NA", 0, 0, 64, []],
  ["close_range", 1, 546, 32, [["res", 11, 1], ["first", 7, 1], ["last", 7, 1], ["flags", 30, 2]]],
  ["NA", 0, 0, 64, []],
  ["keyctl", 1, 513, 0, [["res", 11, 1], ["operation", 46, 1], ["arg2", 27, 1], ["arg3", 27, 1], ["arg4", 27, 1], ["arg5", 27, 1]]]
];
var EVENT_ROWS_SYSDIG_0_29 = [
  ["syscall", 0, 1, 0, [["ID", 18, 1], ["nativeID", 6, 1]]],
  ["syscall", 1, 1, 0, [["ID", 18, 1]]],
  ["open", 0, 2, 33, [["name", 17, 0], ["flags", 30, 2], ["mode", 7, 6]]],
  ["open", 1, 2, 33, [["fd", 14, 1], ["name", 17, 0], ["flags", 30, 2], ["mode", 7, 6], ["dev", 7, 2]]],
  ["close", 0, 34, 1062, [["fd", 14, 1]]],
  ["close", 1, 34, 1062, [["res", 11, 1]]],
  ["read", 0, 32, 1036, [["fd", 14, 1], ["size", 7, 1]]],
  ["read", 1, 32, 1036, [["res", 11, 1], ["data", 10, 0]]],
  ["write", 0, 33, 1044, [["fd", 14, 1], ["size", 7, 1]]],
  ["write", 1, 33, 1044, [["res", 11, 1], ["data", 10, 0]]],
  ["brk", 0, 5, 512, [["size", 7, 1]]],
  ["brk", 1, 5, 512, [["res", 8, 2]]],
  ["execve", 0, 6, 544, []],
  ["execve", 1, 6, 544, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1]]],
  ["clone", 0, 6, 544, []],
  ["clone", 1, 6, 544, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1]]],
  ["procexit", 0, 6, 544, []],
  ["NA1", 1, 6, 64, []],
  ["socket", 0, 3, 33, [["domain", 30, 1], ["type", 7, 1], ["proto", 7, 1]]],
  ["socket", 1, 3, 33, [["fd", 14, 1]]],
  ["bind", 0, 3, 36, [["fd", 14, 1]]],
  ["bind", 1, 3, 36, [["res", 11, 1], ["addr", 12, 0]]],
  ["connect", 0, 3, 36, [["fd", 14, 1], ["addr", 12, 0]]],
  ["connect", 1, 3, 36, [["res", 11, 1], ["tuple", 13, 0]]],
  ["listen", 0, 3, 4, [["fd", 14, 1], ["backlog", 7, 1]]],
  ["listen", 1, 3, 4, [["res", 11, 1]]],
  ["accept", 0, 3, 545, []],
  ["accept", 1, 3, 545, [["fd", 14, 1], ["tuple", 13, 0], ["queuepct", 5, 1]]],
  ["send", 0, 33, 1044, [["fd", 14, 1], ["size", 7, 1]]],
  ["send", 1, 33, 1044, [["res", 11, 1], ["data", 10, 0]]],
  ["sendto", 0, 33, 52, [["fd", 14, 1], ["size", 7, 1], ["tuple", 13, 0]]],
  ["sendto", 1, 33, 52, [["res", 11, 1], ["data", 10, 0]]],
  ["recv", 0, 32, 1036, [["fd", 14, 1], ["size", 7, 1]]],
  ["recv", 1, 32, 1036, [["res", 11, 1], ["data", 10, 0]]],
  ["recvfrom", 0, 32, 44, [["fd", 14, 1], ["size", 7, 1]]],
  ["recvfrom", 1, 32, 44, [["res", 11, 1], ["data", 10, 0], ["tuple", 13, 0]]],
  ["shutdown", 0, 3, 1060, [["fd", 14, 1], ["how", 28, 2]]],
  ["shutdown", 1, 3, 1060, [["res", 11, 1]]],
  ["getsockname", 0, 3, 1024, []],
  ["getsockname", 1, 3, 1024, []],
  ["getpeername", 0, 3, 1024, []],
  ["getpeername", 1, 3, 1024, []],
  ["socketpair", 0, 4, 33, [["domain", 30, 1], ["type", 7, 1], ["proto", 7, 1]]],
  ["socketpair", 1, 4, 33, [["res", 11, 1], ["fd1", 14, 1], ["fd2", 14, 1], ["source", 8, 2], ["peer", 8, 2]]],
  ["setsockopt", 0, 3, 0, []],
  ["setsockopt", 1, 3, 4, [["res", 11, 1], ["fd", 14, 1], ["level", 28, 1], ["optname", 28, 1], ["val", 27, 1], ["optlen", 7, 1]]],
  ["getsockopt", 0, 3, 1056, []],
  ["getsockopt", 1, 3, 1060, [["res", 11, 1], ["fd", 14, 1], ["level", 28, 1], ["optname", 28, 1], ["val", 27, 1], ["optlen", 7, 1]]],
  ["sendmsg", 0, 33, 52, [["fd", 14, 1], ["size", 7, 1], ["tuple", 13, 0]]],
  ["sendmsg", 1, 33, 52, [["res", 11, 1], ["data", 10, 0]]],
  ["sendmmsg", 0, 33, 1024, []],
  ["sendmmsg", 1, 33, 1024, []],
  ["recvmsg", 0, 32, 44, [["fd", 14, 1]]],
  ["recvmsg", 1, 32, 44, [["res", 11, 1], ["size", 7, 1], ["data", 10, 0], ["tuple", 13, 0]]],
  ["recvmmsg", 0, 32, 1024, []],
  ["recvmmsg", 1, 32, 1024, []],
  ["accept", 0, 3, 545, [["flags", 3, 2]]],
  ["accept", 1, 3, 545, [["fd", 14, 1], ["tuple", 13, 0], ["queuepct", 5, 1]]],
  ["creat", 0, 2, 33, [["name", 17, 0], ["mode", 7, 6]]],
  ["creat", 1, 2, 33, [["fd", 14, 1], ["name", 17, 0], ["mode", 7, 6], ["dev", 7, 2]]],
  ["pipe", 0, 4, 33, []],
  ["pipe", 1, 4, 33, [["res", 11, 1], ["fd1", 14, 1], ["fd2", 14, 1], ["ino", 8, 1]]],
  ["eventfd", 0, 4, 1057, [["initval", 8, 1], ["flags", 30, 2]]],
  ["eventfd", 1, 4, 1057, [["res", 14, 1]]],
  ["futex", 0, 4, 1024, [["addr", 8, 2], ["op", 29, 2], ["val", 8, 1]]],
  ["futex", 1, 4, 1024, [["res", 11, 1]]],
  ["stat", 0, 2, 1024, []],
  ["stat", 1, 2, 1024, [["res", 11, 1], ["path", 17, 0]]],
  ["lstat", 0, 2, 1024, []],
  ["lstat", 1, 2, 1024, [["res", 11, 1], ["path", 17, 0]]],
  ["fstat", 0, 2, 1028, [["fd", 14, 0]]],
  ["fstat", 1, 2, 1028, [["res", 11, 1]]],
  ["stat64", 0, 2, 1024, []],
  ["stat64", 1, 2, 1024, [["res", 11, 1], ["path", 17, 0]]],
  ["lstat64", 0, 2, 1024, []],
  ["lstat64", 1, 2, 1024, [["res", 11, 1], ["path", 17, 0]]],
  ["fstat64", 0, 2, 1028, [["fd", 14, 0]]],
  ["fstat64", 1, 2, 1028, [["res", 11, 1]]],
  ["epoll_wait", 0, 64, 1152, [["maxevents", 11, 1]]],
  ["epoll_wait", 1, 64, 1152, [["res", 11, 1]]],
  ["poll", 0, 64, 1152, [["fds", 16, 1], ["timeout", 4, 1]]],
  ["poll", 1, 64, 1152, [["res", 11, 1], ["fds", 16, 1]]],
  ["select", 0, 64, 1152, []],
  ["select", 1, 64, 1152, [["res", 11, 1]]],
  ["select", 0, 64, 1152, []],
  ["select", 1, 64, 1152, [["res", 11, 1]]],
  ["lseek", 0, 2, 1028, [["fd", 14, 1], ["offset", 8, 1], ["whence", 28, 1]]],
  ["lseek", 1, 2, 1028, [["res", 11, 1]]],
  ["llseek", 0, 2, 1028, [["fd", 14, 1], ["offset", 8, 1], ["whence", 28, 1]]],
  ["llseek", 1, 2, 1028, [["res", 11, 1]]],
  ["ioctl", 0, 34, 516, [["fd", 14, 1], ["request", 8, 2]]],
  ["ioctl", 1, 34, 516, [["res", 11, 1]]],
  ["getcwd", 0, 2, 1024, []],
  ["getcwd", 1, 2, 1024, [["res", 11, 1], ["path", 9, 0]]],
  ["chdir", 0, 2, 32, []],
  ["chdir", 1, 2, 32, [["res", 11, 1], ["path", 9, 0]]],
  ["fchdir", 0, 2, 36, [["fd", 14, 0]]],
  ["fchdir", 1, 2, 36, [["res", 11, 1]]],
  ["mkdir", 0, 2, 0, [["path", 17, 0], ["mode", 7, 2]]],
  ["mkdir", 1, 2, 0, [["res", 11, 1]]],
  ["rmdir", 0, 2, 0, [["path", 17, 0]]],
  ["rmdir", 1, 2, 0, [["res", 11, 1]]],
  ["openat", 0, 2, 545, [["dirfd", 14, 1], ["name", 9, 0], ["flags", 30, 2], ["mode", 7, 6]]],
  ["openat", 1, 2, 545, [["fd", 14, 1]]],
  ["link", 0, 2, 512, [["oldpath", 17, 0], ["newpath", 17, 0]]],
  ["link", 1, 2, 512, [["res", 11, 1]]],
  ["linkat", 0, 2, 512, [["olddir", 14, 1], ["oldpath", 9, 0], ["newdir", 14, 1], ["newpath", 9, 0]]],
  ["linkat", 1, 2, 512, [["res", 11, 1]]],
  ["unlink", 0, 2, 512, [["path", 17, 0]]],
  ["unlink", 1, 2, 512, [["res", 11, 1]]],
  ["unlinkat", 0, 2, 512, [["dirfd", 14, 1], ["name", 9, 0]]],
  ["unlinkat", 1, 2, 512, [["res", 11, 1]]],
  ["pread", 0, 32, 1036, [["fd", 14, 1], ["size", 7, 1], ["pos", 8, 1]]],
  ["pread", 1, 32, 1036, [["res", 11, 1], ["data", 10, 0]]],
  ["pwrite", 0, 33, 1044, [["fd", 14, 1], ["size", 7, 1], ["pos", 8, 1]]],
  ["pwrite", 1, 33, 1044, [["res", 11, 1], ["data", 10, 0]]],
  ["readv", 0, 32, 1036, [["fd", 14, 1]]],
  ["readv", 1, 32, 1036, [["res", 11, 1], ["size", 7, 1], ["data", 10, 0]]],
  ["writev", 0, 33, 1044, [["fd", 14, 1], ["size", 7, 1]]],
  ["writev", 1, 33, 1044, [["res", 11, 1], ["data", 10, 0]]],
  ["preadv", 0, 32, 1036, [["fd", 14, 1], ["pos", 8, 1]]],
  ["preadv", 1, 32, 1036, [["res", 11, 1], ["size", 7, 1], ["data", 10, 0]]],
  ["pwritev", 0, 33, 1044, [["fd", 14, 1], ["size", 7, 1], ["pos", 8, 1]]],
  ["pwritev", 1, 33, 1044, [["res", 11, 1], ["data", 10, 0]]],
  ["dup", 0, 34, 37, [["fd", 14, 1]]],
  ["dup", 1, 34, 37, [["res", 14, 1]]],
  ["signalfd", 0, 9, 33, [["fd", 14, 1], ["mask", 7, 2], ["flags", 28, 2]]],
  ["signalfd", 1, 9, 33, [["res", 14, 1]]],
  ["kill", 0, 9, 0, [["pid", 15, 1], ["sig", 19, 1]]],
  ["kill", 1, 9, 0, [["res", 11, 1]]],
  ["tkill", 0, 9, 0, [["tid", 15, 1], ["sig", 19, 1]]],
  ["tkill", 1, 9, 0, [["res", 11, 1]]],
  ["tgkill", 0, 9, 0, [["pid", 15, 1], ["tid", 15, 1], ["sig", 19, 1]]],
  ["tgkill", 1, 9, 0, [["res", 11, 1]]],
  ["nanosleep", 0, 7, 1152, [["interval", 20, 1]]],
  ["nanosleep", 1, 7, 1152, [["res", 11, 1]]],
  ["timerfd_create", 0, 11, 1057, [["clockid", 5, 1], ["flags", 28, 2]]],
  ["timerfd_create", 1, 11, 1057, [["res", 14, 1]]],
  ["inotify_init", 0, 4, 33, [["flags", 28, 2]]],
  ["inotify_init", 1, 4, 33, [["res", 14, 1]]],
  ["getrlimit", 0, 6, 1024, [["resource", 28, 1]]],
  ["getrlimit", 1, 6, 1024, [["res", 11, 1], ["cur", 4, 1], ["max", 4, 1]]],
  ["setrlimit", 0, 6, 1024, [["resource", 28, 1]]],
  ["setrlimit", 1, 6, 1024, [["res", 11, 1], ["cur", 4, 1], ["max", 4, 1]]],
  ["prlimit", 0, 6, 0, [["pid", 15, 1], ["resource", 28, 1]]],
  ["prlimit", 1, 6, 0, [["res", 11, 1], ["newcur", 4, 1], ["newmax", 4, 1], ["oldcur", 4, 1], ["oldmax", 4, 1]]],
  ["switch", 0, 128, 1792, [["next", 15, 1]]],
  ["NA2", 1, 128, 832, []],
  ["drop", 0, 256, 256, [["ratio", 7, 1]]],
  ["drop", 1, 256, 256, [["ratio", 7, 1]]],
  ["fcntl", 0, 34, 1060, [["fd", 14, 1], ["cmd", 28, 1]]],
  ["fcntl", 1, 34, 1060, [["res", 14, 1]]],
  ["switch", 0, 128, 1024, [["next", 15, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1]]],
  ["NA2", 1, 128, 64, []],
  ["execve", 0, 6, 544, []],
  ["execve", 1, 6, 544, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1]]],
  ["clone", 0, 6, 544, []],
  ["clone", 1, 6, 544, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1]]],
  ["brk", 0, 5, 1024, [["addr", 8, 2]]],
  ["brk", 1, 5, 1024, [["res", 8, 2], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1]]],
  ["mmap", 0, 5, 1024, [["addr", 8, 2], ["length", 8, 1], ["prot", 30, 2], ["flags", 30, 2], ["fd", 14, 1], ["offset", 8, 1]]],
  ["mmap", 1, 5, 1024, [["res", 8, 2], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1]]],
  ["mmap2", 0, 5, 1024, [["addr", 8, 2], ["length", 8, 1], ["prot", 30, 2], ["flags", 30, 2], ["fd", 14, 1], ["pgoffset", 8, 1]]],
  ["mmap2", 1, 5, 1024, [["res", 8, 2], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1]]],
  ["munmap", 0, 5, 1024, [["addr", 8, 2], ["length", 8, 1]]],
  ["munmap", 1, 5, 1024, [["res", 11, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1]]],
  ["splice", 0, 34, 1028, [["fd_in", 14, 1], ["fd_out", 14, 1], ["size", 8, 1], ["flags", 30, 2]]],
  ["splice", 1, 34, 1028, [["res", 11, 1]]],
  ["ptrace", 0, 6, 0, [["request", 29, 1], ["pid", 15, 1]]],
  ["ptrace", 1, 6, 0, [["res", 11, 1], ["addr", 27, 2], ["data", 27, 2]]],
  ["ioctl", 0, 34, 4, [["fd", 14, 1], ["request", 8, 2], ["argument", 8, 2]]],
  ["ioctl", 1, 34, 4, [["res", 11, 1]]],
  ["execve", 0, 6, 544, []],
  ["execve", 1, 6, 544, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["env", 10, 0]]],
  ["rename", 0, 2, 0, []],
  ["rename", 1, 2, 0, [["res", 11, 1], ["oldpath", 17, 0], ["newpath", 17, 0]]],
  ["renameat", 0, 2, 0, []],
  ["renameat", 1, 2, 0, [["res", 11, 1], ["olddirfd", 14, 1], ["oldpath", 43, 0], ["newdirfd", 14, 1], ["newpath", 43, 0]]],
  ["symlink", 0, 2, 0, []],
  ["symlink", 1, 2, 0, [["res", 11, 1], ["target", 9, 0], ["linkpath", 17, 0]]],
  ["symlinkat", 0, 2, 0, []],
  ["symlinkat", 1, 2, 0, [["res", 11, 1], ["target", 9, 0], ["linkdirfd", 14, 1], ["linkpath", 43, 0]]],
  ["fork", 0, 6, 544, []],
  ["fork", 1, 6, 544, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1]]],
  ["vfork", 0, 6, 544, []],
  ["vfork", 1, 6, 544, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1]]],
  ["procexit", 0, 6, 32, [["status", 11, 1], ["ret", 11, 1], ["sig", 19, 1], ["core", 5, 1]]],
  ["NA1", 1, 6, 64, []],
  ["sendfile", 0, 33, 1028, [["out_fd", 14, 1], ["in_fd", 14, 1], ["offset", 8, 1], ["size", 8, 1]]],
  ["sendfile", 1, 33, 1028, [["res", 11, 1], ["offset", 8, 1]]],
  ["quotactl", 0, 10, 0, [["cmd", 29, 1], ["type", 28, 1], ["id", 7, 1], ["quota_fmt", 28, 1]]],
  ["quotactl", 1, 10, 0, [["res", 11, 1], ["special", 9, 0], ["quotafilepath", 9, 0], ["dqb_bhardlimit", 8, 1], ["dqb_bsoftlimit", 8, 1], ["dqb_curspace", 8, 1], ["dqb_ihardlimit", 8, 1], ["dqb_isoftlimit", 8, 1], ["dqb_btime", 20, 1], ["dqb_itime", 20, 1], ["dqi_bgrace", 20, 1], ["dqi_igrace", 20, 1], ["dqi_flags", 28, 1], ["quota_fmt_out", 28, 1]]],
  ["setresuid", 0, 10, 32, [["ruid", 31, 1], ["euid", 31, 1], ["suid", 31, 1]]],
  ["setresuid", 1, 10, 32, [["res", 11, 1]]],
  ["setresgid", 0, 10, 32, [["rgid", 32, 1], ["egid", 32, 1], ["sgid", 32, 1]]],
  ["setresgid", 1, 10, 32, [["res", 11, 1]]],
  ["sysdigevent", 0, 256, 256, [["event_type", 7, 1], ["event_data", 8, 1]]],
  ["sysdigevent", 1, 256, 64, []],
  ["setuid", 0, 10, 32, [["uid", 31, 1]]],
  ["setuid", 1, 10, 32, [["res", 11, 1]]],
  ["setgid", 0, 10, 32, [["gid", 32, 1]]],
  ["setgid", 1, 10, 32, [["res", 11, 1]]],
  ["getuid", 0, 10, 1024, []],
  ["getuid", 1, 10, 1024, [["uid", 31, 1]]],
  ["geteuid", 0, 10, 1024, []],
  ["geteuid", 1, 10, 1024, [["euid", 31, 1]]],
  ["getgid", 0, 10, 1024, []],
  ["getgid", 1, 10, 1024, [["gid", 32, 1]]],
  ["getegid", 0, 10, 1024, []],
  ["getegid", 1, 10, 1024, [["egid", 32, 1]]],
  ["getresuid", 0, 10, 1024, []],
  ["getresuid", 1, 10, 1024, [["res", 11, 1], ["ruid", 31, 1], ["euid", 31, 1], ["suid", 31, 1]]],
  ["getresgid", 0, 10, 1024, []],
  ["getresgid", 1, 10, 1024, [["res", 11, 1], ["rgid", 32, 1], ["egid", 32, 1], ["sgid", 32, 1]]],
  ["execve", 0, 6, 544, []],
  ["execve", 1, 6, 544, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["env", 10, 0]]],
  ["clone", 0, 6, 544, []],
  ["clone", 1, 6, 544, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1]]],
  ["fork", 0, 6, 544, []],
  ["fork", 1, 6, 544, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1]]],
  ["vfork", 0, 6, 544, []],
  ["vfork", 1, 6, 544, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1]]],
  ["clone", 0, 6, 32, []],
  ["clone", 1, 6, 32, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1], ["vtid", 15, 1], ["vpid", 15, 1]]],
  ["fork", 0, 6, 32, []],
  ["fork", 1, 6, 32, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1], ["vtid", 15, 1], ["vpid", 15, 1]]],
  ["vfork", 0, 6, 32, []],
  ["vfork", 1, 6, 32, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1], ["vtid", 15, 1], ["vpid", 15, 1]]],
  ["container", 0, 256, 800, [["id", 9, 0], ["type", 7, 1], ["name", 9, 0], ["image", 9, 0]]],
  ["container", 1, 256, 576, []],
  ["execve", 0, 6, 32, []],
  ["execve", 1, 6, 32, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["env", 10, 0]]],
  ["signaldeliver", 0, 9, 1024, [["spid", 15, 1], ["dpid", 15, 1], ["sig", 19, 1]]],
  ["signaldeliver", 1, 9, 64, []],
  ["procinfo", 0, 256, 1280, [["cpu_usr", 8, 1], ["cpu_sys", 8, 1]]],
  ["NA2", 1, 256, 64, []],
  ["getdents", 0, 2, 1028, [["fd", 14, 0]]],
  ["getdents", 1, 2, 1028, [["res", 11, 1]]],
  ["getdents64", 0, 2, 1028, [["fd", 14, 0]]],
  ["getdents64", 1, 2, 1028, [["res", 11, 1]]],
  ["setns", 0, 6, 4, [["fd", 14, 0], ["nstype", 30, 2]]],
  ["setns", 1, 6, 4, [["res", 11, 1]]],
  ["flock", 0, 2, 4, [["fd", 14, 0], ["operation", 30, 2]]],
  ["flock", 1, 2, 4, [["res", 11, 1]]],
  ["cpu_hotplug", 0, 8, 288, [["cpu", 7, 1], ["action", 7, 1]]],
  ["NA2", 1, 8, 64, []],
  ["accept", 0, 3, 33, []],
  ["accept", 1, 3, 33, [["fd", 14, 1], ["tuple", 13, 0], ["queuepct", 5, 1], ["queuelen", 7, 1], ["queuemax", 7, 1]]],
  ["accept", 0, 3, 33, [["flags", 3, 2]]],
  ["accept", 1, 3, 33, [["fd", 14, 1], ["tuple", 13, 0], ["queuepct", 5, 1], ["queuelen", 7, 1], ["queuemax", 7, 1]]],
  ["semop", 0, 6, 1024, [["semid", 3, 1]]],
  ["semop", 1, 6, 1024, [["res", 11, 1], ["nsops", 7, 1], ["sem_num_0", 6, 1], ["sem_op_0", 2, 1], ["sem_flg_0", 29, 2], ["sem_num_1", 6, 1], ["sem_op_1", 2, 1], ["sem_flg_1", 29, 2]]],
  ["semctl", 0, 6, 1024, [["semid", 3, 1], ["semnum", 3, 1], ["cmd", 29, 2], ["val", 3, 1]]],
  ["semctl", 1, 6, 1024, [["res", 11, 1]]],
  ["ppoll", 0, 64, 1152, [["fds", 16, 1], ["timeout", 20, 1], ["sigmask", 34, 1]]],
  ["ppoll", 1, 64, 1152, [["res", 11, 1], ["fds", 16, 1]]],
  ["mount", 0, 2, 32, [["flags", 30, 2]]],
  ["mount", 1, 2, 32, [["res", 11, 1], ["dev", 9, 0], ["dir", 17, 0], ["type", 9, 0]]],
  ["umount", 0, 2, 32, [["flags", 30, 2]]],
  ["umount", 1, 2, 32, [["res", 11, 1], ["name", 17, 0]]],
  ["k8s", 0, 256, 288, [["json", 9, 0]]],
  ["NA3", 1, 8, 64, []],
  ["semget", 0, 6, 1024, [["key", 3, 2], ["nsems", 3, 1], ["semflg", 30, 2]]],
  ["semget", 1, 6, 1024, [["res", 11, 1]]],
  ["access", 0, 2, 1024, [["mode", 30, 2]]],
  ["access", 1, 2, 1024, [["res", 11, 1], ["name", 17, 0]]],
  ["chroot", 0, 6, 32, []],
  ["chroot", 1, 6, 32, [["res", 11, 1], ["path", 17, 0]]],
  ["tracer", 0, 1, 0, [["id", 4, 1], ["tags", 35, 0], ["args", 36, 0]]],
  ["tracer", 1, 1, 0, [["id", 4, 1], ["tags", 35, 0], ["args", 36, 0]]],
  ["mesos", 0, 256, 288, [["json", 9, 0]]],
  ["NA4", 1, 8, 64, []],
  ["container", 0, 6, 32, [["json", 9, 0]]],
  ["container", 1, 6, 64, []],
  ["setsid", 0, 6, 32, []],
  ["setsid", 1, 6, 32, [["res", 15, 1]]],
  ["mkdir", 0, 2, 0, [["mode", 7, 2]]],
  ["mkdir", 1, 2, 0, [["res", 11, 1], ["path", 17, 0]]],
  ["rmdir", 0, 2, 0, []],
  ["rmdir", 1, 2, 0, [["res", 11, 1], ["path", 17, 0]]],
  ["notification", 0, 1, 256, [["id", 9, 1], ["desc", 9, 0]]],
  ["NA4", 1, 8, 64, []],
  ["execve", 0, 6, 544, []],
  ["execve", 1, 6, 544, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["env", 10, 0], ["tty", 3, 1]]],
  ["unshare", 0, 6, 0, [["flags", 30, 2]]],
  ["unshare", 1, 6, 0, [["res", 11, 1]]],
  ["infra", 0, 256, 256, [["source", 9, 1], ["name", 9, 0], ["description", 9, 0], ["scope", 9, 0]]],
  ["NA4", 1, 8, 64, []],
  ["execve", 0, 6, 544, [["filename", 17, 0]]],
  ["execve", 1, 6, 544, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["env", 10, 0], ["tty", 3, 1]]],
  ["page_fault", 0, 1, 1280, [["addr", 8, 2], ["ip", 8, 2], ["error", 30, 2]]],
  ["NA5", 1, 1, 64, []],
  ["execve", 0, 6, 32, [["filename", 17, 0]]],
  ["execve", 1, 6, 32, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["env", 10, 0], ["tty", 3, 1], ["pgid", 15, 1], ["loginuid", 3, 1], ["flags", 30, 2]]],
  ["setpgid", 0, 6, 32, [["pid", 15, 1], ["pgid", 15, 1]]],
  ["setpgid", 1, 6, 32, [["res", 15, 1]]],
  ["bpf", 0, 1, 1, [["cmd", 4, 1]]],
  ["bpf", 1, 1, 1, [["res_or_fd", 27, 1]]],
  ["seccomp", 0, 1, 0, [["op", 8, 1]]],
  ["seccomp", 1, 1, 0, [["res", 11, 1]]],
  ["unlink", 0, 2, 0, []],
  ["unlink", 1, 2, 0, [["res", 11, 1], ["path", 17, 0]]],
  ["unlinkat", 0, 2, 0, []],
  ["unlinkat", 1, 2, 0, [["res", 11, 1], ["dirfd", 14, 1], ["name", 43, 0], ["flags", 30, 2]]],
  ["mkdirat", 0, 2, 0, []],
  ["mkdirat", 1, 2, 0, [["res", 11, 1], ["dirfd", 14, 1], ["path", 43, 0], ["mode", 7, 2]]],
  ["openat", 0, 2, 33, [["dirfd", 14, 1], ["name", 43, 0], ["flags", 30, 2], ["mode", 7, 6]]],
  ["openat", 1, 2, 33, [["fd", 14, 1], ["dirfd", 14, 1], ["name", 43, 0], ["flags", 30, 2], ["mode", 7, 6], ["dev", 7, 2]]],
  ["link", 0, 2, 0, []],
  ["link", 1, 2, 0, [["res", 11, 1], ["oldpath", 17, 0], ["newpath", 17, 0]]],
  ["linkat", 0, 2, 0, []],
  ["linkat", 1, 2, 0, [["res", 11, 1], ["olddir", 14, 1], ["oldpath", 43, 0], ["newdir", 14, 1], ["newpath", 43, 0], ["flags", 30, 2]]],
  ["fchmodat", 0, 2, 0, []],
  ["fchmodat", 1, 2, 0, [["res", 11, 1], ["dirfd", 14, 1], ["filename", 43, 0], ["mode", 42, 6]]],
  ["chmod", 0, 2, 0, []],
  ["chmod", 1, 2, 0, [["res", 11, 1], ["filename", 17, 0], ["mode", 42, 6]]],
  ["fchmod", 0, 2, 0, []],
  ["fchmod", 1, 2, 0, [["res", 11, 1], ["fd", 14, 1], ["mode", 42, 6]]],
  ["renameat2", 0, 2, 0, []],
  ["renameat2", 1, 2, 0, [["res", 11, 1], ["olddirfd", 14, 1], ["oldpath", 43, 0], ["newdirfd", 14, 1], ["newpath", 43, 0], ["flags", 30, 2]]],
  ["userfaultfd", 0, 2, 33, []],
  ["userfaultfd", 1, 2, 33, [["res", 11, 1], ["flags", 30, 2]]],
  ["pluginevent", 0, 1, 2048, [["plugin ID", 7, 1], ["event_data", 10, 0]]],
  ["pluginevent", 1, 1, 64, []],
  ["container", 0, 6, 2080, [["json", 9, 0]]],
  ["container", 1, 6, 64, []],
  ["openat2", 0, 2, 33, [["dirfd", 14, 1], ["name", 43, 0], ["flags", 30, 2], ["mode", 7, 6], ["resolve", 30, 2]]],
  ["openat2", 1, 2, 33, [["fd", 14, 1], ["dirfd", 14, 1], ["name", 43, 0], ["flags", 30, 2], ["mode", 7, 6], ["resolve", 30, 2]]],
  ["mprotect", 0, 5, 1024, [["addr", 8, 2], ["length", 8, 1], ["prot", 30, 2]]],
  ["mprotect", 1, 5, 1024, [["res", 11, 1]]],
  ["execveat", 0, 6, 32, [["dirfd", 14, 1], ["pathname", 43, 0], ["flags", 30, 2]]],
  ["execveat", 1, 6, 32, [["res", 11, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 8, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["env", 10, 0], ["tty", 3, 1], ["pgid", 15, 1], ["loginuid", 3, 1], ["flags", 30, 2]]],
  ["copy_file_range", 0, 2, 28, [["fdin", 14, 1], ["offin", 8, 1], ["len", 8, 1]]],
  ["copy_file_range", 1, 2, 28, [["res", 11, 1], ["fdout", 14, 1], ["offout", 8, 1]]],
  ["clone3", 0, 6, 32, []],
  ["clone3", 1, 6, 32, [["res", 15, 1], ["exe", 9, 0], ["args", 10, 0], ["tid", 15, 1], ["pid", 15, 1], ["ptid", 15, 1], ["cwd", 9, 0], ["fdlimit", 4, 1], ["pgft_maj", 8, 1], ["pgft_min", 8, 1], ["vm_size", 7, 1], ["vm_rss", 7, 1], ["vm_swap", 7, 1], ["comm", 9, 0], ["cgroups", 10, 0], ["flags", 30, 2], ["uid", 7, 1], ["gid", 7, 1], ["vtid", 15, 1], ["vpid", 15, 1]]]
];
var SYSCALL_NAMES = ["unknown", "restart_syscall", "exit", "read", "write", "open", "close", "creat", "link", "unlink", "chdir", "time", "mknod", "chmod", "stat", "lseek", "getpid", "mount", "ptrace", "alarm", "fstat", "pause", "utime", "access", "sync", "kill", "rename", "mkdir", "rmdir", "dup", "pipe", "times", "brk", "acct", "ioctl", "fcntl", "setpgid", "umask", "chroot", "ustat", "dup2", "getppid", "getpgrp", "setsid", "sethostname", "setrlimit", "getrusage", "gettimeofday", "settimeofday", "symlink", "lstat", "readlink", "uselib", "swapon", "reboot", "mmap", "munmap", "truncate", "ftruncate", "fchmod", "getpriority", "setpriority", "statfs", "fstatfs", "syslog", "setitimer", "getitimer", "uname", "vhangup", "wait4", "swapoff", "sysinfo", "fsync", "setdomainname", "adjtimex", "mprotect", "init_module", "delete_module", "quotactl", "getpgid", "fchdir", "sysfs", "personality", "getdents", "select", "flock", "msync", "readv", "writev", "getsid", "fdatasync", "mlock", "munlock", "mlockall", "munlockall", "sched_setparam", "sched_getparam", "sched_setscheduler", "sched_getscheduler", "sched_yield", "sched_get_priority_max", "sched_get_priority_min", "sched_rr_get_interval", "nanosleep", "mremap", "poll", "prctl", "rt_sigaction", "rt_sigprocmask", "rt_sigpending", "rt_sigtimedwait", "rt_sigqueueinfo", "rt_sigsuspend", "getcwd", "capget", "capset", "sendfile", "getrlimit", "lchown", "getuid", "getgid", "geteuid", "getegid", "setreuid", "setregid", "getgroups", "setgroups", "fchown", "setresuid", "getresuid", "setresgid", "getresgid", "chown", "setuid", "setgid", "setfsuid", "setfsgid", "pivot_root", "mincore", "madvise", "gettid", "setxattr", "lsetxattr", "fsetxattr", "getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr", "flistxattr", "removexattr", "lremovexattr", "fremovexattr", "tkill", "futex", "sched_setaffinity", "sched_getaffinity", "set_thread_area", "get_thread_area", "io_setup", "io_destroy", "io_getevents", "io_submit", "io_cancel", "exit_group", "epoll_create", "epoll_ctl", "epoll_wait", "remap_file_pages", "set_tid_address", "timer_create", "timer_settime", "timer_gettime", "timer_getoverrun", "timer_delete", "clock_settime", "clock_gettime", "clock_getres", "clock_nanosleep", "tgkill", "utimes", "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr", "kexec_load", "waitid", "add_key", "request_key", "keyctl", "ioprio_set", "ioprio_get", "inotify_init", "inotify_add_watch", "inotify_rm_watch", "openat", "mkdirat", "mknodat", "fchownat", "futimesat", "unlinkat", "renameat", "linkat", "symlinkat", "readlinkat", "fchmodat", "faccessat", "pselect6", "ppoll", "unshare", "set_robust_list", "get_robust_list", "splice", "tee", "vmsplice", "getcpu", "epoll_pwait", "utimensat", "signalfd", "timerfd_create", "eventfd", "timerfd_settime", "timerfd_gettime", "signalfd4", "eventfd2", "epoll_create1", "dup3", "pipe2", "inotify_init1", "preadv", "pwritev", "rt_tgsigqueueinfo", "perf_event_open", "fanotify_init", "prlimit64", "clock_adjtime", "syncfs", "setns", "getdents64", "socket", "bind", "connect", "listen", "accept", "getsockname", "getpeername", "socketpair", "sendto", "recvfrom", "shutdown", "setsockopt", "getsockopt", "sendmsg", "sendmmsg", "recvmsg", "recvmmsg", "accept4", "semop", "semget", "semctl", "msgsnd", "msgrcv", "msgget", "msgctl", "shmdt", "shmget", "shmctl", "statfs64", "fstatfs64", "fstatat64", "sendfile64", "ugetrlimit", "bdflush", "sigprocmask", "ipc", "socketcall", "stat64", "lstat64", "fstat64", "fcntl64", "mmap2", "_newselect", "sgetmask", "ssetmask", "sigpending", "olduname", "umount", "signal", "nice", "stime", "_llseek", "waitpid", "pread64", "pwrite64", "arch_prctl", "shmat", "rt_sigreturn", "fallocate", "newfstatat", "process_vm_readv", "process_vm_writev", "fork", "vfork", "setuid32", "getuid32", "setgid32", "geteuid32", "getgid32", "setresuid32", "setresgid32", "getresuid32", "getresgid32", "finit_module", "bpf", "seccomp", "sigaltstack", "getrandom", "fadvise64", "renameat2", "userfaultfd", "openat2", "umount2", "execve", "execveat", "copy_file_range", "clone", "clone3", "open_by_handle_at", "io_uring_setup", "io_uring_enter", "io_uring_register", "mlock2", "getegid32", "fsconfig", "fspick", "fsmount", "fsopen", "open_tree", "move_mount", "mount_setattr", "memfd_create", "memfd_secret", "ioperm", "kexec_file_load", "pidfd_getfd", "pidfd_open", "pidfd_send_signal", "pkey_alloc", "pkey_mprotect", "pkey_free", "landlock_create_ruleset", "quotactl_fd", "landlock_restrict_self", "landlock_add_rule", "epoll_pwait2", "migrate_pages", "move_pages", "preadv2", "pwritev2", "kcmp", "sched_setattr", "mbind", "epoll_ctl_old", "lookup_dcookie", "modify_ldt", "statx", "set_mempolicy", "io_pgetevents", "set_mempolicy_home_node", "semtimedop", "get_kernel_syms", "readahead", "futex_waitv", "getpmsg", "name_to_handle_at", "process_mrelease", "nfsservctl", "epoll_wait_old", "rseq", "create_module", "na_1", "sched_getattr", "faccessat2", "_sysctl", "query_module", "get_mempolicy", "sync_file_range", "process_madvise", "membarrier", "iopl", "close_range", "fanotify_mark", "recv", "send", "sched_process_exit", "sched_switch", "page_fault_user", "page_fault_kernel", "signal_deliver", "timerfd", "s390_pci_mmio_read", "sigaction", "s390_pci_mmio_write", "readdir", "s390_sthyi", "sigsuspend", "idle", "s390_runtime_instr", "sigreturn", "s390_guarded_storage", "cachestat", "fchmodat2", "map_shadow_stack", "riscv_flush_icache", "riscv_hwprobe", "futex_wake", "futex_requeue", "futex_wait", "oldstat", "switch_endian", "multiplexer", "oldlstat", "spu_create", "sync_file_range2", "oldfstat", "spu_run", "swapcontext", "pciconfig_write", "rtas", "pciconfig_read", "sys_debug_setcontext", "vm86", "oldolduname", "subpage_prot", "pciconfig_iobase", "listmount", "statmount", "lsm_get_self_attr", "lsm_set_self_attr", "lsm_list_modules", "mseal", "uretprobe", "removexattrat", "listxattrat", "getxattrat", "setxattrat", "open_tree_attr", "file_getattr", "file_setattr", "listns", "uprobe", "rseq_slice_yield"];

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/schema/index.ts
var PT = {
  NONE: 0,
  INT8: 1,
  INT16: 2,
  INT32: 3,
  INT64: 4,
  UINT8: 5,
  UINT16: 6,
  UINT32: 7,
  UINT64: 8,
  CHARBUF: 9,
  BYTEBUF: 10,
  ERRNO: 11,
  SOCKADDR: 12,
  SOCKTUPLE: 13,
  FD: 14,
  PID: 15,
  FDLIST: 16,
  FSPATH: 17,
  SYSCALLID: 18,
  SIGTYPE: 19,
  RELTIME: 20,
  ABSTIME: 21,
  PORT: 22,
  L4PROTO: 23,
  SOCKFAMILY: 24,
  BOOL: 25,
  IPV4ADDR: 26,
  DYN: 27,
  FLAGS8: 28,
  FLAGS16: 29,
  FLAGS32: 30,
  UID: 31,
  GID: 32,
  DOUBLE: 33,
  SIGSET: 34,
  CHARBUFARRAY: 35,
  CHARBUF_PAIR_ARRAY: 36,
  IPV4NET: 37,
  IPV6ADDR: 38,
  IPV6NET: 39,
  IPADDR: 40,
  IPNET: 41,
  MODE: 42,
  FSRELPATH: 43,
  ENUMFLAGS8: 44,
  ENUMFLAGS16: 45,
  ENUMFLAGS32: 46,
  FD32: 47,
  PID32: 48
};
var EF = {
  CREATES_FD: 1,
  DESTROYS_FD: 2,
  USES_FD: 4,
  READS_FROM_FD: 8,
  WRITES_TO_FD: 16,
  MODIFIES_STATE: 32,
  UNUSED: 64,
  WAITS: 128,
  SKIPPARSERESET: 256,
  OLD_VERSION: 512,
  LARGE_PAYLOAD: 2048,
  CONVERTER_MANAGED: 4096
};
function build(rows) {
  return rows.map(([name, dir, category, flags, params], id) => {
    const ps = params.map(([n, type, format]) => ({ name: n, type, format }));
    return Object.freeze({
      id,
      name,
      dir: dir === 0 ? ">" : "<",
      category,
      flags,
      params: ps,
      largePayload: (flags & EF.LARGE_PAYLOAD) !== 0,
      paramIndex: new Map(ps.map((p, i) => [p.name, i]))
    });
  });
}
var EVENTS = build(EVENT_ROWS);
var EVENTS_SYSDIG_0_29 = build(EVENT_ROWS_SYSDIG_0_29);
var EVENT_MAX = EVENTS.length;
var currentByName = /* @__PURE__ */ new Map();
for (const e of EVENTS) {
  if (e.flags & (EF.OLD_VERSION | EF.UNUSED) || e.name === "NA") continue;
  const pair = currentByName.get(e.name) ?? [-1, -1];
  pair[e.dir === ">" ? 0 : 1] = e.id;
  currentByName.set(e.name, pair);
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/event.ts
var utf8 = new TextDecoder("utf-8", { fatal: false });

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/flags/table.ts
function nameTable(name, entries) {
  return Object.freeze({
    name,
    names: Object.freeze(entries.map((e) => e[0])),
    values: Object.freeze(entries.map((e) => e[1] >>> 0))
  });
}
function withoutNames(table, drop, name = table.name) {
  const entries = [];
  for (let i = 0; i < table.names.length; i++) {
    if (!drop.includes(table.names[i])) entries.push([table.names[i], table.values[i]]);
  }
  return nameTable(name, entries);
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/flags/tables.ts
var SOCKET_FAMILIES = nameTable("socket_families", [
  ["AF_NFC", 39],
  ["AF_ALG", 38],
  ["AF_CAIF", 37],
  ["AF_IEEE802154", 36],
  ["AF_PHONET", 35],
  ["AF_ISDN", 34],
  ["AF_RXRPC", 33],
  ["AF_IUCV", 32],
  ["AF_BLUETOOTH", 31],
  ["AF_TIPC", 30],
  ["AF_CAN", 29],
  ["AF_LLC", 26],
  ["AF_WANPIPE", 25],
  ["AF_PPPOX", 24],
  ["AF_IRDA", 23],
  ["AF_SNA", 22],
  ["AF_RDS", 21],
  ["AF_ATMSVC", 20],
  ["AF_ECONET", 19],
  ["AF_ASH", 18],
  ["AF_PACKET", 17],
  ["AF_ROUTE", 16],
  ["AF_NETLINK", 16],
  ["AF_KEY", 15],
  ["AF_SECURITY", 14],
  ["AF_NETBEUI", 13],
  ["AF_DECnet", 12],
  ["AF_ROSE", 11],
  ["AF_INET6", 10],
  ["AF_X25", 9],
  ["AF_ATMPVC", 8],
  ["AF_BRIDGE", 7],
  ["AF_NETROM", 6],
  ["AF_APPLETALK", 5],
  ["AF_IPX", 4],
  ["AF_AX25", 3],
  ["AF_INET", 2],
  ["AF_LOCAL", 1],
  ["AF_UNIX", 1],
  ["AF_UNSPEC", 0]
]);
var FILE_FLAGS = nameTable("file_flags", [
  ["O_LARGEFILE", 1 << 11],
  ["O_DIRECTORY", 1 << 10],
  ["O_DIRECT", 1 << 9],
  ["O_TRUNC", 1 << 8],
  ["O_SYNC", 1 << 7],
  ["O_NONBLOCK", 1 << 6],
  ["O_EXCL", 1 << 5],
  ["O_DSYNC", 1 << 4],
  ["O_APPEND", 1 << 3],
  ["O_CREAT", 1 << 2],
  ["O_RDWR", 3],
  ["O_WRONLY", 1 << 1],
  ["O_RDONLY", 1 << 0],
  ["O_CLOEXEC", 1 << 12],
  ["O_NONE", 0],
  ["O_TMPFILE", 1 << 13],
  ["O_F_CREATED", 1 << 14],
  ["FD_UPPER_LAYER", 1 << 15],
  ["FD_LOWER_LAYER", 1 << 16]
]);
var FILE_FLAGS_SYSDIG_0_29 = withoutNames(FILE_FLAGS, [
  "O_F_CREATED",
  "FD_UPPER_LAYER",
  "FD_LOWER_LAYER"
]);
var CREAT_FLAGS = nameTable("creat_flags", [
  ["FD_UPPER_LAYER_CREAT", 1 << 0],
  ["FD_LOWER_LAYER_CREAT", 1 << 1]
]);
var FLOCK_FLAGS = nameTable("flock_flags", [
  ["LOCK_SH", 1 << 0],
  ["LOCK_EX", 1 << 1],
  ["LOCK_NB", 1 << 2],
  ["LOCK_UN", 1 << 3],
  ["LOCK_NONE", 0]
]);
var CLONE_FLAGS = nameTable("clone_flags", [
  ["CLONE_FILES", 1 << 0],
  ["CLONE_FS", 1 << 1],
  ["CLONE_IO", 1 << 2],
  ["CLONE_NEWIPC", 1 << 3],
  ["CLONE_NEWNET", 1 << 4],
  ["CLONE_NEWNS", 1 << 5],
  ["CLONE_NEWPID", 1 << 6],
  ["CLONE_NEWUTS", 1 << 7],
  ["CLONE_PARENT", 1 << 8],
  ["CLONE_PARENT_SETTID", 1 << 9],
  ["CLONE_PTRACE", 1 << 10],
  ["CLONE_SIGHAND", 1 << 11],
  ["CLONE_SYSVSEM", 1 << 12],
  ["CLONE_THREAD", 1 << 13],
  ["CLONE_UNTRACED", 1 << 14],
  ["CLONE_VM", 1 << 15],
  ["CLONE_INVERTED", 1 << 16],
  ["NAME_CHANGED", 1 << 17],
  ["CLOSED", 1 << 18],
  ["CLONE_NEWUSER", 1 << 20],
  ["CLONE_CHILD_CLEARTID", 1 << 23],
  ["CLONE_CHILD_SETTID", 1 << 24],
  ["CLONE_SETTLS", 1 << 25],
  ["CLONE_STOPPED", 1 << 26],
  ["CLONE_VFORK", 1 << 27],
  ["CLONE_NEWCGROUP", 1 << 28],
  ["CLONE_CHILD_IN_PIDNS", 1 << 29]
]);
var CLONE_FLAGS_SYSDIG_0_29 = withoutNames(CLONE_FLAGS, ["CLONE_CHILD_IN_PIDNS"]);
var FUTEX_OPERATIONS = nameTable("futex_operations", [
  ["FUTEX_CLOCK_REALTIME", 256],
  ["FUTEX_PRIVATE_FLAG", 128],
  ["FUTEX_CMP_REQUEUE_PI", 12],
  ["FUTEX_WAIT_REQUEUE_PI", 11],
  ["FUTEX_WAKE_BITSET", 10],
  ["FUTEX_WAIT_BITSET", 9],
  ["FUTEX_TRYLOCK_PI", 8],
  ["FUTEX_UNLOCK_PI", 7],
  ["FUTEX_LOCK_PI", 6],
  ["FUTEX_WAKE_OP", 5],
  ["FUTEX_CMP_REQUEUE", 4],
  ["FUTEX_REQUEUE", 3],
  ["FUTEX_FD", 2],
  ["FUTEX_WAKE", 1],
  ["FUTEX_WAIT", 0]
]);
var POLL_FLAGS = nameTable("poll_flags", [
  ["POLLIN", 1 << 0],
  ["POLLPRI", 1 << 1],
  ["POLLOUT", 1 << 2],
  ["POLLRDHUP", 1 << 3],
  ["POLLERR", 1 << 4],
  ["POLLHUP", 1 << 5],
  ["POLLNVAL", 1 << 6],
  ["POLLRDNORM", 1 << 7],
  ["POLLRDBAND", 1 << 8],
  ["POLLWRNORM", 1 << 9],
  ["POLLWRBAND", 1 << 10]
]);
var MOUNT_FLAGS = nameTable("mount_flags", [
  ["RDONLY", 1 << 0],
  ["NOSUID", 1 << 1],
  ["NODEV", 1 << 2],
  ["NOEXEC", 1 << 3],
  ["SYNCHRONOUS", 1 << 4],
  ["REMOUNT", 1 << 5],
  ["MANDLOCK", 1 << 6],
  ["DIRSYNC", 1 << 7],
  ["NOATIME", 1 << 10],
  ["NODIRATIME", 1 << 11],
  ["BIND", 1 << 12],
  ["MOVE", 1 << 13],
  ["REC", 1 << 14],
  ["SILENT", 1 << 15],
  ["POSIXACL", 1 << 16],
  ["UNBINDABLE", 1 << 17],
  ["PRIVATE", 1 << 18],
  ["SLAVE", 1 << 19],
  ["SHARED", 1 << 20],
  ["RELATIME", 1 << 21],
  ["KERNMOUNT", 1 << 22],
  ["I_VERSION", 1 << 23],
  ["STRICTATIME", 1 << 24],
  ["LAZYTIME", 1 << 25],
  ["NOSEC", 1 << 28],
  ["BORN", 1 << 29],
  ["ACTIVE", 1 << 30],
  ["NOUSER", 2 ** 31]
]);
var UMOUNT_FLAGS = nameTable("umount_flags", [
  ["FORCE", 1 << 0],
  ["DETACH", 1 << 1],
  ["EXPIRE", 1 << 2],
  ["NOFOLLOW", 1 << 3]
]);
var LSEEK_WHENCE = nameTable("lseek_whence", [
  ["SEEK_END", 2],
  ["SEEK_CUR", 1],
  ["SEEK_SET", 0]
]);
var SHUTDOWN_HOW = nameTable("shutdown_how", [
  ["SHUT_UNKNOWN", 65535],
  ["SHUT_RDWR", 2],
  ["SHUT_WR", 1],
  ["SHUT_RD", 0]
]);
var SHUTDOWN_HOW_SYSDIG_0_29 = withoutNames(SHUTDOWN_HOW, ["SHUT_UNKNOWN"]);
var RLIMIT_RESOURCES = nameTable("rlimit_resources", [
  ["RLIMIT_UNKNOWN", 255],
  ["RLIMIT_RTTIME", 15],
  ["RLIMIT_RTPRIO", 14],
  ["RLIMIT_NICE", 13],
  ["RLIMIT_MSGQUEUE", 12],
  ["RLIMIT_SIGPENDING", 11],
  ["RLIMIT_LOCKS", 10],
  ["RLIMIT_AS", 9],
  ["RLIMIT_MEMLOCK", 8],
  ["RLIMIT_NOFILE", 7],
  ["RLIMIT_NPROC", 6],
  ["RLIMIT_RSS", 5],
  ["RLIMIT_CORE", 4],
  ["RLIMIT_STACK", 3],
  ["RLIMIT_DATA", 2],
  ["RLIMIT_FSIZE", 1],
  ["RLIMIT_CPU", 0]
]);
var FCNTL_COMMANDS = nameTable("fcntl_commands", [
  ["F_GETPIPE_SZ", 29],
  ["F_SETPIPE_SZ", 28],
  ["F_NOTIFY", 27],
  ["F_DUPFD_CLOEXEC", 26],
  ["F_CANCELLK", 25],
  ["F_GETLEASE", 24],
  ["F_SETLEASE", 23],
  ["F_GETOWN_EX", 22],
  ["F_SETOWN_EX", 21],
  ["F_GETSIG", 15],
  ["F_SETSIG", 13],
  ["F_GETOWN", 12],
  ["F_SETOWN", 10],
  ["F_SETLKW", 9],
  ["F_SETLK", 8],
  ["F_GETLK", 6],
  ["F_SETFL", 5],
  ["F_GETFL", 4],
  ["F_SETFD", 3],
  ["F_GETFD", 2],
  ["F_DUPFD", 1],
  ["F_OFD_GETLK", 30],
  ["F_OFD_SETLK", 31],
  ["F_OFD_SETLKW", 32],
  ["UNKNOWN", 0]
]);
var SOCKOPT_LEVELS = nameTable("sockopt_levels", [
  ["SOL_SOCKET", 1],
  ["SOL_TCP", 2],
  ["UNKNOWN", 0]
]);
var SOCKOPT_OPTIONS = nameTable("sockopt_options", [
  ["SO_COOKIE", 53],
  ["SO_MEMINFO", 52],
  ["SO_PEERGROUPS", 51],
  ["SO_ATTACH_BPF", 50],
  ["SO_INCOMING_CPU", 49],
  ["SO_BPF_EXTENSIONS", 48],
  ["SO_MAX_PACING_RATE", 47],
  ["SO_BUSY_POLL", 46],
  ["SO_SELECT_ERR_QUEUE", 45],
  ["SO_LOCK_FILTER", 44],
  ["SO_NOFCS", 43],
  ["SO_PEEK_OFF", 42],
  ["SO_WIFI_STATUS", 41],
  ["SO_RXQ_OVFL", 40],
  ["SO_DOMAIN", 39],
  ["SO_PROTOCOL", 38],
  ["SO_TIMESTAMPING", 37],
  ["SO_MARK", 36],
  ["SO_TIMESTAMPNS", 35],
  ["SO_PASSSEC", 34],
  ["SO_PEERSEC", 31],
  ["SO_ACCEPTCONN", 30],
  ["SO_TIMESTAMP", 29],
  ["SO_PEERNAME", 28],
  ["SO_DETACH_FILTER", 27],
  ["SO_ATTACH_FILTER", 26],
  ["SO_BINDTODEVICE", 25],
  ["SO_SECURITY_ENCRYPTION_NETWORK", 24],
  ["SO_SECURITY_ENCRYPTION_TRANSPORT", 23],
  ["SO_SECURITY_AUTHENTICATION", 22],
  ["SO_SNDTIMEO", 21],
  ["SO_RCVTIMEO", 20],
  ["SO_SNDLOWAT", 19],
  ["SO_RCVLOWAT", 18],
  ["SO_PEERCRED", 17],
  ["SO_PASSCRED", 16],
  ["SO_REUSEPORT", 15],
  ["SO_BSDCOMPAT", 14],
  ["SO_LINGER", 13],
  ["SO_PRIORITY", 12],
  ["SO_NO_CHECK", 11],
  ["SO_OOBINLINE", 10],
  ["SO_KEEPALIVE", 9],
  ["SO_RCVBUFFORCE", 33],
  ["SO_SNDBUFFORCE", 32],
  ["SO_RCVBUF", 8],
  ["SO_SNDBUF", 7],
  ["SO_BROADCAST", 6],
  ["SO_DONTROUTE", 5],
  ["SO_ERROR", 4],
  ["SO_TYPE", 3],
  ["SO_REUSEADDR", 2],
  ["SO_DEBUG", 1],
  ["UNKNOWN", 0]
]);
var PTRACE_REQUESTS = nameTable("ptrace_requests", [
  ["PTRACE_SINGLEBLOCK", 38],
  ["PTRACE_SYSEMU_SINGLESTEP", 37],
  ["PTRACE_SYSEMU", 36],
  ["PTRACE_ARCH_PRCTL", 35],
  ["PTRACE_SET_THREAD_AREA", 34],
  ["PTRACE_GET_THREAD_AREA", 33],
  ["PTRACE_OLDSETOPTIONS", 32],
  ["PTRACE_SETFPXREGS", 31],
  ["PTRACE_GETFPXREGS", 30],
  ["PTRACE_SETFPREGS", 29],
  ["PTRACE_GETFPREGS", 28],
  ["PTRACE_SETREGS", 27],
  ["PTRACE_GETREGS", 26],
  ["PTRACE_SETSIGMASK", 25],
  ["PTRACE_GETSIGMASK", 24],
  ["PTRACE_PEEKSIGINFO", 23],
  ["PTRACE_LISTEN", 22],
  ["PTRACE_INTERRUPT", 21],
  ["PTRACE_SEIZE", 20],
  ["PTRACE_SETREGSET", 19],
  ["PTRACE_GETREGSET", 18],
  ["PTRACE_SETSIGINFO", 17],
  ["PTRACE_GETSIGINFO", 16],
  ["PTRACE_GETEVENTMSG", 15],
  ["PTRACE_SETOPTIONS", 14],
  ["PTRACE_SYSCALL", 13],
  ["PTRACE_DETACH", 12],
  ["PTRACE_ATTACH", 11],
  ["PTRACE_SINGLESTEP", 10],
  ["PTRACE_KILL", 9],
  ["PTRACE_CONT", 8],
  ["PTRACE_POKEUSR", 7],
  ["PTRACE_POKEDATA", 6],
  ["PTRACE_POKETEXT", 5],
  ["PTRACE_PEEKUSR", 4],
  ["PTRACE_PEEKDATA", 3],
  ["PTRACE_PEEKTEXT", 2],
  ["PTRACE_TRACEME", 1],
  ["PTRACE_UNKNOWN", 0]
]);
var PROT_FLAGS = nameTable("prot_flags", [
  ["PROT_READ", 1 << 0],
  ["PROT_WRITE", 1 << 1],
  ["PROT_EXEC", 1 << 2],
  ["PROT_SEM", 1 << 3],
  ["PROT_GROWSDOWN", 1 << 4],
  ["PROT_GROWSUP", 1 << 5],
  ["PROT_SAO", 1 << 6],
  ["PROT_NONE", 0]
]);
var MMAP_FLAGS = nameTable("mmap_flags", [
  ["MAP_SHARED", 1 << 0],
  ["MAP_PRIVATE", 1 << 1],
  ["MAP_FIXED", 1 << 2],
  ["MAP_ANONYMOUS", 1 << 3],
  ["MAP_32BIT", 1 << 4],
  ["MAP_RENAME", 1 << 5],
  ["MAP_NORESERVE", 1 << 6],
  ["MAP_POPULATE", 1 << 7],
  ["MAP_NONBLOCK", 1 << 8],
  ["MAP_GROWSDOWN", 1 << 9],
  ["MAP_DENYWRITE", 1 << 10],
  ["MAP_EXECUTABLE", 1 << 11],
  ["MAP_INHERIT", 1 << 12],
  ["MAP_FILE", 1 << 13],
  ["MAP_LOCKED", 1 << 14]
]);
var SPLICE_FLAGS = nameTable("splice_flags", [
  ["SPLICE_F_MOVE", 1 << 0],
  ["SPLICE_F_NONBLOCK", 1 << 1],
  ["SPLICE_F_MORE", 1 << 2],
  ["SPLICE_F_GIFT", 1 << 3]
]);
var QUOTACTL_DQI_FLAGS = nameTable("quotactl_dqi_flags", [
  ["DQF_NONE", 1 << 0],
  ["V1_DQF_RSQUASH", 1 << 1]
]);
var QUOTACTL_CMDS = nameTable("quotactl_cmds", [
  ["Q_QUOTAON", 1 << 0],
  ["Q_QUOTAOFF", 1 << 1],
  ["Q_GETFMT", 1 << 2],
  ["Q_GETINFO", 1 << 3],
  ["Q_SETINFO", 1 << 4],
  ["Q_GETQUOTA", 1 << 5],
  ["Q_SETQUOTA", 1 << 6],
  ["Q_SYNC", 1 << 7],
  ["Q_XQUOTAON", 1 << 8],
  ["Q_XQUOTAOFF", 1 << 9],
  ["Q_XGETQUOTA", 1 << 10],
  ["Q_XSETQLIM", 1 << 11],
  ["Q_XGETQSTAT", 1 << 12],
  ["Q_XQUOTARM", 1 << 13],
  ["Q_XQUOTASYNC", 1 << 14]
]);
var QUOTACTL_TYPES = nameTable("quotactl_types", [
  ["USRQUOTA", 1 << 0],
  ["GRPQUOTA", 1 << 1]
]);
var QUOTACTL_QUOTA_FMTS = nameTable("quotactl_quota_fmts", [
  ["QFMT_NOT_USED", 1 << 0],
  ["QFMT_VFS_OLD", 1 << 1],
  ["QFMT_VFS_V0", 1 << 2],
  ["QFMT_VFS_V1", 1 << 3]
]);
var SEMOP_FLAGS = nameTable("semop_flags", [
  ["IPC_NOWAIT", 1 << 0],
  ["SEM_UNDO", 1 << 1]
]);
var SEMGET_FLAGS = nameTable("semget_flags", [
  ["IPC_EXCL", 1 << 14],
  ["IPC_CREAT", 1 << 13]
]);
var SEMCTL_COMMANDS = nameTable("semctl_commands", [
  ["IPC_STAT", 1 << 0],
  ["IPC_SET", 1 << 1],
  ["IPC_RMID", 1 << 2],
  ["IPC_INFO", 1 << 3],
  ["SEM_INFO", 1 << 4],
  ["SEM_STAT", 1 << 5],
  ["GETALL", 1 << 6],
  ["GETNCNT", 1 << 7],
  ["GETPID", 1 << 8],
  ["GETVAL", 1 << 9],
  ["GETZCNT", 1 << 10],
  ["SETALL", 1 << 11],
  ["SETVAL", 1 << 12]
]);
var ACCESS_FLAGS = nameTable("access_flags", [
  ["F_OK", 0],
  ["R_OK", 1 << 2],
  ["W_OK", 1 << 1],
  ["X_OK", 1 << 0]
]);
var PF_FLAGS = nameTable("pf_flags", [
  ["PROTECTION_VIOLATION", 1 << 0],
  ["PAGE_NOT_PRESENT", 1 << 1],
  ["WRITE_ACCESS", 1 << 2],
  ["READ_ACCESS", 1 << 3],
  ["USER_FAULT", 1 << 4],
  ["SUPERVISOR_FAULT", 1 << 5],
  ["RESERVED_PAGE", 1 << 6],
  ["INSTRUCTION_FETCH", 1 << 7]
]);
var UNLINKAT_FLAGS = nameTable("unlinkat_flags", [["AT_REMOVEDIR", 512]]);
var LINKAT_FLAGS = nameTable("linkat_flags", [
  ["AT_SYMLINK_FOLLOW", 1024],
  ["AT_EMPTY_PATH", 4096]
]);
var NEWFSTATAT_FLAGS = nameTable("newfstatat_flags", [
  ["AT_EMPTY_PATH", 4096],
  ["AT_NO_AUTOMOUNT", 2048],
  ["AT_SYMLINK_NOFOLLOW", 256]
]);
var MODE_BITS = [
  ["S_IXOTH", 1 << 0],
  ["S_IWOTH", 1 << 1],
  ["S_IROTH", 1 << 2],
  ["S_IXGRP", 1 << 3],
  ["S_IWGRP", 1 << 4],
  ["S_IRGRP", 1 << 5],
  ["S_IXUSR", 1 << 6],
  ["S_IWUSR", 1 << 7],
  ["S_IRUSR", 1 << 8],
  ["S_ISVTX", 1 << 9],
  ["S_ISGID", 1 << 10],
  ["S_ISUID", 1 << 11]
];
var CHMOD_MODE = nameTable("chmod_mode", MODE_BITS);
var MKNOD_MODE = nameTable("mknod_mode", [
  ...MODE_BITS,
  ["S_IFREG", 32768],
  ["S_IFCHR", 8192],
  ["S_IFBLK", 24576],
  ["S_IFIFO", 4096],
  ["S_IFSOCK", 49152]
]);
var FCHOWNAT_FLAGS = nameTable("fchownat_flags", [
  ["AT_SYMLINK_NOFOLLOW", 1024],
  ["AT_EMPTY_PATH", 4096]
]);
var RENAMEAT2_FLAGS = nameTable("renameat2_flags", [
  ["RENAME_NOREPLACE", 1 << 0],
  ["RENAME_EXCHANGE", 1 << 1],
  ["RENAME_WHITEOUT", 1 << 2]
]);
var OPENAT2_FLAGS = nameTable("openat2_flags", [
  ["RESOLVE_BENEATH", 1 << 0],
  ["RESOLVE_IN_ROOT", 1 << 1],
  ["RESOLVE_NO_MAGICLINKS", 1 << 2],
  ["RESOLVE_NO_SYMLINKS", 1 << 3],
  ["RESOLVE_NO_XDEV", 1 << 4],
  ["RESOLVE_CACHED", 1 << 5]
]);
var EXECVE_FLAGS = nameTable("execve_flags", [
  ["EXE_WRITABLE", 1 << 0],
  ["EXE_UPPER_LAYER", 1 << 1],
  ["EXE_FROM_MEMFD", 1 << 2],
  ["EXE_LOWER_LAYER", 1 << 3]
]);
var EXECVE_FLAGS_SYSDIG_0_29 = withoutNames(EXECVE_FLAGS, [
  "EXE_UPPER_LAYER",
  "EXE_FROM_MEMFD",
  "EXE_LOWER_LAYER"
]);
var EXECVEAT_FLAGS = nameTable("execveat_flags", [
  ["AT_EMPTY_PATH", 1 << 0],
  ["AT_SYMLINK_NOFOLLOW", 1 << 1]
]);
var IO_URING_SETUP_FLAGS = nameTable("io_uring_setup_flags", [
  ["IORING_SETUP_IOPOLL", 1 << 0],
  ["IORING_SETUP_SQPOLL", 1 << 1],
  ["IORING_SQ_NEED_WAKEUP", 1 << 2],
  ["IORING_SETUP_SQ_AFF", 1 << 3],
  ["IORING_SETUP_CQSIZE", 1 << 4],
  ["IORING_SETUP_CLAMP", 1 << 5],
  ["IORING_SETUP_ATTACH_RW", 1 << 6],
  ["IORING_SETUP_R_DISABLED", 1 << 7]
]);
var IO_URING_SETUP_FEATS = nameTable("io_uring_setup_feats", [
  ["IORING_FEAT_SINGLE_MMAP", 1 << 0],
  ["IORING_FEAT_NODROP", 1 << 1],
  ["IORING_FEAT_SUBMIT_STABLE", 1 << 2],
  ["IORING_FEAT_RW_CUR_POS", 1 << 3],
  ["IORING_FEAT_CUR_PERSONALITY", 1 << 4],
  ["IORING_FEAT_FAST_POLL", 1 << 5],
  ["IORING_FEAT_POLL_32BITS", 1 << 6],
  ["IORING_FEAT_SQPOLL_NONFIXED", 1 << 7],
  ["IORING_FEAT_ENTER_EXT_ARG", 1 << 8],
  ["IORING_FEAT_NATIVE_WORKERS", 1 << 9],
  ["IORING_FEAT_RSRC_TAGS", 1 << 10]
]);
var IO_URING_ENTER_FLAGS = nameTable("io_uring_enter_flags", [
  ["IORING_ENTER_GETEVENTS", 1 << 0],
  ["IORING_ENTER_SQ_WAKEUP", 1 << 1],
  ["IORING_ENTER_SQ_WAIT", 1 << 2],
  ["IORING_ENTER_EXT_ARG", 1 << 3]
]);
var IO_URING_REGISTER_OPCODES = nameTable("io_uring_register_opcodes", [
  ["IORING_REGISTER_BUFFERS", 0],
  ["IORING_UNREGISTER_BUFFERS", 1],
  ["IORING_REGISTER_FILES", 2],
  ["IORING_UNREGISTER_FILES", 3],
  ["IORING_REGISTER_EVENTFD", 4],
  ["IORING_UNREGISTER_EVENTFD", 5],
  ["IORING_REGISTER_FILES_UPDATE", 6],
  ["IORING_REGISTER_EVENTFD_ASYNC", 7],
  ["IORING_REGISTER_PROBE", 8],
  ["IORING_REGISTER_PERSONALITY", 9],
  ["IORING_UNREGISTER_PERSONALITY", 10],
  ["IORING_REGISTER_RESTRICTIONS", 11],
  ["IORING_REGISTER_ENABLE_RINGS", 12],
  ["IORING_REGISTER_FILES2", 13],
  ["IORING_REGISTER_FILES_UPDATE2", 14],
  ["IORING_REGISTER_BUFFERS2", 15],
  ["IORING_REGISTER_BUFFERS_UPDATE", 16],
  ["IORING_REGISTER_IOWQ_AFF", 17],
  ["IORING_UNREGISTER_IOWQ_AFF", 18],
  ["IORING_REGISTER_IOWQ_MAX_WORKERS", 19],
  ["IORING_REGISTER_RING_FDS", 20],
  ["IORING_UNREGISTER_RING_FDS", 21]
]);
var MLOCKALL_FLAGS = nameTable("mlockall_flags", [
  ["MCL_CURRENT", 1 << 0],
  ["MCL_FUTURE", 1 << 1],
  ["MCL_ONFAULT", 1 << 2]
]);
var MLOCK2_FLAGS = nameTable("mlock2_flags", [["MLOCK_ONFAULT", 1 << 0]]);
var FSCONFIG_CMDS = nameTable("fsconfig_cmds", [
  ["FSCONFIG_SET_FLAG", 0],
  ["FSCONFIG_SET_STRING", 1],
  ["FSCONFIG_SET_BINARY", 2],
  ["FSCONFIG_SET_PATH", 3],
  ["FSCONFIG_SET_PATH_EMPTY", 4],
  ["FSCONFIG_SET_FD", 5],
  ["FSCONFIG_CMD_CREATE", 6],
  ["FSCONFIG_CMD_RECONFIGURE", 7]
]);
var EPOLL_CREATE1_FLAGS = nameTable("epoll_create1_flags", [["EPOLL_CLOEXEC", 1 << 0]]);
var PRCTL_OPTIONS = nameTable("prctl_options", [
  ["PR_GET_DUMPABLE", 3],
  ["PR_SET_DUMPABLE", 4],
  ["PR_GET_KEEPCAPS", 7],
  ["PR_SET_KEEPCAPS", 8],
  ["PR_SET_NAME", 15],
  ["PR_GET_NAME", 16],
  ["PR_GET_SECCOMP", 21],
  ["PR_SET_SECCOMP", 22],
  ["PR_CAPBSET_READ", 23],
  ["PR_CAPBSET_DROP", 24],
  ["PR_GET_SECUREBITS", 27],
  ["PR_SET_SECUREBITS", 28],
  ["PR_MCE_KILL", 33],
  ["PR_SET_MM", 35],
  ["PR_SET_CHILD_SUBREAPER", 36],
  ["PR_GET_CHILD_SUBREAPER", 37],
  ["PR_SET_NO_NEW_PRIVS", 38],
  ["PR_GET_NO_NEW_PRIVS", 39],
  ["PR_GET_TID_ADDRESS", 40],
  ["PR_SET_THP_DISABLE", 41],
  ["PR_GET_THP_DISABLE", 42],
  ["PR_CAP_AMBIENT", 47]
]);
var MEMFD_CREATE_FLAGS = nameTable("memfd_create_flags", [
  ["MFD_CLOEXEC", 1 << 0],
  ["MFD_ALLOW_SEALING", 1 << 1],
  ["MFD_HUGETLB", 1 << 2]
]);
var PIDFD_OPEN_FLAGS = nameTable("pidfd_open_flags", [["PIDFD_NONBLOCK", 1 << 0]]);
var BPF_COMMANDS = nameTable("bpf_commands", [
  ["BPF_MAP_CREATE", 0],
  ["BPF_MAP_LOOKUP_ELEM", 1],
  ["BPF_MAP_UPDATE_ELEM", 2],
  ["BPF_MAP_DELETE_ELEM", 3],
  ["BPF_MAP_GET_NEXT_KEY", 4],
  ["BPF_PROG_LOAD", 5],
  ["BPF_OBJ_PIN", 6],
  ["BPF_OBJ_GET", 7],
  ["BPF_PROG_ATTACH", 8],
  ["BPF_PROG_DETACH", 9],
  ["BPF_PROG_TEST_RUN", 10],
  ["BPF_PROG_RUN", 10],
  ["BPF_PROG_GET_NEXT_ID", 11],
  ["BPF_MAP_GET_NEXT_ID", 12],
  ["BPF_PROG_GET_FD_BY_ID", 13],
  ["BPF_MAP_GET_FD_BY_ID", 14],
  ["BPF_OBJ_GET_INFO_BY_FD", 15],
  ["BPF_PROG_QUERY", 16],
  ["BPF_RAW_TRACEPOINT_OPEN", 17],
  ["BPF_BTF_LOAD", 18],
  ["BPF_BTF_GET_FD_BY_ID", 19],
  ["BPF_TASK_FD_QUERY", 20],
  ["BPF_MAP_LOOKUP_AND_DELETE_ELEM", 21],
  ["BPF_MAP_FREEZE", 22],
  ["BPF_BTF_GET_NEXT_ID", 23],
  ["BPF_MAP_LOOKUP_BATCH", 24],
  ["BPF_MAP_LOOKUP_AND_DELETE_BATCH", 25],
  ["BPF_MAP_UPDATE_BATCH", 26],
  ["BPF_MAP_DELETE_BATCH", 27],
  ["BPF_LINK_CREATE", 28],
  ["BPF_LINK_UPDATE", 29],
  ["BPF_LINK_GET_FD_BY_ID", 30],
  ["BPF_LINK_GET_NEXT_ID", 31],
  ["BPF_ENABLE_STATS", 32],
  ["BPF_ITER_CREATE", 33],
  ["BPF_LINK_DETACH", 34],
  ["BPF_PROG_BIND_MAP", 35]
]);
var DELETE_MODULE_FLAGS = nameTable("delete_module_flags", [
  ["O_NONBLOCK", 1 << 1],
  ["O_TRUNC", 1 << 0]
]);
var FINIT_MODULE_FLAGS = nameTable("finit_module_flags", [
  ["MODULE_INIT_IGNORE_MODVERSIONS", 1],
  ["MODULE_INIT_IGNORE_VERMAGIC", 2],
  ["MODULE_INIT_COMPRESSED_FILE", 4]
]);
var NAME_TABLES = Object.freeze(
  Object.fromEntries(
    [
      SOCKET_FAMILIES,
      FILE_FLAGS,
      CREAT_FLAGS,
      FLOCK_FLAGS,
      CLONE_FLAGS,
      FUTEX_OPERATIONS,
      POLL_FLAGS,
      MOUNT_FLAGS,
      UMOUNT_FLAGS,
      LSEEK_WHENCE,
      SHUTDOWN_HOW,
      RLIMIT_RESOURCES,
      FCNTL_COMMANDS,
      SOCKOPT_LEVELS,
      SOCKOPT_OPTIONS,
      PTRACE_REQUESTS,
      PROT_FLAGS,
      MMAP_FLAGS,
      SPLICE_FLAGS,
      QUOTACTL_DQI_FLAGS,
      QUOTACTL_CMDS,
      QUOTACTL_TYPES,
      QUOTACTL_QUOTA_FMTS,
      SEMOP_FLAGS,
      SEMGET_FLAGS,
      SEMCTL_COMMANDS,
      ACCESS_FLAGS,
      PF_FLAGS,
      UNLINKAT_FLAGS,
      LINKAT_FLAGS,
      NEWFSTATAT_FLAGS,
      CHMOD_MODE,
      MKNOD_MODE,
      FCHOWNAT_FLAGS,
      RENAMEAT2_FLAGS,
      OPENAT2_FLAGS,
      EXECVE_FLAGS,
      EXECVEAT_FLAGS,
      IO_URING_SETUP_FLAGS,
      IO_URING_SETUP_FEATS,
      IO_URING_ENTER_FLAGS,
      IO_URING_REGISTER_OPCODES,
      MLOCKALL_FLAGS,
      MLOCK2_FLAGS,
      FSCONFIG_CMDS,
      EPOLL_CREATE1_FLAGS,
      PRCTL_OPTIONS,
      MEMFD_CREATE_FLAGS,
      PIDFD_OPEN_FLAGS,
      BPF_COMMANDS,
      DELETE_MODULE_FLAGS,
      FINIT_MODULE_FLAGS
    ].map((t) => [t.name, t])
  )
);
var CAPABILITY_NAMES = Object.freeze([
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_DAC_READ_SEARCH",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE",
  "CAP_NET_BROADCAST",
  "CAP_NET_ADMIN",
  "CAP_NET_RAW",
  "CAP_IPC_LOCK",
  "CAP_IPC_OWNER",
  "CAP_SYS_MODULE",
  "CAP_SYS_RAWIO",
  "CAP_SYS_CHROOT",
  "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN",
  "CAP_SYS_BOOT",
  "CAP_SYS_NICE",
  "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME",
  "CAP_SYS_TTY_CONFIG",
  "CAP_MKNOD",
  "CAP_LEASE",
  "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL",
  "CAP_SETFCAP",
  "CAP_MAC_OVERRIDE",
  "CAP_MAC_ADMIN",
  "CAP_SYSLOG",
  "CAP_WAKE_ALARM",
  "CAP_BLOCK_SUSPEND",
  "CAP_AUDIT_READ",
  "CAP_PERFMON",
  "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE"
]);

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/metadata.ts
var FdType = {
  UNKNOWN: 0,
  FILE: 1,
  DIRECTORY: 2,
  IPV4_SOCK: 3,
  IPV6_SOCK: 4,
  IPV4_SERVSOCK: 5,
  IPV6_SERVSOCK: 6,
  FIFO: 7,
  UNIX_SOCK: 8,
  EVENT: 9,
  UNSUPPORTED: 10,
  SIGNALFD: 11,
  EVENTPOLL: 12,
  INOTIFY: 13,
  TIMERFD: 14,
  NETLINK: 15,
  FILE_V2: 16,
  BPF: 17,
  USERFAULTFD: 18,
  IOURING: 19,
  MEMFD: 20,
  PIDFD: 21
};
function blankThread(tid) {
  return {
    tid,
    pid: -1,
    ptid: -1,
    sid: -1,
    vpgid: -1,
    pgid: -1,
    comm: "",
    exe: "",
    exepath: "",
    args: [],
    cwd: "",
    fdlimit: 0,
    flags: 0,
    uid: 4294967295,
    gid: 4294967295,
    vmsizeKb: 0,
    vmrssKb: 0,
    vmswapKb: 0,
    pfMajor: 0,
    pfMinor: 0,
    env: [],
    vtid: -1,
    vpid: -1,
    cgroups: [],
    root: "",
    loginuid: 4294967295,
    tty: 0,
    pidnsInitStartTs: 0,
    capInheritable: 0,
    capPermitted: 0,
    capEffective: 0,
    exeWritable: false,
    exeUpperLayer: false,
    exeLowerLayer: false,
    exeFromMemfd: false,
    exeIno: 0,
    exeInoCtime: 0,
    exeInoMtime: 0
  };
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/scapkit/constants.ts
var MAGIC = new Uint8Array([137, 83, 67, 65, 80, 75, 13, 10]);
var FORMAT_MAJOR = 1;
var PREAMBLE_SIZE = 16;
var RECORD_HEADER_SIZE = 5;
var RecordType = {
  /** crc32c u32 | msgpack map of header fields. Always the first record. */
  HEADER: 1,
  /** codec u8 | reserved u8[3] | raw length u32 | crc32c u32 (of the stored payload) | payload. */
  METADATA: 2,
  /** CHUNK_HEADER_SIZE bytes of chunk header | the stored (compressed) framed events. */
  CHUNK: 3,
  /** crc32c u32 | index entry size u16 | reserved u16 | chunk count u32 | metadata count u32 | entries | stats. */
  FOOTER: 4,
  /** footer offset u64 | footer record length u32 | MAGIC. Always the last record. */
  TRAILER: 5
};
var CHUNK_HEADER_SIZE = 36;
var METADATA_HEADER_SIZE = 12;
var HEADER_CRC_SIZE = 4;
var FOOTER_FIXED_SIZE = 16;
var CHUNK_ENTRY_SIZE = 32;
var TRAILER_BODY_SIZE = 20;
var TRAILER_SIZE = RECORD_HEADER_SIZE + TRAILER_BODY_SIZE;
var MIN_FRAMED_EVENT = 30;
var DEFAULT_LIMITS = {
  maxChunkRawBytes: 64 << 20,
  maxRecordBytes: 256 << 20,
  maxMetadataRawBytes: 64 << 20,
  maxHeaderBytes: 1 << 20
};
var DEFAULT_CHUNK_BYTES = 1 << 20;

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/scapkit/metadata-wire.ts
var THREAD = {
  tid: "num",
  pid: "num",
  ptid: "num",
  sid: "num",
  vpgid: "num",
  pgid: "num",
  comm: "str",
  exe: "str",
  exepath: "str",
  args: "strs",
  cwd: "str",
  fdlimit: "num",
  flags: "num",
  uid: "num",
  gid: "num",
  vmsizeKb: "num",
  vmrssKb: "num",
  vmswapKb: "num",
  pfMajor: "num",
  pfMinor: "num",
  env: "strs",
  vtid: "num",
  vpid: "num",
  cgroups: "strs",
  root: "str",
  loginuid: "num",
  tty: "num",
  pidnsInitStartTs: "num",
  capInheritable: "u64",
  capPermitted: "u64",
  capEffective: "u64",
  exeWritable: "bool",
  exeUpperLayer: "bool",
  exeLowerLayer: "bool",
  exeFromMemfd: "bool",
  exeIno: "num",
  exeInoCtime: "u64",
  exeInoMtime: "u64"
};
var FD = { fd: "num", ino: "num", type: "num", name: "str" };
var FD_OPTIONAL = {
  openFlags: "num",
  dev: "num",
  sip: "str",
  dip: "str",
  sport: "num",
  dport: "num",
  l4proto: "num",
  source: "u64",
  dest: "u64"
};
var USER = { uid: "num", gid: "num", name: "str", homedir: "str", shell: "str" };
var GROUP = { gid: "num", name: "str" };
var WITH_CONTAINER = { container: "str" };
var INTERFACE = { name: "str", family: "str", addr: "str", netmask: "str", bcast: "str" };
var INTERFACE_OPTIONAL = { linkspeed: "num" };
var CONTAINER = { id: "str", type: "str", name: "str", image: "str" };
var MACHINE = { hostname: "str", numCpus: "num", memoryBytes: "num", bootTs: "u64" };
var MACHINE_OPTIONAL = { kernel: "str", arch: "str", maxPid: "num" };
var HEADER_OPTIONAL = {
  recorderVersion: "str",
  eventTableVersion: "str",
  snaplen: "num",
  filter: "str",
  startTs: "u64"
};
var MAX_METADATA_CONTAINERS = 1 << 21;
var MAX_METADATA_THREADS = 1 << 18;
var DEFAULTS = {
  num: () => 0,
  u64: () => 0,
  str: () => "",
  strs: () => [],
  bool: () => false
};
var isMap = (v) => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
var Checker = class {
  constructor(offset) {
    this.offset = offset;
  }
  offset;
  fail(where, what) {
    throw new ScapFormatError(
      `${where.startsWith("header") ? "" : "metadata: "}${where}: ${what}`,
      this.offset
    );
  }
  /** Checks (and in place narrows) `m`'s fields; a missing required field takes its default. */
  fields(m, where, required, optional = {}, defaults) {
    for (const [key, kind] of Object.entries(required)) {
      if (m[key] === void 0)
        m[key] = defaults ? defaults[key] : DEFAULTS[kind]();
      else m[key] = this.value(m[key], kind, where, key);
    }
    for (const [key, kind] of Object.entries(optional)) {
      if (m[key] !== void 0) m[key] = this.value(m[key], kind, where, key);
    }
  }
  value(v, kind, where, key) {
    switch (kind) {
      case "num":
        if (typeof v === "number") return v;
        if (typeof v === "bigint") return Number(v);
        break;
      case "u64":
        if (typeof v === "number" || typeof v === "bigint") return v;
        break;
      case "str":
        if (typeof v === "string") return v;
        break;
      case "bool":
        if (typeof v === "boolean") return v;
        break;
      case "strs":
        if (Array.isArray(v) && v.every((s) => typeof s === "string")) return v;
        break;
    }
    const found = Array.isArray(v) ? "a list" : v === null ? "nil" : typeof v;
    return this.fail(
      `${where}.${key}`,
      `expected ${kind === "strs" ? "a list of strings" : kind === "u64" ? "an integer" : kind === "num" ? "a number" : kind === "str" ? "a string" : "a boolean"}, found ${found}`
    );
  }
  /** The list under `key` (absent: empty), each entry a map checked by `each`. */
  list(m, key, each) {
    const v = m[key];
    if (v === void 0) return [];
    if (!Array.isArray(v)) return this.fail(key, "not a list");
    v.forEach((e, i) => {
      if (!isMap(e)) this.fail(`${key}[${i}]`, "not a map");
      each(e, `${key}[${i}]`);
    });
    return v;
  }
};
function checkHeaderFields(m, offset) {
  const c = new Checker(offset);
  c.fields(m, "header", {}, HEADER_OPTIONAL);
  if (m.machine !== void 0) {
    if (!isMap(m.machine)) c.fail("header.machine", "not a map");
    else c.fields(m.machine, "header.machine", MACHINE, MACHINE_OPTIONAL);
  }
  return m;
}
function metadataFromWire(v, offset) {
  const c = new Checker(offset);
  if (!isMap(v)) return c.fail("record", "not a map");
  if (Array.isArray(v.threads) && v.threads.length > MAX_METADATA_THREADS)
    return c.fail("threads", `${v.threads.length} entries, more than the ${MAX_METADATA_THREADS} allowed`);
  const meta = {
    threads: c.list(v, "threads", (t, where) => {
      if (typeof t.tid !== "number") c.fail(`${where}.tid`, "missing or not a number");
      c.fields(t, where, THREAD, {}, blankThread(t.tid));
    }),
    fds: /* @__PURE__ */ new Map(),
    users: c.list(v, "users", (u, where) => c.fields(u, where, USER, WITH_CONTAINER)),
    groups: c.list(v, "groups", (g, where) => c.fields(g, where, GROUP, WITH_CONTAINER)),
    interfaces: c.list(v, "interfaces", (x, where) => c.fields(x, where, INTERFACE, INTERFACE_OPTIONAL)),
    containers: c.list(v, "containers", (x, where) => c.fields(x, where, CONTAINER))
  };
  const pairs = v.fds ?? [];
  if (!Array.isArray(pairs)) return c.fail("fds", "not a list");
  pairs.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== "number" || !Array.isArray(p[1])) {
      c.fail(`fds[${i}]`, "not a [tid, fds] pair");
    }
    const list = p[1];
    list.forEach((fd, k) => {
      if (!isMap(fd)) c.fail(`fds[${i}][${k}]`, "not a map");
      if (typeof fd.fd !== "number") c.fail(`fds[${i}][${k}].fd`, "missing or not a number");
      c.fields(fd, `fds[${i}][${k}]`, FD, FD_OPTIONAL);
    });
    meta.fds.set(p[0], list);
  });
  if (v.machine !== void 0) {
    if (!isMap(v.machine)) return c.fail("machine", "not a map");
    c.fields(v.machine, "machine", MACHINE, MACHINE_OPTIONAL);
    meta.machine = v.machine;
  }
  return meta;
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/scapkit/msgpack.ts
import { Decoder, Encoder } from "@msgpack/msgpack";
var encoder = new Encoder({ useBigInt64: true, ignoreUndefined: true });
var mapKeyConverter = (key) => {
  if (typeof key === "string" && key !== "__proto__" || typeof key === "number") return key;
  throw new Error(`map key ${JSON.stringify(String(key))} not allowed`);
};
var DECODE_LIMITS = {
  maxArrayLength: 1 << 22,
  maxMapLength: 1 << 16,
  maxStrLength: 16 << 20,
  maxBinLength: 64 << 20,
  maxExtLength: 1 << 16
};
function decodeMsgpack(bytes, offset, what) {
  try {
    return new Decoder({ useBigInt64: true, mapKeyConverter, ...DECODE_LIMITS }).decode(bytes);
  } catch (e) {
    throw new ScapFormatError(`${what}: invalid msgpack (${e.message})`, offset);
  }
}
var isRecord = (v) => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
function expectMap(v, offset, what) {
  if (!isRecord(v)) throw new ScapFormatError(`${what}: expected a map`, offset);
  return v;
}
function checkMsgpackContainers(bytes, max, offset, what) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  let p = 0;
  let pending = 1;
  let containers = 0;
  const container = (values) => {
    if (++containers > max) {
      throw new ScapFormatError(`${what}: more than ${max} maps and lists`, offset + p);
    }
    pending += values;
  };
  while (pending > 0 && p < end) {
    pending--;
    const b = bytes[p++];
    let skip = 0;
    if (b <= 127 || b >= 224 || b === 192 || b === 194 || b === 195) skip = 0;
    else if (b <= 143) container(2 * (b & 15));
    else if (b <= 159) container(b & 15);
    else if (b <= 191) skip = b & 31;
    else {
      const need = (n) => p + n <= end;
      switch (b) {
        case 196:
        case 217:
          if (!need(1)) return;
          skip = 1 + bytes[p];
          break;
        case 197:
        case 218:
          if (!need(2)) return;
          skip = 2 + dv.getUint16(p);
          break;
        case 198:
        case 219:
          if (!need(4)) return;
          skip = 4 + dv.getUint32(p);
          break;
        case 199:
          if (!need(1)) return;
          skip = 2 + bytes[p];
          break;
        case 200:
          if (!need(2)) return;
          skip = 3 + dv.getUint16(p);
          break;
        case 201:
          if (!need(4)) return;
          skip = 5 + dv.getUint32(p);
          break;
        case 202:
        case 206:
        case 210:
          skip = 4;
          break;
        case 203:
        case 207:
        case 211:
          skip = 8;
          break;
        case 204:
        case 208:
          skip = 1;
          break;
        case 205:
        case 209:
          skip = 2;
          break;
        case 212:
          skip = 2;
          break;
        case 213:
          skip = 3;
          break;
        case 214:
          skip = 5;
          break;
        case 215:
          skip = 9;
          break;
        case 216:
          skip = 17;
          break;
        case 220:
          if (!need(2)) return;
          container(dv.getUint16(p));
          skip = 2;
          break;
        case 221:
          if (!need(4)) return;
          container(dv.getUint32(p));
          skip = 4;
          break;
        case 222:
          if (!need(2)) return;
          container(2 * dv.getUint16(p));
          skip = 2;
          break;
        case 223:
          if (!need(4)) return;
          container(2 * dv.getUint32(p));
          skip = 4;
          break;
        default:
          return;
      }
    }
    p += skip;
  }
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/scapkit/records.ts
var le = (b) => new DataView(b.buffer, b.byteOffset, b.byteLength);
function checkMagic(b) {
  for (let i = 0; i < MAGIC.length && i < b.length; i++) {
    if (b[i] !== MAGIC[i]) {
      throw new ScapFormatError(
        `not a scapkit file: byte ${i} is 0x${b[i].toString(16)}, expected 0x${MAGIC[i].toString(16)}`,
        i
      );
    }
  }
}
function parsePreamble(b) {
  checkMagic(b);
  const dv = le(b);
  const major = dv.getUint16(8, true);
  if (major !== FORMAT_MAJOR) {
    throw new ScapFormatError(
      `unsupported scapkit format major version ${major}, this reader knows ${FORMAT_MAJOR}`,
      8
    );
  }
  return { major, minor: dv.getUint16(10, true) };
}
function maxBodyLength(type, limits) {
  switch (type) {
    case RecordType.HEADER:
      return limits.maxHeaderBytes;
    case RecordType.CHUNK:
      return CHUNK_HEADER_SIZE + limits.maxChunkRawBytes + (limits.maxChunkRawBytes / 255 | 0) + 16;
    case RecordType.TRAILER:
      return TRAILER_BODY_SIZE;
    default:
      return limits.maxRecordBytes;
  }
}
function parseHeaderBody(body, offset, verifyCrc) {
  if (body.length < HEADER_CRC_SIZE) throw new ScapFormatError("header record shorter than its CRC", offset);
  const at = offset + RECORD_HEADER_SIZE;
  if (verifyCrc) {
    const want = le(body).getUint32(0, true);
    const got = crc32c(body, 0, HEADER_CRC_SIZE);
    if (want !== got) throw crcError("header", at, want, got);
  }
  const payload = body.slice(HEADER_CRC_SIZE);
  const fields = expectMap(decodeMsgpack(payload, at + HEADER_CRC_SIZE, "header"), at, "header");
  return checkHeaderFields(fields, at + HEADER_CRC_SIZE);
}
function crcError(what, offset, want, got) {
  const hex = (x) => `0x${x.toString(16).padStart(8, "0")}`;
  return new ScapFormatError(`${what} CRC32C mismatch: expected ${hex(want)}, found ${hex(got)}`, offset);
}
function parseMetadataBody(body, offset, codecs, limits, verifyCrc) {
  const at = offset + RECORD_HEADER_SIZE;
  if (body.length < METADATA_HEADER_SIZE)
    throw new ScapFormatError("metadata record shorter than its header", at);
  const dv = le(body);
  const rawLength = dv.getUint32(4, true);
  const maxRaw = Math.min(limits.maxRecordBytes, limits.maxMetadataRawBytes);
  if (rawLength > maxRaw) {
    throw new ScapFormatError(`metadata declares ${rawLength} raw bytes, limit ${maxRaw}`, at + 4);
  }
  const stored = body.subarray(METADATA_HEADER_SIZE);
  if (verifyCrc) {
    const want = dv.getUint32(8, true);
    const got = crc32c(stored);
    if (want !== got) throw crcError("metadata", at, want, got);
  }
  const raw = decompress(codecs(body[0], at), stored, rawLength, at + METADATA_HEADER_SIZE, "metadata");
  checkMsgpackContainers(raw, MAX_METADATA_CONTAINERS, at + METADATA_HEADER_SIZE, "metadata");
  return metadataFromWire(decodeMsgpack(raw, at + METADATA_HEADER_SIZE, "metadata"), at);
}
function decompress(codec, stored, rawLength, at, what) {
  const name = codec.name ?? `codec ${codec.id}`;
  if (codec.maxRawLength && rawLength > codec.maxRawLength(stored.length)) {
    throw new ScapFormatError(
      `${what} declares ${rawLength} raw bytes, more than ${stored.length} ${name} bytes can decode to`,
      at
    );
  }
  let raw;
  try {
    raw = codec.decompress(stored, rawLength);
  } catch (e) {
    if (e instanceof ScapFormatError) {
      throw new ScapFormatError(`${what} body (${name}): ${e.message}`, at + Math.max(0, e.offset));
    }
    throw e;
  }
  if (raw.length !== rawLength) {
    throw new ScapFormatError(
      `${what} body (${name}) decodes to ${raw.length} bytes, expected ${rawLength}`,
      at
    );
  }
  return raw;
}
function parseChunkHeader(body, offset, limits) {
  const at = offset + RECORD_HEADER_SIZE;
  if (body.length < CHUNK_HEADER_SIZE) {
    throw new ScapFormatError(
      `chunk record of ${body.length} bytes, shorter than its ${CHUNK_HEADER_SIZE}-byte header`,
      at
    );
  }
  const dv = le(body);
  const h = {
    codec: body[0],
    eventCount: dv.getUint32(4, true),
    rawLength: dv.getUint32(8, true),
    storedLength: dv.getUint32(12, true),
    firstTs: dv.getBigUint64(16, true),
    lastTs: dv.getBigUint64(24, true),
    crc: dv.getUint32(32, true)
  };
  if (h.storedLength !== body.length - CHUNK_HEADER_SIZE) {
    throw new ScapFormatError(
      `chunk stored length: expected ${body.length - CHUNK_HEADER_SIZE} (from the record length), found ${h.storedLength}`,
      at + 12
    );
  }
  if (h.rawLength > limits.maxChunkRawBytes) {
    throw new ScapFormatError(
      `chunk declares ${h.rawLength} raw bytes, limit ${limits.maxChunkRawBytes}`,
      at + 8
    );
  }
  if (h.eventCount * MIN_FRAMED_EVENT > h.rawLength || h.eventCount === 0 !== (h.rawLength === 0)) {
    throw new ScapFormatError(`chunk declares ${h.eventCount} events in ${h.rawLength} raw bytes`, at + 4);
  }
  if (h.firstTs > h.lastTs)
    throw new ScapFormatError(`chunk first ts ${h.firstTs} after last ts ${h.lastTs}`, at + 16);
  return h;
}
function verifyChunkCrc(body, h, offset) {
  const got = crc32c(body, crc32c(body, 0, 0, 32), CHUNK_HEADER_SIZE);
  if (got !== h.crc) throw crcError("chunk", offset + RECORD_HEADER_SIZE + 32, h.crc, got);
}
function decodeChunk(body, h, offset, codecs, verifyCrc) {
  const at = offset + RECORD_HEADER_SIZE;
  if (verifyCrc) verifyChunkCrc(body, h, offset);
  const stored = body.subarray(CHUNK_HEADER_SIZE);
  const data = decompress(codecs(h.codec, at), stored, h.rawLength, at + CHUNK_HEADER_SIZE, "chunk");
  return frameChunk(data, h.eventCount, at);
}
function frameChunk(data, count, at) {
  const offsets = new Uint32Array(count);
  const dv = le(data);
  const n = data.length;
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (n - p < FRAME_SIZE + EVENT_HEADER_SIZE) {
      throw new ScapFormatError(`chunk holds ${i} events, header says ${count}`, at);
    }
    const len = dv.getUint32(p + FRAME_SIZE + 16, true);
    if (len < EVENT_HEADER_SIZE || len > n - p - FRAME_SIZE) {
      throw new ScapFormatError(
        `event ${i} of chunk has length ${len}, ${n - p - FRAME_SIZE} bytes left`,
        at
      );
    }
    offsets[i] = p + FRAME_SIZE;
    p += FRAME_SIZE + len;
  }
  if (p !== n) throw new ScapFormatError(`chunk events end at raw byte ${p}, raw length is ${n}`, at);
  return { data, offsets, count };
}
function parseFooterBody(body, offset, verifyCrc) {
  const at = offset + RECORD_HEADER_SIZE;
  if (body.length < FOOTER_FIXED_SIZE) throw new ScapFormatError("footer shorter than its fixed part", at);
  const dv = le(body);
  if (verifyCrc) {
    const want = dv.getUint32(0, true);
    const got = crc32c(body, 0, 4);
    if (want !== got) throw crcError("footer", at, want, got);
  }
  const entrySize = dv.getUint16(4, true);
  const n = dv.getUint32(8, true);
  const m = dv.getUint32(12, true);
  if (entrySize < CHUNK_ENTRY_SIZE)
    throw new ScapFormatError(`footer index entries of ${entrySize} bytes`, at + 4);
  if (n * entrySize + m * 8 > body.length - FOOTER_FIXED_SIZE) {
    throw new ScapFormatError(
      `footer declares ${n} chunks and ${m} metadata records, more than it holds`,
      at + 8
    );
  }
  const chunks = [];
  let p = FOOTER_FIXED_SIZE;
  for (let i = 0; i < n; i++, p += entrySize) {
    chunks.push({
      offset: safeOffset(dv.getBigUint64(p, true), at + p),
      firstTs: dv.getBigUint64(p + 8, true),
      lastTs: dv.getBigUint64(p + 16, true),
      eventCount: dv.getUint32(p + 24, true),
      recordLength: dv.getUint32(p + 28, true)
    });
  }
  const metadataOffsets = [];
  for (let i = 0; i < m; i++, p += 8) metadataOffsets.push(safeOffset(dv.getBigUint64(p, true), at + p));
  const stats = expectMap(decodeMsgpack(body.slice(p), at + p, "footer stats"), at + p, "footer stats");
  return { chunks, metadataOffsets, stats };
}
function safeOffset(v, at) {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ScapFormatError(`offset ${v} beyond any file`, at);
  return Number(v);
}
function parseTrailer(rec, offset) {
  const dv = le(rec);
  if (rec.length !== TRAILER_SIZE || rec[0] !== RecordType.TRAILER || dv.getUint32(1, true) !== TRAILER_BODY_SIZE) {
    throw new ScapFormatError(
      "no scapkit trailer at the end of the file (not closed, or not a scapkit file)",
      offset
    );
  }
  for (let i = 0; i < MAGIC.length; i++) {
    if (rec[RECORD_HEADER_SIZE + 12 + i] !== MAGIC[i])
      throw new ScapFormatError("trailer magic mismatch", offset);
  }
  return {
    footerOffset: safeOffset(dv.getBigUint64(RECORD_HEADER_SIZE, true), offset + RECORD_HEADER_SIZE),
    footerLength: dv.getUint32(RECORD_HEADER_SIZE + 8, true)
  };
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/scapkit/scanner.ts
var RecordScanner = class {
  /** `stage`: copy only a straddling record (fast); recover turns it off to rescan with unread/skip. */
  constructor(limits, stage = true) {
    this.limits = limits;
    this.stage = stage;
  }
  limits;
  stage;
  preamble;
  /**
   * A record completed by the last push, copied out on its own so the rest of that push is read in place
   * (else, once one record straddles two pushes, every later byte would be copied). Stream reading only.
   */
  staged;
  stagedOffset = 0;
  buf = new Uint8Array(0);
  start = 0;
  end = 0;
  /** Whether `buf` is ours to append into (else it is the caller's last pushed array). */
  owned = false;
  /** File offset of buf[start]. */
  base = 0;
  /** File offset of the first byte not yet handed out. */
  get offset() {
    return this.staged ? this.stagedOffset : this.base;
  }
  /** Bytes received but not yet handed out. */
  get buffered() {
    return (this.staged?.length ?? 0) + this.end - this.start;
  }
  push(bytes) {
    if (bytes.length === 0) return;
    const left = this.end - this.start;
    if (left === 0) {
      this.buf = bytes;
      this.start = 0;
      this.end = bytes.length;
      this.owned = false;
      return;
    }
    if (this.stage && !this.staged && this.preamble && left >= RECORD_HEADER_SIZE) {
      const total = RECORD_HEADER_SIZE + this.bodyLength(this.start);
      if (total - left <= bytes.length && total - RECORD_HEADER_SIZE <= maxBodyLength(this.buf[this.start], this.limits)) {
        const rec = new Uint8Array(total);
        rec.set(this.buf.subarray(this.start, this.end));
        rec.set(bytes.subarray(0, total - left), left);
        this.staged = rec;
        this.stagedOffset = this.base;
        this.base += total;
        this.buf = bytes;
        this.start = total - left;
        this.end = bytes.length;
        this.owned = false;
        return;
      }
    }
    if (this.owned && this.buf.length - this.end >= bytes.length) {
      this.buf.set(bytes, this.end);
      this.end += bytes.length;
      return;
    }
    const need = left + bytes.length;
    let size = this.owned ? this.buf.length : 1 << 16;
    while (size < need) size *= 2;
    const nb = this.owned && size === this.buf.length ? this.buf : new Uint8Array(size);
    if (nb === this.buf) nb.copyWithin(0, this.start, this.end);
    else nb.set(this.buf.subarray(this.start, this.end), 0);
    nb.set(bytes, left);
    this.buf = nb;
    this.start = 0;
    this.end = need;
    this.owned = true;
  }
  /** The next complete record, or undefined until more bytes are pushed. */
  next() {
    if (this.staged) {
      const b2 = this.staged;
      this.staged = void 0;
      return { type: b2[0], offset: this.stagedOffset, body: b2.subarray(RECORD_HEADER_SIZE), bytes: b2 };
    }
    const avail = this.end - this.start;
    if (!this.preamble) {
      if (avail < PREAMBLE_SIZE) {
        if (avail > 0) checkMagic(this.buf.subarray(this.start, this.end));
        return void 0;
      }
      this.preamble = parsePreamble(this.buf.subarray(this.start, this.start + PREAMBLE_SIZE));
      this.consume(PREAMBLE_SIZE);
      return this.next();
    }
    if (avail < RECORD_HEADER_SIZE) return void 0;
    const b = this.buf;
    const s = this.start;
    const type = b[s];
    const len = this.bodyLength(s);
    const max = maxBodyLength(type, this.limits);
    if (len > max) {
      throw new ScapFormatError(
        `record of type 0x${type.toString(16)} declares ${len} bytes, limit ${max}`,
        this.base + 1
      );
    }
    if (avail < RECORD_HEADER_SIZE + len) return void 0;
    const rec = {
      type,
      offset: this.base,
      body: b.subarray(s + RECORD_HEADER_SIZE, s + RECORD_HEADER_SIZE + len),
      bytes: b.subarray(s, s + RECORD_HEADER_SIZE + len)
    };
    this.consume(RECORD_HEADER_SIZE + len);
    return rec;
  }
  /** The next `n` bytes after the preamble without consuming them, or undefined until they are here. */
  peek(n) {
    if (!this.preamble || this.end - this.start < n) return void 0;
    return this.buf.subarray(this.start, this.start + n);
  }
  /** Drops `n` bytes without reading them (recover's resynchronisation; needs stage = false). */
  skip(n) {
    this.consume(Math.min(n, this.end - this.start));
  }
  /** The error for input that ended here: nothing pending and no trailer means the file was cut too. */
  truncated(what) {
    return new ScapTruncatedError(
      `${what}: the input ends ${this.buffered ? `${this.buffered} bytes into an incomplete record` : "between records, before the footer"}`,
      this.base,
      this.buffered
    );
  }
  /** Puts back the `n` bytes of the record just handed out (before any push; needs stage = false). */
  unread(n) {
    this.start -= n;
    this.base -= n;
  }
  bodyLength(at) {
    const b = this.buf;
    return (b[at + 1] | b[at + 2] << 8 | b[at + 3] << 16 | b[at + 4] << 24) >>> 0;
  }
  consume(n) {
    this.start += n;
    this.base += n;
  }
};

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/scapkit/reader.ts
function readScapkit(input, opts = {}) {
  return { [Symbol.asyncIterator]: () => records(input, opts) };
}
async function* records(input, opts) {
  const decoder = new RecordDecoder(opts);
  const scanner = new RecordScanner(decoder.limits);
  for await (const bytes of input) {
    scanner.push(bytes);
    for (let rec = scanner.next(); rec; rec = scanner.next()) {
      const out = decoder.decode(rec, `${scanner.preamble.major}.${scanner.preamble.minor}`);
      if (out) yield out;
      if (decoder.done) return;
    }
  }
  throw scanner.truncated(decoder.sawHeader ? "scapkit file cut" : "scapkit file cut before its header");
}
var RecordDecoder = class {
  limits;
  verifyCrc;
  codecs;
  sawHeader = false;
  sawFooter = false;
  done = false;
  /** Offsets of the chunks read, checked against the footer's index: a chunk lost to a damaged type byte shows. */
  chunkOffsets = [];
  constructor(opts = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.verifyCrc = opts.verifyCrc ?? true;
    this.codecs = codecTable(opts.codecs);
  }
  /** The record's meaning, or undefined for records that carry nothing for the consumer. */
  decode(rec, version = "1.0") {
    if (!this.sawHeader) {
      if (rec.type !== RecordType.HEADER) {
        throw new ScapFormatError(
          `first record: expected header (type 0x01), found type 0x${rec.type.toString(16)}`,
          rec.offset
        );
      }
      this.sawHeader = true;
      const fields = parseHeaderBody(rec.body, rec.offset, this.verifyCrc);
      const header = { ...fields, format: "scapkit", version };
      return { kind: "header", header };
    }
    switch (rec.type) {
      case RecordType.HEADER:
        throw new ScapFormatError("a second header record", rec.offset);
      case RecordType.METADATA:
        return {
          kind: "metadata",
          metadata: parseMetadataBody(rec.body, rec.offset, this.codecs, this.limits, this.verifyCrc)
        };
      case RecordType.CHUNK: {
        const h = parseChunkHeader(rec.body, rec.offset, this.limits);
        const batch = decodeChunk(rec.body, h, rec.offset, this.codecs, this.verifyCrc);
        this.chunkOffsets.push(rec.offset);
        return { kind: "events", batch };
      }
      case RecordType.FOOTER: {
        this.sawFooter = true;
        const footer = parseFooterBody(rec.body, rec.offset, this.verifyCrc);
        const seen = this.chunkOffsets;
        const indexed = footer.chunks;
        for (let i = 0; i < Math.max(seen.length, indexed.length); i++) {
          if (seen[i] !== indexed[i]?.offset) {
            throw new ScapFormatError(
              `footer index: chunk ${i} expected at offset ${indexed[i]?.offset ?? "(none)"}, found ${seen[i] ?? "(none)"} in the stream`,
              rec.offset
            );
          }
        }
        return { kind: "stats", stats: footer.stats };
      }
      case RecordType.TRAILER:
        if (!this.sawFooter) throw new ScapFormatError("trailer without a footer before it", rec.offset);
        this.done = true;
        return void 0;
      default:
        return void 0;
    }
  }
};

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/params/dyn.ts
var SOCKOPT_DYN = [PT.BYTEBUF, PT.ERRNO, PT.UINT32, PT.UINT64, PT.RELTIME];
var PTRACE_DYN = [PT.UINT64, PT.SIGTYPE];
var BPF_DYN = [PT.FD, PT.ERRNO];
var KEYCTL_DYN = [PT.INT64, PT.CHARBUF];
var BY_NAME = {
  "setsockopt.val": SOCKOPT_DYN,
  "getsockopt.val": SOCKOPT_DYN,
  "ptrace.addr": PTRACE_DYN,
  "ptrace.data": PTRACE_DYN,
  "bpf.res_or_fd": BPF_DYN,
  "keyctl.arg2": KEYCTL_DYN,
  "keyctl.arg3": KEYCTL_DYN,
  "keyctl.arg4": KEYCTL_DYN,
  "keyctl.arg5": KEYCTL_DYN
};
var cache;
function dynParamTypes(eventType, paramIndex) {
  cache ??= EVENTS.map(
    (e) => e.params.map((p) => p.type === PT.DYN ? BY_NAME[`${e.name}.${p.name}`] : void 0)
  );
  return cache[eventType]?.[paramIndex];
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/params/ip.ts
function parseIpv4Text(s, out, off) {
  const parts = s.split(".");
  if (parts.length !== 4) return false;
  for (let k = 0; k < 4; k++) {
    const p = parts[k];
    if (!/^\d{1,3}$/.test(p)) return false;
    const v = Number(p);
    if (v > 255) return false;
    out[off + k] = v;
  }
  return true;
}
function parseIpv6Text(s, out, off) {
  out.fill(0, off, off + 16);
  if (s.indexOf(":") < 0) {
    if (!parseIpv4Text(s, out, off + 12)) return false;
    if (s !== "0.0.0.0") out[off + 10] = out[off + 11] = 255;
    return true;
  }
  const groups = [];
  const halves = s.split("::");
  if (halves.length > 2) return false;
  const parseHalf = (h, last) => {
    if (h === "") return [];
    const res = [];
    const items = h.split(":");
    for (let k = 0; k < items.length; k++) {
      const it = items[k];
      if (last && k === items.length - 1 && it.includes(".")) {
        const b = new Uint8Array(4);
        if (!parseIpv4Text(it, b, 0)) return void 0;
        res.push(b[0] << 8 | b[1], b[2] << 8 | b[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return void 0;
        res.push(Number.parseInt(it, 16));
      }
    }
    return res;
  };
  const head = parseHalf(halves[0], halves.length === 1);
  if (!head) return false;
  if (halves.length === 1) {
    if (head.length !== 8) return false;
    groups.push(...head);
  } else {
    const tail = parseHalf(halves[1], true);
    if (!tail || head.length + tail.length > 7) return false;
    groups.push(...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail);
  }
  for (let g = 0; g < 8; g++) {
    out[off + 2 * g] = groups[g] >>> 8;
    out[off + 2 * g + 1] = groups[g] & 255;
  }
  return true;
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/params/decode.ts
var utf82 = new TextDecoder("utf-8", { fatal: false });
var f64 = new Float64Array(1);
var f64bytes = new Uint8Array(f64.buffer);
var PPM_AF_UNIX = 1;
var PPM_AF_INET = 2;
var PPM_AF_INET6 = 10;
function paramTypeWidth(type) {
  switch (type) {
    case PT.INT8:
    case PT.UINT8:
    case PT.SIGTYPE:
    case PT.L4PROTO:
    case PT.SOCKFAMILY:
    case PT.FLAGS8:
    case PT.ENUMFLAGS8:
      return 1;
    case PT.INT16:
    case PT.UINT16:
    case PT.SYSCALLID:
    case PT.PORT:
    case PT.FLAGS16:
    case PT.ENUMFLAGS16:
      return 2;
    case PT.INT32:
    case PT.UINT32:
    case PT.BOOL:
    case PT.IPV4ADDR:
    case PT.FLAGS32:
    case PT.ENUMFLAGS32:
    case PT.UID:
    case PT.GID:
    case PT.SIGSET:
    case PT.MODE:
    case PT.FD32:
    case PT.PID32:
      return 4;
    case PT.INT64:
    case PT.UINT64:
    case PT.ERRNO:
    case PT.FD:
    case PT.PID:
    case PT.RELTIME:
    case PT.ABSTIME:
    case PT.DOUBLE:
      return 8;
    case PT.IPV6ADDR:
      return 16;
    default:
      return 0;
  }
}
function isSigned64(type) {
  return type === PT.INT64 || type === PT.ERRNO || type === PT.FD || type === PT.PID;
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/sysdig/downgrade.ts
var SYSDIG_0_29_EVENT_MAX = EVENTS_SYSDIG_0_29.length;
var SYSDIG_0_29_FD_TYPE_MAX = FdType.FILE_V2;
var SC_BY_NAME = /* @__PURE__ */ new Map();
SYSCALL_NAMES.forEach((n, i) => {
  if (!SC_BY_NAME.has(n)) SC_BY_NAME.set(n, i);
});
var SIGNED = /* @__PURE__ */ new Set([
  PT.INT8,
  PT.INT16,
  PT.INT32,
  PT.INT64,
  PT.ERRNO,
  PT.FD,
  PT.PID,
  PT.FD32,
  PT.PID32,
  PT.RELTIME
]);
var utf83 = new TextEncoder();
var utf8d = new TextDecoder();

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/sysdig/cursor.ts
var utf84 = new TextDecoder("utf-8", { fatal: false });

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/sysdig/meta-read.ts
var utf85 = new TextDecoder("utf-8", { fatal: false });
var PRE_010_TAIL = 4 + 1 + 8 + 8 + 8;

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/sysdig/reader.ts
var GZIP_SLICE = 64 << 10;
var GZIP_QUEUE_BYTES = 4 << 20;
var CONSUMER_SLICE = 64 << 10;
var DEFAULT_MAX_METADATA_BLOCK = 32 << 20;
var LEN_WIDTH = new Uint8Array(65536).fill(2);
var TABLE_NPARAMS = new Int16Array(65536).fill(-1);
for (let t = 0; t < EVENT_MAX; t++) {
  const info = EVENTS[t];
  if (info.largePayload) LEN_WIDTH[t] = 4;
  TABLE_NPARAMS[t] = info.params.length;
}
var NODE_GUNZIP_CHUNK = 256 << 10;

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/sysdig/writer.ts
var utf86 = new TextEncoder();
var LARGE = new Uint8Array(Math.max(EVENT_MAX, 1));
for (let t = 0; t < EVENT_MAX; t++) LARGE[t] = EVENTS[t].largePayload ? 1 : 0;

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/params/encode.ts
var TWO32 = 4294967296;
var textEncoder = new TextEncoder();
function utf8Length(s) {
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 128) n += 1;
    else if (c < 2048) n += 2;
    else if (c >= 55296 && c <= 56319 && k + 1 < s.length) {
      const c2 = s.charCodeAt(k + 1);
      if (c2 >= 56320 && c2 <= 57343) {
        n += 4;
        k++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
var ParamError = class extends TypeError {
  name = "ParamError";
};
function isObject(v) {
  return typeof v === "object" && v !== null;
}
function writeInt(dv, o, width, v, signed) {
  if (width === 8) {
    if (typeof v === "bigint") {
      dv.setBigUint64(o, BigInt.asUintN(64, v), true);
      return;
    }
    const lo = (v % TWO32 + TWO32) % TWO32;
    const hi = (v - lo) / TWO32;
    dv.setUint32(o, lo, true);
    if (signed || hi < 0) dv.setInt32(o + 4, hi, true);
    else dv.setUint32(o + 4, hi, true);
    return;
  }
  const n = typeof v === "bigint" ? Number(BigInt.asIntN(32, v)) : v;
  if (width === 1) dv.setUint8(o, n & 255);
  else if (width === 2) dv.setUint16(o, n & 65535, true);
  else dv.setUint32(o, n >>> 0, true);
}
function checkInt(v, width, where) {
  if (typeof v === "number") {
    const ok = Number.isInteger(v) && (width === 8 ? Math.abs(v) <= 2 ** 64 : v >= -(2 ** (8 * width - 1)) && v < 2 ** (8 * width));
    if (!ok) throw new ParamError(`${where()}: ${v} is not a ${8 * width}-bit integer`);
    return v;
  }
  if (typeof v === "bigint") {
    const min = -(1n << BigInt(8 * width - 1));
    const max = (1n << BigInt(8 * width)) - 1n;
    if (v < min || v > max) throw new ParamError(`${where()}: ${v} is not a ${8 * width}-bit integer`);
    return v;
  }
  throw new ParamError(`${where()}: expected a number or bigint, got ${describe(v)}`);
}
function describe(v) {
  if (v === null) return "null";
  if (v instanceof Uint8Array) return "Uint8Array";
  if (Array.isArray(v)) return "array";
  return typeof v;
}
var EventEncoder = class {
  sizes = new Uint32Array(32);
  ip = new Uint8Array(16);
  /** Appends `ev` to `builder` as one framed event; returns the offset of its header in builder.buffer. */
  encode(builder, ev) {
    const info = ev.type >= 0 && ev.type < EVENT_MAX ? EVENTS[ev.type] : void 0;
    if (!info) throw new RangeError(`event type ${ev.type} is not in the event table`);
    const n = ev.params.length;
    if (n > info.params.length) {
      throw new RangeError(`${info.name} (${ev.type}) has ${info.params.length} parameters, got ${n}`);
    }
    if (this.sizes.length < n) this.sizes = new Uint32Array(n);
    const wide = info.largePayload;
    let total = EVENT_HEADER_SIZE + n * (wide ? 4 : 2);
    for (let i = 0; i < n; i++) {
      const size = this.size(ev.type, i, info.params[i].type, ev.params[i]);
      if (!wide && size > 65535) {
        throw new RangeError(`${info.name}.${info.params[i].name}: ${size} bytes do not fit a u16 length`);
      }
      this.sizes[i] = size;
      total += size;
    }
    const at = builder.reserve(total, ev.cpu ?? 0, ev.flags ?? 0);
    const buf = builder.buffer;
    const dv = builder.view;
    dv.setBigUint64(at, BigInt.asUintN(64, ev.ts), true);
    writeInt(dv, at + 8, 8, ev.tid, true);
    dv.setUint32(at + 16, total, true);
    dv.setUint16(at + 20, ev.type, true);
    dv.setUint32(at + 22, n, true);
    let q = at + EVENT_HEADER_SIZE;
    let p = q + n * (wide ? 4 : 2);
    for (let i = 0; i < n; i++) {
      const size = this.sizes[i];
      if (wide) dv.setUint32(q, size, true);
      else dv.setUint16(q, size, true);
      q += wide ? 4 : 2;
      if (size > 0) this.write(buf, dv, p, size, ev.type, i, info.params[i].type, ev.params[i]);
      p += size;
    }
    return at;
  }
  // The parameter being sized or written, for error messages; a field rather than a closure per parameter
  // keeps encoding allocation-free for well-formed values.
  ctxEvent = 0;
  ctxIndex = 0;
  ctxType = 0;
  where = () => {
    const info = EVENTS[this.ctxEvent];
    const t = this.ctxType;
    return `${info?.name ?? this.ctxEvent}.${info?.params[this.ctxIndex]?.name ?? this.ctxIndex} (${PARAM_TYPE_NAMES[t] ?? t})`;
  };
  at(eventType, i, type) {
    this.ctxEvent = eventType;
    this.ctxIndex = i;
    this.ctxType = type;
    return this.where;
  }
  /** Payload size of `v` as PT type `type` (parameter i of eventType, for DYN tables and messages). */
  size(eventType, i, type, v) {
    if (v === null) return 0;
    if (v instanceof Uint8Array) return v.length;
    const where = this.at(eventType, i, type);
    const w = paramTypeWidth(type);
    if (w !== 0) {
      if (type === PT.DOUBLE) {
        if (typeof v !== "number") throw new ParamError(`${where()}: expected a number, got ${describe(v)}`);
      } else if (type === PT.IPV4ADDR) this.checkIpv4(v, where);
      else if (type === PT.IPV6ADDR) this.checkIpv6(v, where);
      else checkInt(v, w, where);
      return w;
    }
    switch (type) {
      case PT.CHARBUF:
      case PT.FSPATH:
      case PT.FSRELPATH:
        return this.checkString(v, where) + 1;
      case PT.IPADDR:
        if (typeof v === "string" && v.includes(":")) {
          this.checkIpv6(v, where);
          return 16;
        }
        this.checkIpv4(v, where);
        return 4;
      case PT.SOCKADDR: {
        const a = v;
        if (!isObject(v) || !("family" in a)) throw new ParamError(`${where()}: expected a SockAddr`);
        if (a.family === "unix") return 1 + this.checkString(a.path, where) + 1;
        if (a.family === "ipv4") {
          this.checkIpv4(a.addr, where);
          checkInt(a.port, 2, where);
          return 7;
        }
        if (a.family === "ipv6") {
          this.checkIpv6(a.addr, where);
          checkInt(a.port, 2, where);
          return 19;
        }
        return 1 + this.checkBytes(a.data, where);
      }
      case PT.SOCKTUPLE: {
        const t = v;
        if (!isObject(v) || !("family" in t)) throw new ParamError(`${where()}: expected a SockTuple`);
        if (t.family === "unix") {
          if (typeof t.source !== "bigint" || typeof t.dest !== "bigint") {
            throw new ParamError(`${where()}: unix tuple source and dest are bigints`);
          }
          return 17 + this.checkString(t.path, where) + 1;
        }
        if (t.family === "ipv4" || t.family === "ipv6") {
          const check = t.family === "ipv4" ? this.checkIpv4 : this.checkIpv6;
          check.call(this, t.sip, where);
          check.call(this, t.dip, where);
          checkInt(t.sport, 2, where);
          checkInt(t.dport, 2, where);
          return t.family === "ipv4" ? 13 : 37;
        }
        return 1 + this.checkBytes(t.data, where);
      }
      case PT.FDLIST:
        if (!Array.isArray(v)) throw new ParamError(`${where()}: expected an FdListEntry[]`);
        if (v.length > 65535) throw new ParamError(`${where()}: more than 65535 entries`);
        for (const e of v) {
          checkInt(e.fd, 8, where);
          checkInt(e.flags, 2, where);
        }
        return 2 + 10 * v.length;
      case PT.DYN: {
        const dyn = v;
        if (!isObject(v) || !("index" in dyn)) throw new ParamError(`${where()}: expected a DynValue`);
        const t = dynParamTypes(eventType, i)?.[dyn.index] ?? PT.NONE;
        if (t !== dyn.type) {
          throw new ParamError(`${where()}: index ${dyn.index} selects type ${t}, value says ${dyn.type}`);
        }
        return 1 + (dyn.value === null ? 0 : this.size(eventType, i, t, dyn.value));
      }
      case PT.CHARBUFARRAY:
      case PT.CHARBUF_PAIR_ARRAY:
        throw new ParamError(`${where()}: in-memory pointer types only take null`);
      default:
        throw new ParamError(`${where()}: expected a Uint8Array or null, got ${describe(v)}`);
    }
  }
  /** Writes `v` as PT type `type` at `o` in `buf` (`dv` over the same bytes); `size` must come from `size()`. */
  write(buf, dv, o, size, eventType, i, type, v) {
    if (v === null) return;
    if (v instanceof Uint8Array) {
      buf.set(v, o);
      return;
    }
    const where = this.at(eventType, i, type);
    const w = paramTypeWidth(type);
    if (w !== 0) {
      if (type === PT.DOUBLE) dv.setFloat64(o, v, true);
      else if (type === PT.IPV4ADDR) this.putIpv4(buf, o, v, where);
      else if (type === PT.IPV6ADDR) this.putIpv6(buf, o, v, where);
      else writeInt(dv, o, w, v, isSigned64(type));
      return;
    }
    switch (type) {
      case PT.CHARBUF:
      case PT.FSPATH:
      case PT.FSRELPATH:
        this.putString(buf, o, size - 1, v);
        return;
      case PT.IPADDR:
        if (size === 16) this.putIpv6(buf, o, v, where);
        else this.putIpv4(buf, o, v, where);
        return;
      case PT.SOCKADDR: {
        const a = v;
        if (a.family === "unix") {
          buf[o] = PPM_AF_UNIX;
          this.putString(buf, o + 1, size - 2, a.path);
        } else if (a.family === "ipv4") {
          buf[o] = PPM_AF_INET;
          this.putIpv4(buf, o + 1, a.addr, where);
          dv.setUint16(o + 5, a.port, true);
        } else if (a.family === "ipv6") {
          buf[o] = PPM_AF_INET6;
          this.putIpv6(buf, o + 1, a.addr, where);
          dv.setUint16(o + 17, a.port, true);
        } else {
          buf[o] = a.code;
          buf.set(a.data, o + 1);
        }
        return;
      }
      case PT.SOCKTUPLE: {
        const t = v;
        if (t.family === "unix") {
          buf[o] = PPM_AF_UNIX;
          dv.setBigUint64(o + 1, BigInt.asUintN(64, t.source), true);
          dv.setBigUint64(o + 9, BigInt.asUintN(64, t.dest), true);
          this.putString(buf, o + 17, size - 18, t.path);
        } else if (t.family === "ipv4") {
          buf[o] = PPM_AF_INET;
          this.putIpv4(buf, o + 1, t.sip, where);
          dv.setUint16(o + 5, t.sport, true);
          this.putIpv4(buf, o + 7, t.dip, where);
          dv.setUint16(o + 11, t.dport, true);
        } else if (t.family === "ipv6") {
          buf[o] = PPM_AF_INET6;
          this.putIpv6(buf, o + 1, t.sip, where);
          dv.setUint16(o + 17, t.sport, true);
          this.putIpv6(buf, o + 19, t.dip, where);
          dv.setUint16(o + 35, t.dport, true);
        } else {
          buf[o] = t.code;
          buf.set(t.data, o + 1);
        }
        return;
      }
      case PT.FDLIST: {
        const list = v;
        dv.setUint16(o, list.length, true);
        for (let k = 0; k < list.length; k++) {
          const e = list[k];
          writeInt(dv, o + 2 + 10 * k, 8, e.fd, true);
          dv.setUint16(o + 10 + 10 * k, e.flags & 65535, true);
        }
        return;
      }
      case PT.DYN: {
        const dyn = v;
        buf[o] = dyn.index;
        if (dyn.value !== null) this.write(buf, dv, o + 1, size - 1, eventType, i, dyn.type, dyn.value);
        return;
      }
    }
  }
  // Validation happens while sizing, before anything is reserved in the builder, so a bad value leaves
  // the batch untouched.
  checkString(v, where) {
    if (typeof v !== "string") throw new ParamError(`${where()}: expected a string, got ${typeof v}`);
    return utf8Length(v);
  }
  checkBytes(v, where) {
    if (!(v instanceof Uint8Array)) throw new ParamError(`${where()}: expected a Uint8Array`);
    return v.length;
  }
  checkIpv4(v, where) {
    if (typeof v !== "string" || !parseIpv4Text(v, this.ip, 0)) {
      throw new ParamError(`${where()}: '${String(v)}' is not an IPv4 address`);
    }
  }
  checkIpv6(v, where) {
    if (typeof v !== "string" || !parseIpv6Text(v, this.ip, 0)) {
      throw new ParamError(`${where()}: '${String(v)}' is not an IPv6 address`);
    }
  }
  putString(buf, o, len, s) {
    if (len > 0) textEncoder.encodeInto(s, buf.subarray(o, o + len));
    buf[o + len] = 0;
  }
  putIpv4(buf, o, s, where) {
    if (!parseIpv4Text(s, buf, o)) throw new ParamError(`${where()}: '${s}' is not an IPv4 address`);
  }
  putIpv6(buf, o, s, where) {
    if (!parseIpv6Text(s, this.ip, 0)) throw new ParamError(`${where()}: '${s}' is not an IPv6 address`);
    buf.set(this.ip, o);
  }
  /** `ev` encoded alone: the event bytes (header included), without a frame. */
  encodeToBytes(ev) {
    const b = new ScratchBuilder();
    const at = this.encode(b, ev);
    return b.buffer.slice(at, b.used);
  }
};
var ScratchBuilder = class {
  buffer = new Uint8Array(0);
  view = new DataView(this.buffer.buffer);
  used = 0;
  reserve(eventLen) {
    this.buffer = new Uint8Array(4 + eventLen);
    this.view = new DataView(this.buffer.buffer);
    this.used = 4 + eventLen;
    return 4;
  }
};
var shared = new EventEncoder();

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/scapkit/recover.ts
var RESYNC_PEEK = RECORD_HEADER_SIZE + 16;
var RESYNC_WORK_BASE = 64 << 20;

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/node/lz4-native.ts
import { createRequire } from "node:module";
var loaded;
function load() {
  if (loaded === void 0) {
    try {
      loaded = createRequire(import.meta.url)("lz4-napi");
    } catch {
      loaded = null;
    }
  }
  return loaded;
}
var asBuffer = (u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
function nativeLz4Codec() {
  const lz4 = load();
  if (!lz4) return void 0;
  return {
    id: CodecId.LZ4,
    name: "lz4-native",
    maxRawLength: lz4MaxRawLength,
    compress(raw) {
      return lz4.compressSync(asBuffer(raw)).subarray(4);
    },
    decompress(src, rawLength) {
      const prefixed = Buffer.allocUnsafe(src.length + 4);
      prefixed.writeUInt32LE(rawLength, 0);
      prefixed.set(src, 4);
      let out;
      try {
        out = lz4.uncompressSync(prefixed);
      } catch (e) {
        throw new ScapFormatError(`corrupt LZ4 block: ${e.message}`, 0);
      }
      if (out.length !== rawLength) {
        throw new ScapFormatError(
          `corrupt LZ4 block: decodes to ${out.length} bytes, expected ${rawLength}`,
          0
        );
      }
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    }
  };
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/node/zstd-native.ts
import { createRequire as createRequire2 } from "node:module";
var loaded2;
var loadError;
function load2() {
  if (loaded2 === void 0) {
    try {
      loaded2 = createRequire2(import.meta.url)("zstd-napi/binding");
    } catch (e) {
      loaded2 = null;
      loadError = e;
    }
  }
  return loaded2;
}
var DEFAULT_ZSTD_LEVEL = 3;
function nativeZstdCodec(options = {}) {
  const z = load2();
  if (!z) return void 0;
  const level = options.level ?? DEFAULT_ZSTD_LEVEL;
  let cctx;
  let dctx;
  let scratch = new Uint8Array(0);
  return {
    id: CodecId.ZSTD,
    name: "zstd-native",
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
      return scratch.slice(0, n);
    },
    decompress(src, rawLength) {
      checkZstdFrame(src, rawLength);
      dctx ??= new z.DCtx();
      const dst = new Uint8Array(rawLength);
      let n;
      try {
        n = dctx.decompress(dst, src);
      } catch (e) {
        throw new ScapFormatError(`corrupt zstd frame: ${e.message}`, 0);
      }
      if (n !== rawLength) {
        throw new ScapFormatError(`corrupt zstd frame: decodes to ${n} bytes, expected ${rawLength}`, 0);
      }
      return dst;
    }
  };
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/node/indexed-reader.ts
import { open } from "node:fs/promises";

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/node/open-file.ts
function installedNativeCodecs() {
  return [nativeZstdCodec(), nativeLz4Codec()].filter((c) => c !== void 0);
}

// ../../../tmp/tmp.54BFiPofD9/packages/scap-format/src/node/indexed-reader.ts
var IndexedScapkitReader = class _IndexedScapkitReader {
  constructor(fh, path, size, header, chunks, metadataOffsets, stats, limits, codecs, verifyCrc) {
    this.fh = fh;
    this.path = path;
    this.size = size;
    this.header = header;
    this.chunks = chunks;
    this.metadataOffsets = metadataOffsets;
    this.stats = stats;
    this.limits = limits;
    this.codecs = codecs;
    this.verifyCrc = verifyCrc;
  }
  fh;
  path;
  size;
  header;
  chunks;
  metadataOffsets;
  stats;
  limits;
  codecs;
  verifyCrc;
  /** Opens a closed scapkit file; an unclosed one (no trailer) is a ScapFormatError: read it as a stream. */
  static async open(path, opts = {}) {
    const fh = await open(path, "r");
    try {
      const limits = { ...DEFAULT_LIMITS, ...opts.limits };
      const verifyCrc = opts.verifyCrc ?? true;
      const codecs = codecTable([...installedNativeCodecs(), ...opts.codecs ?? []]);
      const size = (await fh.stat()).size;
      const preamble = parsePreamble(await readAt(fh, 0, PREAMBLE_SIZE, size));
      const headerRec = await readRecord(fh, PREAMBLE_SIZE, RecordType.HEADER, "header", limits, size);
      const header = {
        ...parseHeaderBody(headerRec, PREAMBLE_SIZE, verifyCrc),
        format: "scapkit",
        version: `${preamble.major}.${preamble.minor}`
      };
      if (size < PREAMBLE_SIZE + TRAILER_SIZE) {
        throw new ScapFormatError(
          "no trailer: the file was not closed (read it as a stream, or recover it)",
          size
        );
      }
      const trailerAt = size - TRAILER_SIZE;
      const { footerOffset, footerLength } = parseTrailer(
        await readAt(fh, trailerAt, TRAILER_SIZE, size),
        trailerAt
      );
      if (footerOffset < PREAMBLE_SIZE || footerOffset + footerLength !== trailerAt) {
        throw new ScapFormatError(
          `trailer points at a footer of ${footerLength} bytes at ${footerOffset}, which does not end at the trailer (${trailerAt})`,
          trailerAt
        );
      }
      const footerBody = await readRecord(fh, footerOffset, RecordType.FOOTER, "footer", limits, trailerAt);
      const footer = parseFooterBody(footerBody, footerOffset, verifyCrc);
      const maxChunk = RECORD_HEADER_SIZE + maxBodyLength(RecordType.CHUNK, limits);
      const minChunk = RECORD_HEADER_SIZE + CHUNK_HEADER_SIZE;
      for (const c of footer.chunks) {
        if (c.recordLength < minChunk) {
          throw new ScapFormatError(
            `footer index: chunk at ${c.offset} is ${c.recordLength} bytes, shorter than the ${minChunk} of a chunk record`,
            footerOffset
          );
        }
        if (c.offset < PREAMBLE_SIZE || c.recordLength > maxChunk || c.offset + c.recordLength > footerOffset) {
          throw new ScapFormatError(
            `footer index: chunk at ${c.offset} (${c.recordLength} bytes) lies outside the file`,
            footerOffset
          );
        }
      }
      for (const o of footer.metadataOffsets) {
        if (o < PREAMBLE_SIZE || o >= footerOffset) {
          throw new ScapFormatError(`footer index: metadata at ${o} lies outside the file`, footerOffset);
        }
      }
      return new _IndexedScapkitReader(
        fh,
        path,
        size,
        header,
        footer.chunks,
        footer.metadataOffsets,
        footer.stats,
        limits,
        codecs,
        verifyCrc
      );
    } catch (e) {
      await fh.close();
      throw e;
    }
  }
  /** The chunks whose time range meets [fromNs, toNs]. */
  chunksInRange(fromNs, toNs) {
    return this.chunks.filter((c) => c.lastTs >= fromNs && c.firstTs <= toNs);
  }
  /**
   * The header, the metadata in force at the first matching chunk (and any metadata record between the
   * matching chunks), the events with fromNs ≤ ts ≤ toNs, then the stats.
   */
  readRange(fromNs, toNs) {
    return { [Symbol.asyncIterator]: () => this.range(fromNs, toNs) };
  }
  /** Every record of the file, through the index. */
  readAll() {
    return this.readRange(0n, 0xffffffffffffffffn);
  }
  async close() {
    await this.fh.close();
  }
  async *range(fromNs, toNs) {
    yield { kind: "header", header: this.header };
    const chosen = this.chunksInRange(fromNs, toNs);
    if (chosen.length > 0) {
      const first = chosen[0].offset;
      const before = this.metadataOffsets.filter((o) => o < first);
      const metas = [...before.slice(-1), ...this.metadataOffsets.filter((o) => o > first)];
      let m = 0;
      for (const c of chosen) {
        while (m < metas.length && metas[m] < c.offset)
          yield { kind: "metadata", metadata: await this.metadataAt(metas[m++]) };
        const batch = await this.chunkAt(c);
        const inside = c.firstTs >= fromNs && c.lastTs <= toNs;
        const kept = inside ? batch : selectTimeRange(batch, fromNs, toNs);
        if (kept.count > 0) yield { kind: "events", batch: kept };
      }
    }
    yield { kind: "stats", stats: this.stats };
  }
  async metadataAt(offset) {
    const body = await readRecord(this.fh, offset, RecordType.METADATA, "metadata", this.limits, this.size);
    return parseMetadataBody(body, offset, this.codecs, this.limits, this.verifyCrc);
  }
  async chunkAt(c) {
    const rec = await readAt(this.fh, c.offset, c.recordLength, this.size);
    const dv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
    if (rec[0] !== RecordType.CHUNK || dv.getUint32(1, true) !== c.recordLength - RECORD_HEADER_SIZE) {
      throw new ScapFormatError(
        "footer index points at something that is not the chunk it describes",
        c.offset
      );
    }
    const body = rec.subarray(RECORD_HEADER_SIZE);
    const h = parseChunkHeader(body, c.offset, this.limits);
    if (h.eventCount !== c.eventCount || h.firstTs !== c.firstTs || h.lastTs !== c.lastTs) {
      throw new ScapFormatError("chunk header disagrees with its footer index entry", c.offset);
    }
    return decodeChunk(body, h, c.offset, this.codecs, this.verifyCrc);
  }
};
function selectTimeRange(batch, fromNs, toNs) {
  const dv = new DataView(batch.data.buffer, batch.data.byteOffset, batch.data.byteLength);
  const offsets = new Uint32Array(batch.count);
  let n = 0;
  for (let i = 0; i < batch.count; i++) {
    const off = batch.offsets[i];
    const ts = dv.getBigUint64(off, true);
    if (ts >= fromNs && ts <= toNs) offsets[n++] = off;
  }
  return { data: batch.data, offsets, count: n };
}
async function readAt(fh, offset, length, size) {
  if (offset + length > size) {
    throw new ScapTruncatedError(
      `the file ends at ${size}, inside a ${length}-byte record`,
      offset,
      size - offset
    );
  }
  const buf = new Uint8Array(length);
  let p = 0;
  while (p < length) {
    const { bytesRead } = await fh.read(buf, p, length - p, offset + p);
    if (bytesRead === 0) throw new ScapTruncatedError("the file shrank while being read", offset + p, p);
    p += bytesRead;
  }
  return buf;
}
async function readRecord(fh, offset, type, what, limits, end) {
  const head = await readAt(fh, offset, RECORD_HEADER_SIZE, end);
  if (head[0] !== type) {
    throw new ScapFormatError(
      `expected a ${what} record (type 0x${type.toString(16)}), found type 0x${head[0].toString(16)}`,
      offset
    );
  }
  const len = new DataView(head.buffer).getUint32(1, true);
  const max = maxBodyLength(type, limits);
  if (len > max) throw new ScapFormatError(`${what} record declares ${len} bytes, limit ${max}`, offset + 1);
  return readAt(fh, offset + RECORD_HEADER_SIZE, len, end);
}
export {
  IndexedScapkitReader,
  readScapkit
};
