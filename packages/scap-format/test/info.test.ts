// summarizeCapture (what `scapkit info --json` prints) on the golden files, a cut file, and a real sysdig
// capture through openCapture's format sniffing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CAPTURES_DIR } from '../../../test/support/captures.mjs';
import { openCapture, ScapFormatError, sniffCaptureFormat, summarizeCapture } from '../src/index.js';
import { openCaptureFile } from '../src/node/index.js';
import { pieces } from './golden/synthetic.js';

const golden = (name: string) => fileURLToPath(new URL(`./golden/${name}`, import.meta.url));
const bytesOf = (name: string) => new Uint8Array(readFileSync(golden(name)));
const CAPTURES = CAPTURES_DIR;

describe('summarizeCapture', () => {
  it('summarises a closed scapkit file from its events, tables and stats', async () => {
    const want = JSON.parse(readFileSync(golden('basic-lz4.json'), 'utf8'));
    const s = await summarizeCapture(openCaptureFile(golden('basic-lz4.scapkit')));
    expect(s).toMatchObject({
      format: 'scapkit',
      version: '1.1',
      events: 40,
      threads: 3,
      fds: 3,
      users: 1,
      groups: 1,
      interfaces: 1,
      containers: 0,
      metadataRecords: 1,
      firstTs: want.events[0].ts,
      lastTs: want.events.at(-1).ts,
      drops: 5,
      dropsByCause: { ringbuf_full: 3, filtered: 2 },
      truncated: false,
    });
    // The generator's mix: open, read, write, close exits and generic syscalls, 8 of each.
    expect(s.eventsByType).toEqual({ '<open': 8, '<read': 8, '<write': 8, '<close': 8, '<syscall': 8 });
    expect(s.header).toMatchObject({
      snaplen: 80,
      startTs: '1732406400000000000',
      recorderVersion: 'golden-generator 1',
    });
    // JSON-safe all the way down.
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('reports a cut file as truncated at the offset where its complete records end', async () => {
    const want = JSON.parse(readFileSync(golden('cut-in-chunk.json'), 'utf8'));
    const s = await summarizeCapture(openCapture(pieces(bytesOf('cut-in-chunk.scapkit'), 100)));
    expect(s).toMatchObject({
      events: 17,
      truncated: true,
      truncatedAt: want.error.offset,
      drops: 0,
      stats: null,
    });
  });

  it('names event types the table does not know as unknown(<id>)', async () => {
    const s = await summarizeCapture(
      (async function* () {
        yield { kind: 'header' as const, header: { format: 'live' as const, version: '1' } };
        const data = new Uint8Array(30);
        const dv = new DataView(data.buffer);
        dv.setUint32(4 + 16, 26, true);
        dv.setUint16(4 + 20, 60000, true);
        yield { kind: 'events' as const, batch: { data, offsets: Uint32Array.of(4), count: 1 } };
      })(),
    );
    expect(s.eventsByType).toEqual({ 'unknown(60000)': 1 });
    expect(s.firstTs).toBe('0');
  });

  it('opens a real sysdig capture through the sniffer', async () => {
    const s = await summarizeCapture(openCaptureFile(`${CAPTURES}/cat_write.scap`));
    expect(s.format).toBe('sysdig');
    expect(s.events).toBeGreaterThan(0);
    expect(s.drops).toBe(0);
  });
});

describe('openCapture', () => {
  it('sniffs scapkit, pcapng and gzip signatures, including prefixes of them', () => {
    expect(sniffCaptureFormat(bytesOf('basic-none.scapkit').subarray(0, 8))).toBe('scapkit');
    expect(sniffCaptureFormat(Uint8Array.of(0x89))).toBe('scapkit');
    expect(sniffCaptureFormat(Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a, 1, 2))).toBe('sysdig');
    expect(sniffCaptureFormat(Uint8Array.of(0x1f, 0x8b, 8))).toBe('sysdig');
    expect(sniffCaptureFormat(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46))).toBeUndefined();
  });

  it('refuses other bytes with the bytes it saw, and reads a scapkit file fed one byte at a time', async () => {
    await expect(
      summarizeCapture(openCapture(pieces(new TextEncoder().encode('{"json": true}')))),
    ).rejects.toThrow(ScapFormatError);
    const s = await summarizeCapture(openCapture(pieces(bytesOf('basic-none.scapkit'), 1)));
    expect(s.events).toBe(40);
  });
});
