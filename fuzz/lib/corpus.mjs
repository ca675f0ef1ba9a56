// @ts-check
// The seed corpus: the 17 real captures (decompressed and gzip; large ones as a head of their first
// blocks, so one input reads in milliseconds), scapkit traces converted from them with ScapkitWriter
// (small chunks, LZ4, zstd and uncompressed), the hand-made scapkit goldens, and synthetic bombs. Deterministic:
// the same corpus on every machine, so an input index names one input.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { concat } from './mutate.mjs';
import { walkSysdig } from './walk.mjs';

/**
 * @typedef {{ name: string, bytes: Uint8Array, big?: boolean }} Seed
 *   big: slow to read (whole captures, bombs): picked for a small share of the cases only
 * @typedef {{ sysdig: Seed[], sysdigGz: Seed[], scapkit: Seed[] }} Corpus
 * @typedef {{
 *   readSysdigCapture: (input: AsyncIterable<Uint8Array>) => AsyncIterable<any>,
 *   ScapkitWriter: new (sink: any, header: any, opts?: any) => any,
 *   MemorySink: new () => { bytes(): Uint8Array },
 *   createLz4Codec: () => any,
 *   noneCodec: any,
 *   zstdCodec?: any,
 * }} CorpusDeps
 */

import { CAPTURES_DIR } from '../../test/support/captures.mjs';

export { CAPTURES_DIR };
export const GOLDEN_DIR = new URL('../../packages/scap-format/test/golden/', import.meta.url).pathname;

/** The captures by name, decompressed. @param {string} [dir] @returns {{ name: string, raw: Uint8Array, plain: Uint8Array }[]} */
export function loadCaptures(dir = CAPTURES_DIR) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.scap'))
    .sort()
    .map((f) => {
      const raw = new Uint8Array(readFileSync(join(dir, f)));
      const plain = raw[0] === 0x1f && raw[1] === 0x8b ? new Uint8Array(gunzipSync(raw)) : raw;
      return { name: f.replace(/\.scap$/, ''), raw, plain };
    });
}

/**
 * The first blocks of a capture: everything up to its `events`-th event block. Metadata blocks stay
 * whole; it is a complete, valid capture, only shorter.
 * @param {Uint8Array} plain @param {number} events
 */
export function sysdigHead(plain, events) {
  let seen = 0;
  let end = 0;
  for (const blk of walkSysdig(plain)) {
    end = blk.end;
    if (blk.isEvent && ++seen >= events) break;
  }
  return plain.slice(0, end);
}

/**
 * A slim capture for fast cases: the section header, the machine info, a process list cut to its first
 * `threads` entries (V9 lists carry per-entry lengths, so the cut is exact; older lists stay whole), the
 * first `fdLists` fd lists, the interface and user lists, then the first `events` event blocks.
 * @param {Uint8Array} plain @param {{ threads: number, fdLists: number, events: number }} o
 */
export function sysdigSlim(plain, o) {
  const parts = [];
  let fdl = 0;
  let ev = 0;
  for (const blk of walkSysdig(plain)) {
    if (blk.isEvent) {
      if (ev++ >= o.events) break;
      parts.push(plain.subarray(blk.start, blk.end));
    } else if (blk.type === 0x215) {
      // PL_V9: u32 entry length (counting itself) per thread
      const dv = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
      let p = blk.start + 8;
      for (let k = 0; k < o.threads && p + 4 <= blk.end - 4; k++) p += Math.max(4, dv.getUint32(p, true));
      p = Math.min(p, blk.end - 4);
      const out = concat(plain.subarray(blk.start, p), new Uint8Array(4));
      const odv = new DataView(out.buffer);
      odv.setUint32(4, out.length, true);
      odv.setUint32(out.length - 4, out.length, true);
      parts.push(out);
    } else if (blk.type === 0x203 || blk.type === 0x218 || blk.type === 0x8001abcd) {
      if (fdl++ < o.fdLists) parts.push(plain.subarray(blk.start, blk.end));
    } else parts.push(plain.subarray(blk.start, blk.end));
  }
  return concat(...parts);
}

/** @param {AsyncIterable<any>} stream */
async function records(stream) {
  const out = [];
  try {
    for await (const r of stream) out.push(r);
  } catch {
    // a capture that ends badly still converts up to where it ends
  }
  return out;
}

/**
 * Converts a sysdig capture into a scapkit trace (metadata records and events as read, small chunks so a
 * trace has many). @param {CorpusDeps} deps @param {Uint8Array} plain
 * @param {{ chunkBytes: number, codec: 'lz4' | 'zstd' | 'none' }} o
 */
export async function toScapkit(deps, plain, o) {
  const sink = new deps.MemorySink();
  const w = new deps.ScapkitWriter(
    sink,
    { recorderVersion: 'fuzz-corpus', snaplen: 80, startTs: 1n, filter: '' },
    {
      chunkBytes: o.chunkBytes,
      codec: o.codec === 'lz4' ? deps.createLz4Codec() : o.codec === 'zstd' ? deps.zstdCodec : deps.noneCodec,
      clock: () => 0,
    },
  );
  async function* one() {
    yield plain;
  }
  // Checkpoint records too (the last tables read stand in for a replay's: the fuzzer tests the format, not
  // the state), so mutations reach their header, payload and footer index.
  let tables;
  let batches = 0;
  for (const r of await records(deps.readSysdigCapture(one()))) {
    if (r.kind === 'metadata') {
      tables = r.metadata;
      await w.writeMetadata(r.metadata);
    } else if (r.kind === 'events') {
      await w.writeBatch(r.batch);
      if (tables && w.checkpoint && ++batches % 4 === 0) await w.checkpoint(tables);
    }
  }
  await w.close();
  return sink.bytes();
}

/**
 * A gzip bomb: a section header, then a block of an unknown type that claims `claim` bytes and is all
 * zeros; `claim` bytes of zeros compress about 1000:1. @param {Uint8Array} shb @param {number} claim
 */
export function gzipBomb(shb, claim) {
  const head = new Uint8Array(8);
  const dv = new DataView(head.buffer);
  dv.setUint32(0, 0x7777, true);
  dv.setUint32(4, claim, true);
  return new Uint8Array(gzipSync(concat(shb, head, new Uint8Array(claim - 8)), { level: 9 }));
}

/** A gzip stream of one event block repeated `n` times: large but well-formed, read with bounded memory. @param {Uint8Array} head @param {Uint8Array} block @param {number} n */
export function gzipRepeated(head, block, n) {
  const body = new Uint8Array(head.length + block.length * n);
  body.set(head);
  for (let i = 0; i < n; i++) body.set(block, head.length + i * block.length);
  return new Uint8Array(gzipSync(body, { level: 6 }));
}

/**
 * Builds the corpus. `small` keeps only heads (the in-test fuzz: fast inputs).
 * @param {CorpusDeps} deps @param {{ small?: boolean }} [o] @returns {Promise<Corpus>}
 */
export async function buildCorpus(deps, o = {}) {
  const caps = loadCaptures();
  /** @type {Corpus} */
  const c = { sysdig: [], sysdigGz: [], scapkit: [] };
  let k = 0;
  for (const cap of caps) {
    const slim = sysdigSlim(cap.plain, { threads: 10, fdLists: 6, events: o.small ? 12 : 32 });
    c.sysdig.push({ name: `${cap.name}.slim`, bytes: slim });
    c.sysdigGz.push({ name: `${cap.name}.slim.gz`, bytes: new Uint8Array(gzipSync(slim, { level: 1 })) });
    // Every other capture also yields a scapkit trace, alternating codecs and chunk sizes.
    // zstd (when the native codec is installed) takes every other uncompressed one.
    const codec = k % 2 === 0 ? 'lz4' : k % 4 === 1 && deps.zstdCodec ? 'zstd' : 'none';
    c.scapkit.push({
      name: `${cap.name}.slim.${codec}.scapkit`,
      bytes: await toScapkit(deps, slim, { chunkBytes: [1024, 2048, 4096][k % 3], codec }),
    });
    if (!o.small) {
      const head = sysdigHead(cap.plain, 48);
      c.sysdig.push({ name: `${cap.name}.head`, bytes: head, big: true });
      if (cap.plain.length <= 300_000)
        c.sysdig.push({ name: `${cap.name}.full`, bytes: cap.plain, big: true });
      if (cap.raw !== cap.plain && cap.raw.length <= 64_000)
        c.sysdigGz.push({ name: `${cap.name}.scap`, bytes: cap.raw, big: true });
      if (k % 3 === 1)
        c.scapkit.push({
          name: `${cap.name}.head.lz4.scapkit`,
          bytes: await toScapkit(deps, sysdigHead(cap.plain, 400), { chunkBytes: 8192, codec: 'lz4' }),
          big: true,
        });
    }
    k++;
  }
  for (const f of readdirSync(GOLDEN_DIR)
    .filter((f) => f.endsWith('.scapkit'))
    .sort()) {
    c.scapkit.push({ name: `golden/${f}`, bytes: new Uint8Array(readFileSync(join(GOLDEN_DIR, f))) });
  }
  // Synthetic bombs: the gzip one is large to inflate, so only the full fuzz carries it.
  const first = c.sysdig[0].bytes;
  const blocks = walkSysdig(first);
  const shb = first.slice(blocks[0].start, blocks[0].end);
  const ev = blocks.find((b) => b.isEvent);
  if (!o.small) {
    c.sysdigGz.push({ name: 'bomb.unknown-block-64MiB.gz', bytes: gzipBomb(shb, 64 << 20), big: true });
    if (ev) {
      const head = first.slice(0, ev.start);
      c.sysdigGz.push({
        name: 'bomb.repeated-event.gz',
        bytes: gzipRepeated(head, first.slice(ev.start, ev.end), 200_000),
        big: true,
      });
    }
  }
  return c;
}
