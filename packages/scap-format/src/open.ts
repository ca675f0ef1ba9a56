// openCapture: one entry point for any capture file. It sniffs the first bytes and hands the whole input
// (the sniffed bytes replayed) to the scapkit reader or to the sysdig/Falco .scap reader.
import { NotACaptureError } from './errors.js';
import { MAGIC } from './scapkit/constants.js';
import { readScapkit, type ScapkitReadOptions } from './scapkit/reader.js';
import type { CaptureRecord, CaptureStream } from './source.js';
import type { Gunzip } from './sysdig/gunzip.js';
import { readSysdigCapture } from './sysdig/index.js';

/** How openCapture reads either format: the scapkit reader's options, and the sysdig reader's gunzip. */
export interface OpenCaptureOptions extends ScapkitReadOptions {
  gunzip?: Gunzip;
}

/** pcapng section header block type (sysdig .scap files are pcapng-shaped). */
const SYSDIG_SHB = [0x0a, 0x0d, 0x0d, 0x0a];
const GZIP = [0x1f, 0x8b];

const startsWith = (b: Uint8Array, sig: ArrayLike<number>): boolean => {
  const n = Math.min(b.length, sig.length);
  for (let i = 0; i < n; i++) if (b[i] !== sig[i]) return false;
  return n > 0;
};

/** Which reader the first bytes call for (a prefix of a signature counts: the reader reports the cut). */
export function sniffCaptureFormat(head: Uint8Array): 'scapkit' | 'sysdig' | undefined {
  if (startsWith(head, MAGIC)) return 'scapkit';
  if (startsWith(head, SYSDIG_SHB) || startsWith(head, GZIP)) return 'sysdig';
  return undefined;
}

/** Opens a scapkit trace or a sysdig/Falco .scap capture (plain or gzip), whichever the bytes are. */
export function openCapture(input: AsyncIterable<Uint8Array>, opts: OpenCaptureOptions = {}): CaptureStream {
  return { [Symbol.asyncIterator]: () => open(input, opts) };
}

async function* open(
  input: AsyncIterable<Uint8Array>,
  opts: OpenCaptureOptions,
): AsyncGenerator<CaptureRecord> {
  const it = input[Symbol.asyncIterator]();
  try {
    const seen: Uint8Array[] = [];
    let n = 0;
    while (n < MAGIC.length) {
      const r = await it.next();
      if (r.done) break;
      seen.push(r.value);
      n += r.value.length;
    }
    const head = new Uint8Array(Math.min(n, MAGIC.length));
    let p = 0;
    for (const s of seen) {
      if (p >= head.length) break;
      const take = s.subarray(0, head.length - p);
      head.set(take, p);
      p += take.length;
    }
    // An empty file is not a capture cut short (nothing to recover), and says so.
    if (n === 0) throw new NotACaptureError('empty: there is no capture in it');
    const format = sniffCaptureFormat(head);
    if (!format) {
      const hex = [...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
      throw new NotACaptureError(
        `not a capture: it starts with bytes ${hex}, not a scapkit trace's or a sysdig/Falco capture's`,
      );
    }
    const replay: AsyncIterable<Uint8Array> = {
      async *[Symbol.asyncIterator]() {
        yield* seen;
        for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      },
    };
    yield* format === 'scapkit'
      ? readScapkit(replay, opts)
      : readSysdigCapture(replay, { gunzip: opts.gunzip });
  } finally {
    await it.return?.();
  }
}
