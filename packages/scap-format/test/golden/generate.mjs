// Writes the golden scapkit files of this directory: `<case>.scapkit` and `<case>.json` (what the file
// holds, or the error a reader must raise). Run once (`node test/golden/generate.mjs && pnpm exec biome
// format --write test/golden`) and commit the output; tests read the committed bytes, so a change of the
// format shows up as a failing test.
//
// This script is a second, independent implementation of docs/FORMAT.md: it imports nothing from src/
// (its own CRC32C, its own record layout), only msgpack and lz4-napi, so the reader is checked against a
// writer that shares no code with it.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Encoder } from '@msgpack/msgpack';

const lz4 = createRequire(import.meta.url)('lz4-napi');
const dir = fileURLToPath(new URL('.', import.meta.url));
const msgpack = new Encoder({ useBigInt64: true, ignoreUndefined: true });

// ---- primitives ----------------------------------------------------------------------------------------

function crc32c(bytes, crc = 0) {
  let c = ~crc >>> 0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

function le(size, fill) {
  const b = new Uint8Array(size);
  fill(new DataView(b.buffer));
  return b;
}

const hex = (b) => Buffer.from(b).toString('hex');
const lz4Block = (raw) => new Uint8Array(lz4.compressSync(Buffer.from(raw)).subarray(4));

// ---- events (scap layout: ts u64 | tid i64 | len u32 | type u16 | nparams u32 | u16 lens | params) -----

const i64 = (v) => le(8, (d) => d.setBigInt64(0, BigInt(v), true));
const u32 = (v) => le(4, (d) => d.setUint32(0, v, true));
const u64 = (v) => le(8, (d) => d.setBigUint64(0, BigInt(v), true));
const str = (s) => concat(new TextEncoder().encode(s), new Uint8Array([0]));

function event({ ts, tid, type, params }) {
  const len = 26 + params.length * 2 + params.reduce((n, p) => n + p.length, 0);
  const head = le(26 + params.length * 2, (d) => {
    d.setBigUint64(0, BigInt(ts), true);
    d.setBigInt64(8, BigInt(tid), true);
    d.setUint32(16, len, true);
    d.setUint16(20, type, true);
    d.setUint32(22, params.length, true);
    for (const [i, p] of params.entries()) d.setUint16(26 + i * 2, p.length, true);
  });
  return concat(head, ...params);
}

// Event ids of the libs event table: 3 open exit, 5 close exit, 7 read exit, 9 write exit, 1 generic exit.
function makeEvents(n, t0) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const ts = t0 + BigInt(i) * 1000n + BigInt((i * 7919) % 13);
    const tid = 4000 + (i % 3);
    const cpu = i % 2;
    const flags = i === 5 ? 1 : 0;
    let ev;
    switch (i % 5) {
      case 0:
        ev = {
          type: 3,
          params: [
            i64(3 + i),
            str(`/etc/file-${i}.conf`),
            u32(0x201),
            u32(0o644),
            u32(0x803),
            u64(131000 + i),
          ],
        };
        break;
      case 1: {
        const data = new Uint8Array(16 + (i % 7)).map((_, k) => (i * 31 + k) & 0xff);
        ev = { type: 7, params: [i64(data.length), data, i64(3), u32(4096)] };
        break;
      }
      case 2: {
        const data = new TextEncoder().encode(`GET /index-${i} HTTP/1.1\r\n`);
        ev = { type: 9, params: [i64(data.length), data, i64(4), u32(data.length)] };
        break;
      }
      case 3:
        ev = { type: 5, params: [i64(0), i64(3 + i)] };
        break;
      default:
        ev = {
          type: 1,
          params: [le(2, (d) => d.setUint16(0, 39, true)), le(2, (d) => d.setUint16(0, 39, true))],
        };
    }
    out.push({ ts, tid, cpu, flags, type: ev.type, params: ev.params });
  }
  return out;
}

const framed = (evs) =>
  concat(
    ...evs.map((e) =>
      concat(
        le(4, (d) => {
          d.setUint16(0, e.cpu, true);
          d.setUint16(2, e.flags, true);
        }),
        event(e),
      ),
    ),
  );

// ---- records ---------------------------------------------------------------------------------------------

const MAGIC = new Uint8Array([0x89, 0x53, 0x43, 0x41, 0x50, 0x4b, 0x0d, 0x0a]);
const preamble = (major, minor) =>
  concat(
    MAGIC,
    le(8, (d) => {
      d.setUint16(0, major, true);
      d.setUint16(2, minor, true);
    }),
  );
const record = (type, body) =>
  concat(
    le(5, (d) => {
      d.setUint8(0, type);
      d.setUint32(1, body.length, true);
    }),
    body,
  );

function headerRecord(fields) {
  const p = msgpack.encode(fields);
  return record(0x01, concat(u32(crc32c(p)), p));
}

function metadataRecord(meta, useLz4) {
  const raw = msgpack.encode(meta);
  let stored = useLz4 ? lz4Block(raw) : raw;
  let codec = useLz4 ? 1 : 0;
  if (stored.length >= raw.length) [stored, codec] = [raw, 0];
  const h = le(12, (d) => {
    d.setUint8(0, codec);
    d.setUint32(4, raw.length, true);
    d.setUint32(8, crc32c(stored), true);
  });
  return record(0x02, concat(h, stored));
}

function chunkRecord(evs, useLz4) {
  const raw = framed(evs);
  let stored = useLz4 ? lz4Block(raw) : raw;
  let codec = useLz4 ? 1 : 0;
  if (stored.length >= raw.length) [stored, codec] = [raw, 0];
  const tss = evs.map((e) => e.ts);
  let first = tss[0];
  let last = tss[0];
  for (const t of tss) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const h = le(36, (d) => {
    d.setUint8(0, codec);
    d.setUint32(4, evs.length, true);
    d.setUint32(8, raw.length, true);
    d.setUint32(12, stored.length, true);
    d.setBigUint64(16, first, true);
    d.setBigUint64(24, last, true);
  });
  new DataView(h.buffer).setUint32(32, crc32c(stored, crc32c(h.subarray(0, 32))), true);
  return { bytes: record(0x03, concat(h, stored)), first, last, count: evs.length };
}

// A checkpoint (v1.1): the tables a replay of the events before it builds, and where that replay stands.
function checkpointRecord(meta, pos, useLz4) {
  const raw = msgpack.encode(meta);
  let stored = useLz4 ? lz4Block(raw) : raw;
  let codec = useLz4 ? 1 : 0;
  if (stored.length >= raw.length) [stored, codec] = [raw, 0];
  const h = le(36, (d) => {
    d.setUint8(0, codec);
    d.setUint32(4, raw.length, true);
    d.setBigUint64(8, BigInt(pos.eventsBefore), true);
    d.setBigUint64(16, pos.ts, true);
    d.setBigUint64(24, pos.firstTs, true);
  });
  new DataView(h.buffer).setUint32(32, crc32c(stored, crc32c(h.subarray(0, 32))), true);
  return record(0x06, concat(h, stored));
}

function footerAndTrailer(offset, chunks, metaOffsets, stats, checkpoints = []) {
  // v1.1 lists the checkpoints under one more key of the footer's final map.
  const s = msgpack.encode(
    checkpoints.length
      ? {
          ...stats,
          checkpoints: checkpoints.map((c) => ({
            offset: c.offset,
            length: c.length,
            eventsBefore: c.eventsBefore,
            ts: c.ts,
          })),
        }
      : stats,
  );
  const body = new Uint8Array(16 + chunks.length * 32 + metaOffsets.length * 8 + s.length);
  const d = new DataView(body.buffer);
  d.setUint16(4, 32, true);
  d.setUint32(8, chunks.length, true);
  d.setUint32(12, metaOffsets.length, true);
  let p = 16;
  for (const c of chunks) {
    d.setBigUint64(p, BigInt(c.offset), true);
    d.setBigUint64(p + 8, c.first, true);
    d.setBigUint64(p + 16, c.last, true);
    d.setUint32(p + 24, c.count, true);
    d.setUint32(p + 28, c.bytes.length, true);
    p += 32;
  }
  for (const o of metaOffsets) {
    d.setBigUint64(p, BigInt(o), true);
    p += 8;
  }
  body.set(s, p);
  d.setUint32(0, crc32c(body.subarray(4)), true);
  const footer = record(0x04, body);
  const trailer = record(0x05, concat(u64(offset), u32(footer.length), MAGIC));
  return concat(footer, trailer);
}

// ---- the capture described by the goldens ---------------------------------------------------------------

const T0 = 1732406400000000000n; // 2024-11-24T00:00:00Z in ns
const header = {
  machine: {
    hostname: 'golden',
    kernel: '6.1.0-golden',
    arch: 'x86_64',
    numCpus: 2,
    memoryBytes: 8589934592,
    bootTs: T0 - 3600_000_000_000n,
  },
  recorderVersion: 'golden-generator 1',
  eventTableVersion: 'libs HEAD',
  snaplen: 80,
  filter: 'evt.type in (open, read, write, close)',
  startTs: T0,
};
const thread = (tid, comm) => ({
  tid, pid: 4000, ptid: 1, sid: 4000, vpgid: 4000, pgid: 4000, comm, exe: comm, exepath: `/usr/bin/${comm}`,
  args: ['-x', 'golden'], cwd: '/', fdlimit: 1024, flags: 0, uid: 1000, gid: 1000, vmsizeKb: 1000, vmrssKb: 100,
  vmswapKb: 0, pfMajor: 0, pfMinor: 1, env: ['HOME=/home/u'], vtid: tid, vpid: 4000, cgroups: ['cpu=/'], root: '/',
  loginuid: 1000, tty: 0, pidnsInitStartTs: 0, capInheritable: 0, capPermitted: 0, capEffective: 0,
  exeWritable: false, exeUpperLayer: false, exeLowerLayer: false, exeFromMemfd: false, exeIno: 42,
  exeInoCtime: T0 - 1n, exeInoMtime: T0 - 2n,
}); // biome-ignore format: a table
const metadata = {
  machine: header.machine,
  threads: [thread(4000, 'golden'), thread(4001, 'golden-w1'), thread(4002, 'golden-w2')],
  fds: [
    [4000, [{ fd: 0, ino: 1, type: 1, name: '/dev/null' }, { fd: 3, ino: 77, type: 3, name: '10.0.0.1:40000->10.0.0.2:80', sip: '10.0.0.1', dip: '10.0.0.2', sport: 40000, dport: 80, l4proto: 2 }]],
    [4001, [{ fd: 1, ino: 2, type: 1, name: '/tmp/out' }]],
  ],
  users: [{ uid: 1000, gid: 1000, name: 'u', homedir: '/home/u', shell: '/bin/sh' }],
  groups: [{ gid: 1000, name: 'u' }],
  interfaces: [{ name: 'lo', family: 'ipv4', addr: '127.0.0.1', netmask: '255.0.0.0', bcast: '127.255.255.255' }],
  containers: [],
}; // biome-ignore format: a table
const events = makeEvents(40, T0);
const split = [0, 17, 40]; // two chunks of 17 and 23 events
const stats = {
  eventsSeen: 45,
  eventsWritten: 40,
  drops: { ringbuf_full: 3, filtered: 2 },
  dropsByCpu: [5, 0],
};

// The tables at the checkpoint: a fourth thread has appeared and golden-w1 has closed /tmp/out.
const checkpointMetadata = {
  ...metadata,
  threads: [...metadata.threads, thread(4003, 'golden-w3')],
  fds: [metadata.fds[0], [4001, []], [4003, [{ fd: 5, ino: 9, type: 1, name: '/var/log/golden' }]]],
}; // biome-ignore format: a table

const jsonSafe = (v) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)));
const describeEvents = (evs) =>
  evs.map((e) => ({
    ts: e.ts.toString(),
    tid: e.tid,
    cpu: e.cpu,
    flags: e.flags,
    type: e.type,
    params: e.params.map(hex),
  }));

function build({
  useLz4,
  minor = 1,
  major = 1,
  unknownRecord = false,
  close = true,
  checkpoint = false,
}) {
  const parts = [
    preamble(major, minor),
    headerRecord(unknownRecord ? { ...header, futureField: { x: 1 } } : header),
  ];
  let offset = parts.reduce((n, p) => n + p.length, 0);
  const metaOffsets = [offset];
  parts.push(metadataRecord(metadata, useLz4));
  offset += parts.at(-1).length;
  const chunks = [];
  const checkpoints = [];
  for (let k = 0; k + 1 < split.length; k++) {
    if (checkpoint && k === 1) {
      const before = events.slice(0, split[1]);
      const pos = {
        eventsBefore: before.length,
        ts: before.reduce((m, e) => (e.ts > m ? e.ts : m), 0n),
        firstTs: before[0].ts,
      };
      const cp = checkpointRecord(checkpointMetadata, pos, useLz4);
      checkpoints.push({ ...pos, offset, length: cp.length });
      parts.push(cp);
      offset += cp.length;
    }
    if (unknownRecord && k === 1) {
      const unknown = record(0x40, new TextEncoder().encode('a record from a later minor version'));
      parts.push(unknown);
      offset += unknown.length;
    }
    const c = chunkRecord(events.slice(split[k], split[k + 1]), useLz4);
    chunks.push({ ...c, offset });
    parts.push(c.bytes);
    offset += c.bytes.length;
  }
  if (close) parts.push(footerAndTrailer(offset, chunks, metaOffsets, stats, checkpoints));
  return { bytes: concat(...parts), chunks, metaOffsets, checkpoints, version: `${major}.${minor}` };
}

function write(name, description, bytes, expect) {
  writeFileSync(`${dir}${name}.scapkit`, bytes);
  writeFileSync(
    `${dir}${name}.json`,
    `${JSON.stringify({ description, size: bytes.length, ...expect }, null, 1)}\n`,
  );
}

const full = (b, extra = {}) => ({
  version: extra.version ?? b.version,
  header: jsonSafe(extra.header ?? header),
  metadata: [jsonSafe(metadata)],
  events: describeEvents(events),
  chunks: b.chunks.map((c) => ({
    offset: c.offset,
    length: c.bytes.length,
    events: c.count,
    firstTs: c.first.toString(),
    lastTs: c.last.toString(),
  })),
  metadataOffsets: b.metaOffsets,
  checkpoints: b.checkpoints.map((c) => ({
    offset: c.offset,
    length: c.length,
    eventsBefore: c.eventsBefore,
    ts: c.ts.toString(),
    firstTs: c.firstTs.toString(),
    metadata: jsonSafe(checkpointMetadata),
  })),
  stats: jsonSafe(stats),
  error: null,
});

const none = build({ useLz4: false });
write(
  'basic-none',
  'header, one metadata record and two chunks stored uncompressed (codec 0), footer and trailer',
  none.bytes,
  full(none),
);
const lz = build({ useLz4: true });
write(
  'basic-lz4',
  'the same capture with LZ4-block chunks and metadata (codec 1), as lz4-napi writes them',
  lz.bytes,
  full(lz),
);
const v10 = build({ useLz4: true, minor: 0 });
write(
  'v1-0',
  'basic-lz4 as a v1.0 writer wrote it (minor version 0, before checkpoints): read as before',
  v10.bytes,
  full(v10),
);
const cp = build({ useLz4: true, checkpoint: true });
write(
  'checkpoint',
  'format 1.1: basic-lz4 with a checkpoint record between its chunks (the tables after the first 17 events) and the checkpoint index in the footer; a v1.0 reader skips both',
  cp.bytes,
  full(cp),
);
// One flipped byte in the checkpoint's stored tables: the events all read; the checkpoint says it is damaged.
const cpBad = cp.bytes.slice();
cpBad[cp.checkpoints[0].offset + 5 + 36 + 10] ^= 0x40;
write(
  'checkpoint-damaged',
  'checkpoint with one bit flipped in its stored tables: every event reads; the checkpoint fails its CRC',
  cpBad,
  {
    ...full(cp),
    checkpoints: full(cp).checkpoints.map(({ metadata: _m, ...c }) => ({ ...c, damage: 'CRC32C' })),
  },
);
const future = build({ useLz4: true, minor: 7, unknownRecord: true });
write(
  'future-minor',
  'format 1.7: an extra header field and an unknown record type 0x40 between the chunks; a v1.0 reader skips both',
  future.bytes,
  full(future, { version: '1.7', header: { ...header, futureField: { x: 1 } } }),
);

// A file cut inside its second chunk: the reader yields the first chunk, then ScapTruncatedError where the
// second chunk starts.
const cutAt = lz.chunks[1].offset + 20;
write(
  'cut-in-chunk',
  'basic-lz4 cut 20 bytes into its second chunk (a crash): 17 events, then truncation',
  lz.bytes.subarray(0, cutAt),
  {
    ...full(lz),
    events: describeEvents(events.slice(0, 17)),
    stats: null,
    error: { name: 'ScapTruncatedError', offset: lz.chunks[1].offset },
  },
);

// One flipped byte in the second chunk's stored body: a CRC mismatch after the first chunk's events.
const flipped = lz.bytes.slice();
flipped[lz.chunks[1].offset + 5 + 36 + 10] ^= 0x40;
write(
  'bad-crc',
  'basic-lz4 with one bit flipped in the second chunk body: 17 events, then a CRC error',
  flipped,
  {
    ...full(lz),
    events: describeEvents(events.slice(0, 17)),
    stats: null,
    error: { name: 'ScapFormatError', offset: lz.chunks[1].offset + 5 + 32, match: 'CRC32C' },
  },
);

const major2 = build({ useLz4: false, major: 2 });
write('major-2', 'format 2.0: a v1 reader refuses it before reading any record', major2.bytes, {
  ...full(none),
  header: null,
  metadata: [],
  events: [],
  stats: null,
  error: { name: 'ScapFormatError', offset: 8, match: 'major version 2' },
});
console.log('golden files written to', dir);
