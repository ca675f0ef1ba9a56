// readSysdigCapture on the 17 real captures of ../shared/captures: event counts from SOURCES.md (an
// independent block walker), table sizes from sysdig itself and from the files' own entry lengths; cut,
// corrupt and byte-at-a-time inputs; hand-made blocks for the legacy paths no public capture exercises.
import { readFileSync } from 'node:fs';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FRAME_STATE_ONLY } from '../src/batch.js';
import { ScapFormatError, ScapTruncatedError } from '../src/errors.js';
import { EventView } from '../src/event.js';
import type { CaptureMetadata } from '../src/metadata.js';
import {
  formatIpv4 as ipv4ToString,
  formatIpv6Ntop as ipv6ToString,
  parseIpv6Text,
} from '../src/params/ip.js';
import type { CaptureRecord } from '../src/source.js';
import { readSysdigCapture } from '../src/sysdig/index.js';
import { cpuMs } from './support/cpu.js';
import {
  Bytes,
  block,
  CAPTURES,
  chunks,
  collect,
  concat,
  countV2Lists,
  eventBytes,
  plain,
  raw,
  shb,
  walk,
} from './sysdig-helpers.js';

interface SourceRow {
  file: string;
  gzip: boolean;
  uncompressed: number;
  shb: string;
  events: number;
}

/** The capture table of SOURCES.md: its "events" column was counted by an independent block walker. */
function sources(): SourceRow[] {
  const rows: SourceRow[] = [];
  for (const line of readFileSync(`${CAPTURES}SOURCES.md`, 'utf8').split('\n')) {
    const c = line.split('|').map((s) => s.trim());
    if (!c[1]?.endsWith('.scap')) continue;
    const num = (s: string) => Number(s.replace(/[,*]/g, ''));
    rows.push({
      file: c[1].replace(/\.scap$/, ''),
      gzip: c[3] === 'gzip',
      uncompressed: num(c[4]!),
      shb: c[5]!,
      events: num(c[7]!),
    });
  }
  return rows;
}
const SOURCES = sources();

const metadataOf = (recs: CaptureRecord[]): CaptureMetadata[] =>
  recs.flatMap((r) => (r.kind === 'metadata' ? [r.metadata] : []));

describe('readSysdigCapture on the real captures', () => {
  it('finds all 17 captures in SOURCES.md', () => {
    expect(SOURCES.length).toBe(17);
  });

  for (const row of SOURCES) {
    it(`${row.file}: header, one section, ${row.events} events`, async () => {
      const { recs, events, err } = await collect(readSysdigCapture(chunks(raw(row.file))));
      expect(err).toBeUndefined();
      expect(recs[0]).toEqual({
        kind: 'header',
        header: { format: 'sysdig', version: row.shb, gzip: row.gzip },
      });
      expect(recs[1]!.kind).toBe('metadata');
      expect(metadataOf(recs).length).toBe(1);
      expect(events).toBe(row.events);
      // Batches are big (not one per event) and every event is a well-formed 26-byte-header event.
      const batches = recs.filter((r) => r.kind === 'events');
      expect(batches.length).toBeLessThanOrEqual(Math.ceil(row.uncompressed / (200 << 10)) + 1);
      const v = new EventView();
      for (const r of batches) {
        if (r.kind !== 'events') continue;
        for (let i = 0; i < r.batch.count; i++) {
          v.at(r.batch, i);
          expect(v.len).toBeGreaterThanOrEqual(26);
        }
      }
    });
  }

  // `sysdig -r X -c ps | tail -n +2 | wc -l` (0.29.3): these captures create no thread, so the table at
  // the end is the one in the file.
  const PS = {
    cat_write: 73,
    connect_localhost: 184,
    curl_google: 54,
    empty: 218,
    sample: 94,
    syscall: 229,
    test_ipv6_client: 58,
  };
  // `sysdig -r X -c lsof | tail -n +2 | wc -l`: lsof lists, for every thread, its process's fds.
  const LSOF = { cat_write: 664, sample: 1280, empty: 4588, curl_google: 530 };

  it('thread tables match `sysdig -c ps`', async () => {
    for (const [f, n] of Object.entries(PS)) {
      const [m] = metadataOf((await collect(readSysdigCapture(chunks(raw(f))))).recs);
      expect(m!.threads.length, f).toBe(n);
    }
  });

  it('fd tables match `sysdig -c lsof`', async () => {
    for (const [f, n] of Object.entries(LSOF)) {
      const [m] = metadataOf((await collect(readSysdigCapture(chunks(raw(f))))).recs);
      let count = 0;
      for (const t of m!.threads) count += (m!.fds.get(t.pid) ?? m!.fds.get(t.tid) ?? []).length;
      expect(count, f).toBe(n);
    }
  });

  it('V2 table sizes match the entry lengths in the files', async () => {
    for (const row of SOURCES.filter((r) => r.shb === '1.2')) {
      const want = countV2Lists(plain(row.file));
      const [m] = metadataOf((await collect(readSysdigCapture(chunks(raw(row.file))))).recs);
      const fds = [...m!.fds.values()].reduce((a, l) => a + l.length, 0);
      expect(
        {
          threads: m!.threads.length,
          fds,
          users: m!.users.length,
          groups: m!.groups.length,
          interfaces: m!.interfaces.length,
        },
        row.file,
      ).toEqual(want);
      expect(want.threads).toBeGreaterThan(0);
    }
  });

  it('decodes thread, fd, user, interface and machine fields (cat_write, sample)', async () => {
    const [cw] = metadataOf((await collect(readSysdigCapture(chunks(raw('cat_write'))))).recs);
    // From `sysdig -r cat_write.scap -c ps`: "1 1 root 36.61M 5.41M 65536 systemd".
    const init = cw!.threads.find((t) => t.tid === 1)!;
    expect(init).toMatchObject({ pid: 1, comm: 'systemd', uid: 0, fdlimit: 65536 });
    expect((init.vmsizeKb / 1024).toFixed(2)).toBe('36.61');
    // From `sysdig -r cat_write.scap -c lsof`: "systemd 1 1 root 0 file /dev/null".
    expect(cw!.fds.get(1)!.find((f) => f.fd === 0)).toMatchObject({ type: 1, name: '/dev/null' });
    expect(cw!.machine!.hostname).toBe('ubuntu');
    expect(cw!.interfaces.find((i) => i.name === 'lo' && i.family === 'ipv4')).toMatchObject({
      addr: '127.0.0.1',
      netmask: '255.0.0.0',
    });
    expect(cw!.users.find((u) => u.uid === 0)).toMatchObject({ name: 'root', homedir: '/root' });
    const [s] = metadataOf((await collect(readSysdigCapture(chunks(raw('sample'))))).recs);
    expect(s!.machine!.hostname).toBe('ubuntu2204.localdomain');
    expect(s!.machine!.bootTs).not.toBe(0n);
    // sample.scap's V9 entries carry the 0.10 fields (66 tail bytes): tty and exe_ino are read, pgid is absent.
    expect(s!.threads.some((t) => Number(t.exeIno) !== 0)).toBe(true);
    expect(s!.threads.every((t) => t.pgid === -1)).toBe(true);
    const v6 = s!.interfaces.find((i) => i.family === 'ipv6');
    expect(v6).toMatchObject({
      name: 'eth0',
      addr: 'fe80::5054:ff:fe64:e8e1',
      netmask: 'ffff:ffff:ffff:ffff::',
    });
  });

  it('curl_google_comments.scap (SHB with pcapng options) reads exactly like curl_google.scap', async () => {
    const a = await collect(readSysdigCapture(chunks(raw('curl_google'))));
    const b = await collect(readSysdigCapture(chunks(raw('curl_google_comments'))));
    expect(b.err).toBeUndefined();
    expect(metadataOf(b.recs)).toEqual(metadataOf(a.recs));
    expect(eventBytes(b.recs).equals(eventBytes(a.recs))).toBe(true);
  });

  it('keeps the recorded ids: unknown-to-sysdig-0.29 events of sample.scap are there', async () => {
    const { recs } = await collect(readSysdigCapture(chunks(raw('sample'))));
    const v = new EventView();
    const types = new Map<number, number>();
    for (const r of recs)
      if (r.kind === 'events')
        for (let i = 0; i < r.batch.count; i++)
          types.set(v.at(r.batch, i).type, (types.get(v.type) ?? 0) + 1);
    // README.md: 95 useradded/groupadded events (ids 354 and 358).
    expect((types.get(354) ?? 0) + (types.get(358) ?? 0)).toBe(95);
  });
});

describe('readSysdigCapture on cut, corrupt and odd inputs', () => {
  const cw = plain('cat_write');
  const cwBlocks = walk(cw);

  it('a cut file yields every complete event, then ScapTruncatedError with the offset', async () => {
    expect(cwBlocks.at(-1)!.end).toBe(cw.length);
    const cuts = new Set<number>();
    for (let c = 0; c <= 64; c++) cuts.add(c);
    for (const b of cwBlocks) for (const d of [-1, 0, 1, 4, 9, 30]) cuts.add(b.end + d);
    let seed = 12345;
    for (let i = 0; i < 300; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      cuts.add(seed % cw.length);
    }
    const firstEventEnd = cwBlocks.find((b) => b.isEvent)!.end;
    for (const c of [...cuts].filter((x) => x >= 0 && x < cw.length)) {
      const { events, err } = await collect(readSysdigCapture(chunks(cw.subarray(0, c))));
      const complete = cwBlocks.filter((b) => b.isEvent && b.end <= c).length;
      expect(events, `cut at ${c}`).toBe(complete);
      const atBoundary = cwBlocks.some((b) => b.end === c);
      if (atBoundary && c >= firstEventEnd) {
        expect(err, `cut at ${c}`).toBeUndefined();
      } else {
        expect(err, `cut at ${c}`).toBeInstanceOf(ScapTruncatedError);
        const inside = cwBlocks.find((b) => b.start <= c && c < b.end);
        expect((err as ScapTruncatedError).offset, `cut at ${c}`).toBe(inside && c > 0 ? inside.start : c);
      }
    }
  });

  it('feeding one byte at a time gives the same records (plain and gzip)', async () => {
    const whole = await collect(readSysdigCapture(chunks(cw)));
    const bytewise = await collect(readSysdigCapture(chunks(cw, 1)));
    expect(bytewise.err).toBeUndefined();
    expect(bytewise.recs.map((r) => r.kind)).toEqual(whole.recs.map((r) => r.kind));
    expect(eventBytes(bytewise.recs).equals(eventBytes(whole.recs))).toBe(true);
    expect(metadataOf(bytewise.recs)).toEqual(metadataOf(whole.recs));
    const gz = await collect(readSysdigCapture(chunks(raw('cat_write'), 1)));
    expect(gz.err).toBeUndefined();
    expect(eventBytes(gz.recs).equals(eventBytes(whole.recs))).toBe(true);
  });

  it('a cut gzip stream yields the complete events it holds, then ScapTruncatedError', async () => {
    const gz = raw('cat_write');
    for (const c of [100, 6000, gz.length - 10]) {
      const prefix = gunzipSync(gz.subarray(0, c), { finishFlush: constants.Z_SYNC_FLUSH });
      const complete = walk(prefix).filter((b) => b.isEvent).length;
      const { events, err } = await collect(readSysdigCapture(chunks(gz.subarray(0, c))));
      expect(err, `gzip cut at ${c}`).toBeInstanceOf(ScapTruncatedError);
      expect(events).toBe(complete);
    }
  });

  it('a corrupt gzip stream ends in ScapFormatError', async () => {
    const gz = Buffer.from(raw('cat_write'));
    gz[20]! ^= 0xff;
    const { err } = await collect(readSysdigCapture(chunks(gz)));
    expect(err).toBeInstanceOf(ScapFormatError);
    expect(err).not.toBeInstanceOf(ScapTruncatedError);
  });

  const sample = plain('sample');
  const sBlocks = walk(sample);
  const ev0 = sBlocks.find((b) => b.isEvent)!;
  // The 101st event block: corrupting it must still deliver the 100 events before it.
  const ev100 = sBlocks.filter((b) => b.isEvent)[100]!;
  const pl = sBlocks.find((b) => b.type === 0x215)!;
  const patched = (at: number, v: number, width = 4): Buffer => {
    const b = Buffer.from(sample);
    if (width === 4) b.writeUInt32LE(v >>> 0, at);
    else b.writeUInt16LE(v, at);
    return b;
  };
  const formatError = async (b: Uint8Array, eventsBefore = 0): Promise<ScapFormatError> => {
    const t = cpuMs();
    const { err, events } = await collect(readSysdigCapture(chunks(b)));
    expect(events).toBe(eventsBefore);
    // A guard against runaway work, not a speed measure: CPU time, which a loaded box does not inflate.
    expect(cpuMs() - t).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(ScapFormatError);
    expect(err).not.toBeInstanceOf(ScapTruncatedError);
    return err as ScapFormatError;
  };

  it('corrupt lengths end in ScapFormatError naming the offset, without huge allocations', async () => {
    // An event block claiming 1 MiB (libscap's limit for non-LARGE blocks is 64 KiB).
    expect((await formatError(patched(ev100.start + 4, 1 << 20), 100)).offset).toBe(ev100.start + 4);
    // A process list claiming 2 GiB.
    expect((await formatError(patched(pl.start + 4, 0x7ffffff0))).offset).toBe(pl.start + 4);
    // A process list 4 bytes longer than it is: the trailer does not match.
    expect((await formatError(patched(pl.start + 4, pl.end - pl.start + 4))).offset).toBe(pl.end);
    // An absurd parameter length (event header at +10 after block header and cpu; lengths at +26).
    expect((await formatError(patched(ev100.start + 10 + 26, 0xffff, 2), 100)).offset).toBe(
      ev100.start + 10 + 16,
    );
    // An absurd nparams.
    expect((await formatError(patched(ev100.start + 10 + 22, 0xffffffff), 100)).offset).toBe(
      ev100.start + 10 + 22,
    );
    // An event length beyond its block.
    expect((await formatError(patched(ev100.start + 10 + 16, 0xfff0), 100)).offset).toBe(
      ev100.start + 10 + 16,
    );
    // A string length inside a thread entry running past the entry.
    const commLen = pl.start + 8 + 4 + 5 * 8;
    const e = await formatError(patched(commLen, 0xfff0, 2));
    expect(e.offset).toBeGreaterThanOrEqual(pl.start);
    expect(e.offset).toBeLessThan(pl.end);
    // Not a capture at all; a big-endian one; a newer major version.
    expect((await formatError(new TextEncoder().encode('hello, world, this is not a capture'))).offset).toBe(
      0,
    );
    expect((await formatError(patched(8, 0x4d3c2b1a))).message).toMatch(/big-endian/);
    expect((await formatError(patched(12, 2, 2))).message).toMatch(/newer/);
  });

  it('honours the caps on metadata blocks and on the decompressed size', async () => {
    const a = await collect(
      readSysdigCapture(chunks(sample), { maxMetadataBlockBytes: pl.end - pl.start - 4 }),
    );
    expect(a.err).toBeInstanceOf(ScapFormatError);
    expect((a.err as ScapFormatError).offset).toBe(pl.start + 4);
    const b = await collect(readSysdigCapture(chunks(raw('cat_write')), { maxTotalBytes: 50_000 }));
    expect(b.err).toBeInstanceOf(ScapFormatError);
    expect(b.err).not.toBeInstanceOf(ScapTruncatedError);
    expect((b.err as ScapFormatError).offset).toBe(50_000);
    // every event complete within the first 50,000 bytes is still delivered
    expect(b.events).toBe(walk(cw).filter((x) => x.isEvent && x.end <= 50_000).length);
  });

  it('refuses by default a metadata block far bigger than any real one, before buffering it', async () => {
    // A gzip file of ~255 KB whose process list declares (and fills) 256 MiB: the reader used to buffer it
    // all (peaking at 630-768 MiB with its doubling buffer). The largest metadata block of the captures in
    // ../shared/captures is under 400 KB; the default cap is 32 MiB.
    const claimed = 256 << 20;
    const head = Buffer.from(sample.subarray(0, pl.start + 8)); // a copy: sample stays intact
    head.writeUInt32LE(claimed, pl.start + 4);
    const gz = gzipSync(Buffer.concat([head, Buffer.alloc(claimed - 8)]), { level: 9 });
    expect(gz.length).toBeLessThan(300_000);
    const before = process.memoryUsage().arrayBuffers;
    const r = await collect(readSysdigCapture(chunks(new Uint8Array(gz))));
    expect(r.err).toBeInstanceOf(ScapFormatError);
    expect(r.err).not.toBeInstanceOf(ScapTruncatedError);
    expect((r.err as ScapFormatError).message).toMatch(/exceeds the 33554432-byte limit/);
    expect((r.err as ScapFormatError).offset).toBe(pl.start + 4);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
    // A caller can still raise the cap: the block is then read, up to its (missing) trailer.
    const big = await collect(readSysdigCapture(chunks(sample), { maxMetadataBlockBytes: 1 << 30 }));
    expect(big.err).toBeUndefined();
  });

  it('random corruption never crashes, hangs or throws anything but a typed error', async () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    for (let i = 0; i < 150; i++) {
      const b = Buffer.from(sample);
      for (let k = 0; k < 4; k++) b[rnd(b.length)] = rnd(256);
      const { err } = await collect(readSysdigCapture(chunks(b)));
      if (err !== undefined) expect(err).toBeInstanceOf(ScapFormatError);
    }
  });

  it('several sections: a metadata record per section, tables reset, one header', async () => {
    const { recs, events, err } = await collect(readSysdigCapture(chunks(concat(cw, sample))));
    expect(err).toBeUndefined();
    expect(recs.filter((r) => r.kind === 'header').length).toBe(1);
    const metas = metadataOf(recs);
    expect(metas.length).toBe(2);
    expect(events).toBe(345 + 572);
    const [alone] = metadataOf((await collect(readSysdigCapture(chunks(sample)))).recs);
    expect(metas[1]).toEqual(alone);
    expect(recs.map((r) => r.kind).indexOf('metadata', 2)).toBeGreaterThan(
      recs.findIndex((r) => r.kind === 'events'),
    );
  });

  it('skips unknown blocks before the events; keeps events of unknown types', async () => {
    const at = sBlocks[1]!.end;
    const withUnknown = concat(
      sample.subarray(0, at),
      block(0x7777, new Uint8Array(13)),
      sample.subarray(at),
    );
    const a = await collect(readSysdigCapture(chunks(sample)));
    const b = await collect(readSysdigCapture(chunks(withUnknown)));
    expect(b.err).toBeUndefined();
    expect(eventBytes(b.recs).equals(eventBytes(a.recs))).toBe(true);
    // A V2 event whose type no table knows is kept as is.
    const c = await collect(readSysdigCapture(chunks(patched(ev0.start + 10 + 20, 0x7000, 2))));
    expect(c.events).toBe(572);
    const v = new EventView();
    const first = c.recs.find((r) => r.kind === 'events');
    expect(first?.kind === 'events' && v.at(first.batch, 0).type).toBe(0x7000);
    // An old-header event of an unknown type: nparams still inferred from its lengths.
    const cwEv = cwBlocks.filter((b) => b.isEvent)[5]!;
    const cwPatched = Buffer.from(cw);
    const typeAt = cwEv.start + 10 + 20;
    const origType = cwPatched.readUInt16LE(typeAt);
    cwPatched.writeUInt16LE(0x7000, typeAt);
    const d = await collect(readSysdigCapture(chunks(cwPatched)));
    const e = await collect(readSysdigCapture(chunks(cw)));
    expect(d.events).toBe(345);
    const bd = eventBytes(d.recs);
    const be = eventBytes(e.recs);
    const diff = [...bd.keys()].filter((i) => bd[i] !== be[i]);
    expect(diff.length).toBe(2); // only the two bytes of the type
    expect(origType).not.toBe(0x7000);
  });
});

describe('printable addresses', () => {
  it('IPv6 text matches the WHATWG URL serialiser (RFC 5952 compression) and parses back', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    };
    for (let i = 0; i < 2000; i++) {
      const b = new Uint8Array(16);
      // Mostly-zero words, so that runs of zeros (and ties between runs) are frequent.
      for (let w = 0; w < 8; w++) if (rnd() < 100) b[2 * w + (rnd() & 1)] = rnd();
      if (b.subarray(0, 10).every((x) => x === 0)) b[0] = 0x20; // keep clear of the ::a.b.c.d forms
      const text = ipv6ToString(b, 0);
      expect(text).toBe(new URL(`http://[${text}]/`).hostname.slice(1, -1));
      const back = new Uint8Array(16);
      parseIpv6Text(text, back, 0);
      expect(back).toEqual(b);
    }
    const mapped = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1]);
    expect(ipv6ToString(mapped, 0)).toBe('::ffff:10.0.0.1');
    const back = new Uint8Array(16);
    parseIpv6Text('::ffff:10.0.0.1', back, 0);
    expect(back).toEqual(mapped);
    expect(ipv4ToString(Uint8Array.from([127, 0, 0, 1]), 0)).toBe('127.0.0.1');
  });
});

describe('readSysdigCapture on hand-made legacy blocks', () => {
  // One event with the old 22-byte header: ts, tid, len, type, then u16 lengths and params.
  const v1Event = (type: number, params: Uint8Array[], extra = 0): Uint8Array => {
    const len = 22 + 2 * params.length + params.reduce((a, p) => a + p.length, 0) + extra;
    const b = new Bytes().u64(1_600_000_000_000_000_000n).u64(42).u32(len).u16(type);
    for (const p of params) b.u16(p.length);
    for (const p of params) b.raw(p);
    for (let i = 0; i < extra; i++) b.u8(0xee);
    return b.done();
  };
  const cstr = (s: string) => new TextEncoder().encode(`${s}\0`);
  const u64 = (v: number) => new Bytes().u64(v).done();

  it('reads _INT block ids, PL_V1, FDL v1, IL v1, UL v1, EV/EVF v1 and the notification -3 quirk', async () => {
    const pl = new Bytes()
      .u64(42)
      .u64(42)
      .u64(1)
      .str('cat')
      .str('/bin/cat')
      .str('cat\0x\0')
      .str('/tmp')
      .u64(1024)
      .u32(0)
      .u32(1000)
      .u32(1000);
    const fdl = new Bytes()
      .u64(42)
      .u64(3)
      .u64(77)
      .u8(3)
      .raw([10, 0, 0, 1])
      .raw([10, 0, 0, 2])
      .u16(5000)
      .u16(80)
      .u8(2)
      .u64(4)
      .u64(0)
      .u8(2)
      .str('/etc');
    const il = new Bytes()
      .u16(3)
      .u16(2)
      .raw([127, 0, 0, 1])
      .raw([255, 0, 0, 0])
      .raw([127, 255, 255, 255])
      .raw(new TextEncoder().encode('lo'));
    const ul = new Bytes()
      .u8(0)
      .u32(0)
      .u32(0)
      .str('root')
      .str('/root')
      .str('/bin/sh')
      .u8(1)
      .u32(0)
      .str('root');
    const open = v1Event(3, [
      u64(3),
      cstr('/etc/passwd'),
      new Bytes().u32(1).done(),
      new Bytes().u32(0).done(),
    ]);
    // 280 notification: old drivers wrote len 3 bytes too large.
    const notif = v1Event(280, [cstr('id1'), cstr('hello')], 3);
    const file = concat(
      shb(0),
      block(0x8000abcd, pl.done()),
      block(0x8001abcd, fdl.done()),
      block(0x8011abcd, il.done()),
      block(0x8012abcd, ul.done()),
      block(0x8010abcd, concat(new Bytes().u16(1).done(), open)),
      block(0x208, concat(new Bytes().u16(0).u32(1).done(), notif)),
    );
    const { recs, err } = await collect(readSysdigCapture(chunks(file)));
    expect(err).toBeUndefined();
    const [m] = metadataOf(recs);
    expect(m!.threads[0]).toMatchObject({
      tid: 42,
      pid: 42,
      ptid: 1,
      comm: 'cat',
      exe: '/bin/cat',
      args: ['cat', 'x'],
      cwd: '/tmp',
      uid: 1000,
      sid: -1,
      vtid: -1,
      loginuid: 0xffffffff,
    });
    expect(m!.fds.get(42)).toEqual([
      {
        fd: 3,
        ino: 77,
        type: 3,
        name: '',
        sip: '10.0.0.1',
        dip: '10.0.0.2',
        sport: 5000,
        dport: 80,
        l4proto: 2,
      },
      { fd: 4, ino: 0, type: 2, name: '/etc' },
    ]);
    expect(m!.interfaces).toEqual([
      { name: 'lo', family: 'ipv4', addr: '127.0.0.1', netmask: '255.0.0.0', bcast: '127.255.255.255' },
    ]);
    expect(m!.users).toEqual([{ uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/sh' }]);
    expect(m!.groups).toEqual([{ gid: 0, name: 'root' }]);
    const batch = recs.find((r) => r.kind === 'events');
    if (batch?.kind !== 'events') throw new Error('no events');
    expect(batch.batch.count).toBe(2);
    const v = new EventView().at(batch.batch, 0);
    expect([v.cpu, v.type, v.nparams, v.len, v.tid, v.paramString(1), v.frameFlags]).toEqual([
      1,
      3,
      4,
      open.length + 4,
      42,
      '/etc/passwd',
      0,
    ]);
    v.at(batch.batch, 1);
    expect([v.type, v.nparams, v.len, v.paramString(1), v.frameFlags]).toEqual([
      280,
      2,
      notif.length - 3 + 4,
      'hello',
      FRAME_STATE_ONLY,
    ]);
  });

  it('reads PL_V9 with and without the two fields libs 0.10 inserted, and FDL_V2 with an unknown fd type', async () => {
    const head = (b: Bytes) =>
      b
        .u64(7)
        .u64(7)
        .u64(1)
        .u64(7)
        .u64(7)
        .str('a')
        .str('a')
        .str('/a')
        .str('a\0')
        .str('/')
        .u64(1024)
        .u32(0)
        .u32(0)
        .u32(0)
        .u32(1)
        .u32(2)
        .u32(3)
        .u64(4)
        .u64(5)
        .str('')
        .u64(7)
        .u64(7)
        .str('')
        .str('/');
    const entry = (tail: (b: Bytes) => Bytes) => {
      const body = tail(head(new Bytes())).done();
      return concat(new Bytes().u32(body.length + 4).done(), body);
    };
    // pre-0.10: loginuid, exe_writable, 3 caps (29 bytes)
    const old = entry((b) => b.u32(1000).u8(1).u64(1).u64(2).u64(3));
    // 0.10+: pidns_init_start_ts, tty, then the same, then exe_upper_layer, exe_ino…
    const cur = entry((b) =>
      b
        .u64(99)
        .u32(34816)
        .u32(1000)
        .u8(0)
        .u64(1)
        .u64(2)
        .u64(3)
        .u8(1)
        .u64(555)
        .u64(6)
        .u64(7)
        .u8(0)
        .u8(1)
        .u64(7)
        .u32(0xdead),
    );
    const fdEntry = (type: number, data: Bytes) => {
      const body = new Bytes().u64(5).u64(9).u8(type).raw(data.done()).done();
      return concat(new Bytes().u32(body.length + 4).done(), body);
    };
    const fdl = concat(
      new Bytes().u64(7).done(),
      fdEntry(99, new Bytes().u32(1)),
      fdEntry(16, new Bytes().u32(0o2).str('/x').u32(2049)),
    );
    const ev = new Bytes().u64(1).u64(7).u32(26).u16(5).u32(0).done();
    const file = concat(
      shb(2),
      block(0x215, concat(old, cur)),
      block(0x218, fdl),
      block(0x217, concat(new Bytes().u16(0).u32(1).done(), ev)),
    );
    const { recs, err } = await collect(readSysdigCapture(chunks(file)));
    expect(err).toBeUndefined();
    const [m] = metadataOf(recs);
    expect(m!.threads[0]).toMatchObject({
      loginuid: 1000,
      exeWritable: true,
      capEffective: 3n,
      tty: 0,
      pidnsInitStartTs: 0,
      pgid: -1,
    });
    expect(m!.threads[1]).toMatchObject({
      pidnsInitStartTs: 99,
      tty: 34816,
      loginuid: 1000,
      capEffective: 3n,
      exeUpperLayer: true,
      exeIno: 555,
      exeLowerLayer: true,
      pgid: 7,
    });
    expect(m!.fds.get(7)).toEqual([
      { fd: 5, ino: 9, type: 10, name: 'unknown-type:[99]' },
      { fd: 5, ino: 9, type: 16, name: '/x', openFlags: 2, dev: 2049 },
    ]);
    const b = recs.find((r) => r.kind === 'events');
    expect(b?.kind === 'events' && new EventView().at(b.batch, 0).frameFlags).toBe(FRAME_STATE_ONLY);
  });

  it('reads every process-list version V1..V8 with the fields each one has, and MI_INT', async () => {
    const ids = [0x202, 0x207, 0x209, 0x210, 0x211, 0x212, 0x213, 0x214];
    const legacy = [0x8000abcd, 0x8013abcd, 0x8014abcd];
    const ev = new Bytes().u64(1).u64(9).u32(26).u16(5).u32(0).done();
    const mi = new Bytes()
      .u32(4)
      .u64(8 * 2 ** 30)
      .u64(0)
      .raw(new TextEncoder().encode('box'.padEnd(128, '\0')))
      .u64(0)
      .u64(0)
      .u64(0)
      .u64(0);
    for (let v = 1; v <= 8; v++) {
      const e = new Bytes().u64(9).u64(8).u64(1);
      if (v >= 6) e.u64(5);
      if (v >= 8) e.u64(6);
      e.str('comm').str('exe');
      if (v >= 7) e.str('/usr/bin/exe');
      e.str('a\0b\0').str('/cwd').u64(4096).u32(0x10).u32(33).u32(44);
      if (v >= 2) e.u32(100).u32(50).u32(7).u64(11).u64(12);
      if (v >= 3) e.str('K=V\0');
      if (v >= 4) e.u64(2).u64(1).str('cpu=/a\0mem=/b\0');
      if (v >= 5) e.str('/root');
      for (const id of v <= 3 ? [ids[v - 1]!, legacy[v - 1]!] : [ids[v - 1]!]) {
        const file = concat(
          shb(0),
          block(id === legacy[0] ? 0x8002abcd : 0x201, mi.done()),
          block(id, e.done()),
          block(0x216, concat(new Uint8Array(2), ev)),
        );
        const { recs, err } = await collect(readSysdigCapture(chunks(file)));
        expect(err, `PL_V${v}`).toBeUndefined();
        const [m] = metadataOf(recs);
        expect(m!.machine).toEqual({
          hostname: 'box',
          numCpus: 4,
          memoryBytes: 8 * 2 ** 30,
          bootTs: 0n,
          maxPid: 0,
        });
        const t = m!.threads[0]!;
        expect(m!.threads.length).toBe(1);
        expect(t).toMatchObject({
          tid: 9,
          pid: 8,
          ptid: 1,
          comm: 'comm',
          exe: 'exe',
          args: ['a', 'b'],
          cwd: '/cwd',
          fdlimit: 4096,
          flags: 0x10,
          uid: 33,
          gid: 44,
        });
        expect([t.sid, t.vpgid, t.exepath]).toEqual([
          v >= 6 ? 5 : -1,
          v >= 8 ? 6 : -1,
          v >= 7 ? '/usr/bin/exe' : '',
        ]);
        expect([t.vmsizeKb, t.vmrssKb, t.vmswapKb, t.pfMajor, t.pfMinor]).toEqual(
          v >= 2 ? [100, 50, 7, 11, 12] : [0, 0, 0, 0, 0],
        );
        expect(t.env).toEqual(v >= 3 ? ['K=V'] : []);
        expect([t.vtid, t.vpid, t.cgroups]).toEqual(v >= 4 ? [2, 1, ['cpu=/a', 'mem=/b']] : [-1, -1, []]);
        expect(t.root).toBe(v >= 5 ? '/root' : '');
        expect(t.loginuid).toBe(0xffffffff);
      }
    }
  });

  it('reads IPv6 interfaces (IL v1 and IL_V2), UL_V2 and skips entries of unknown type in V2 lists', async () => {
    const v6 = (b: Bytes) =>
      b
        .raw([0xfe, 0x80, ...new Array(13).fill(0), 1])
        .raw(new Array(8).fill(0xff).concat(new Array(8).fill(0)))
        .raw(new Array(16).fill(0));
    const il1 = v6(new Bytes().u16(4).u16(3)).raw(new TextEncoder().encode('et0'));
    const il2Entry = v6(new Bytes().u16(2).u16(2)).u64(1000).raw(new TextEncoder().encode('e1')).done();
    const il2Unknown = new Bytes().u16(9).u16(0).u32(0).done();
    const il2 = concat(
      new Bytes().u32(il2Entry.length).done(),
      il2Entry,
      new Bytes().u32(il2Unknown.length).done(),
      il2Unknown,
    );
    const ulUser = new Bytes().u8(0).u32(1).u32(2).str('u').str('/h').str('/s').done();
    const ulOdd = new Bytes().u8(7).u32(0).done();
    const ul2 = concat(
      new Bytes().u32(ulUser.length + 4).done(),
      ulUser,
      new Bytes().u32(ulOdd.length + 4).done(),
      ulOdd,
    );
    const ev = new Bytes().u64(1).u64(9).u32(26).u16(5).u32(0).done();
    const file = concat(
      shb(1),
      block(0x205, il1.done()),
      block(0x219, il2),
      block(0x220, ul2),
      block(0x216, concat(new Uint8Array(2), ev)),
    );
    const { recs, err } = await collect(readSysdigCapture(chunks(file)));
    expect(err).toBeUndefined();
    const [m] = metadataOf(recs);
    expect(m!.interfaces).toEqual([
      { name: 'et0', family: 'ipv6', addr: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', bcast: '::' },
      {
        name: 'e1',
        family: 'ipv6',
        addr: 'fe80::1',
        netmask: 'ffff:ffff:ffff:ffff::',
        bcast: '::',
        linkspeed: 1000,
      },
    ]);
    expect(m!.users).toEqual([{ uid: 1, gid: 2, name: 'u', homedir: '/h', shell: '/s' }]);
    expect(m!.groups).toEqual([]);
  });

  it('a section without events is a cut file; an empty input too', async () => {
    const only = concat(shb(2), block(0x215, new Uint8Array(0)));
    const { recs, err } = await collect(readSysdigCapture(chunks(only)));
    expect(err).toBeInstanceOf(ScapTruncatedError);
    expect(metadataOf(recs).length).toBe(1);
    expect((await collect(readSysdigCapture(chunks(new Uint8Array(0))))).err).toBeInstanceOf(
      ScapTruncatedError,
    );
    // and a gzip of a plain capture named anything reads the same
    const gz = gzipSync(plain('cat_write'));
    expect((await collect(readSysdigCapture(chunks(gz)))).events).toBe(345);
  });
});
