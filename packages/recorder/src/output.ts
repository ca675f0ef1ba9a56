// Buffered text output to stdout: many small lines become few large writes, and a closed pipe
// (`scapkit replay … | head`) ends the run quietly instead of with EPIPE. On a terminal, control characters
// from the capture (a file name or command line holding escape sequences) are shown escaped, so a trace
// cannot act on the terminal of the person reading it; a pipe or a file gets the bytes sysdig would print.
import type { Writable } from 'node:stream';
import { ByteWriter } from '@scapkit/replay';

let stdout: Writable = process.stdout;

/**
 * Where TextOutput writes by default: process.stdout, or the stream given here by a program that runs
 * the CLI's main() in its own process (the tests do); `undefined` restores process.stdout.
 */
export function setStdout(w: Writable | undefined): void {
  stdout = w ?? process.stdout;
}

export interface TextOutputOptions {
  /** Bytes buffered before a write (64 KiB). */
  highWater?: number;
  /** Show control characters as `\xNN` (default: when the output is a terminal). */
  escapeControlChars?: boolean;
  /** Line breaks inside a line are kept even on a terminal (buffers printed with -A, -x, -X). */
  keepLineBreaks?: boolean;
  /** Every line is written as it comes (--unbuffered). */
  unbuffered?: boolean;
}

export class TextOutput {
  /**
   * Lines are encoded as they come into this buffer (no string per line outlives its event), or written
   * into it directly (a print sink's lines, then endLine) while `takesBytes`.
   */
  readonly bytes: ByteWriter;
  /** Set when the reader of our output went away: stop producing. */
  closed = false;

  private readonly escape: RegExp | undefined;
  private readonly highWater: number;
  private readonly unbuffered: boolean;
  private waiting: Promise<void> | undefined;

  constructor(
    private readonly out: Writable = stdout,
    opts: TextOutputOptions = {},
  ) {
    const escaping = opts.escapeControlChars ?? (out as { isTTY?: boolean }).isTTY === true;
    this.escape = escaping ? (opts.keepLineBreaks ? CONTROLS_BUT_LF : CONTROLS) : undefined;
    this.highWater = opts.highWater ?? 1 << 16;
    this.unbuffered = opts.unbuffered === true;
    this.bytes = new ByteWriter(this.capacity(), (size) => Buffer.allocUnsafe(size));
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') this.closed = true;
      else throw err;
    });
  }

  /** Room for a full buffer plus one line of up to 16 KiB (UTF-8 takes at most 3 bytes per UTF-16 unit). */
  private capacity(): number {
    return this.highWater + (16 << 10) * 3 + 1;
  }

  /** Whether lines may be written into `bytes` as they are (nothing to escape for a terminal). */
  get takesBytes(): boolean {
    return this.escape === undefined;
  }

  /** Queues a line (a newline is added). Returns a promise only when the caller should wait for the pipe. */
  line(s: string): Promise<void> | undefined {
    if (this.escape) s = escapeControls(s, this.escape);
    const most = s.length * 3 + 1;
    let wait: Promise<void> | undefined;
    const w = this.bytes;
    if (w.pos + most > w.buf.length) {
      wait = this.send();
      if (most > w.buf.length) {
        // A line longer than the buffer goes out on its own.
        const big = Buffer.allocUnsafe(most);
        const n = big.write(s, 0);
        big[n] = 10;
        return this.write(big.subarray(0, n + 1)) ?? wait;
      }
    }
    const buf = w.buf as Buffer;
    const n = s.length <= SHORT_LINE ? writeShort(buf, s, w.pos) : utf8Write(buf, s, w.pos);
    buf[w.pos + n] = 10;
    w.pos += n + 1;
    return this.endLine() ?? wait;
  }

  /** After a line and its newline were written into `bytes`: sends them once enough are buffered. */
  endLine(): Promise<void> | undefined {
    return this.bytes.pos >= this.highWater || this.unbuffered ? this.send() : undefined;
  }

  /**
   * Writes bytes already encoded as lines (by another thread's TextOutput: segment-replay.ts), after the
   * lines buffered here. The drain wait, if any.
   */
  writeEncoded(chunk: Uint8Array): Promise<void> | undefined {
    const wait = this.send();
    return this.write(chunk) ?? wait;
  }

  /** Resolves on 'drain', 'close' or 'error', removing all three listeners whichever comes first. */
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.out.off('drain', done);
        this.out.off('close', done);
        this.out.off('error', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('close', done);
      this.out.on('error', done);
    });
  }

  /** Writes what is buffered (the stream owns those bytes from then on); the drain wait, if any. */
  private send(): Promise<void> | undefined {
    const w = this.bytes;
    if (w.pos === 0 || this.closed) {
      w.pos = 0;
      return this.waiting;
    }
    const chunk = w.buf.subarray(0, w.pos);
    w.pos = 0;
    const wait = this.write(chunk);
    // A file, or a pipe that took it all, is done with the bytes (stdout writes them synchronously on
    // Linux); otherwise the stream holds on to them and the next lines need a new buffer.
    if (this.out.writableLength !== 0) w.reset(Buffer.allocUnsafe(this.capacity()));
    return wait;
  }

  private write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.closed) return this.waiting;
    // Lines of one batch may call flush many times before anyone awaits: one drain wait serves them all.
    if (!this.out.write(chunk) && !this.closed && !this.waiting) {
      this.waiting = this.drained().finally(() => {
        this.waiting = undefined;
      });
    }
    return this.waiting;
  }

  async flush(): Promise<void> {
    if (this.bytes.pos === 0 || this.closed) {
      this.bytes.pos = 0;
      return;
    }
    const wait = this.send();
    if (wait) await wait;
  }
}

type Utf8Writer = Buffer & { utf8Write?(s: string, offset: number, length: number): number };

/**
 * Encodes `s` into `buf` at `offset` (room checked by the caller): Buffer#utf8Write, the binding behind
 * Buffer#write, skips write()'s argument juggling, which costs as much as the encoding for short lines.
 */
const utf8Write: (buf: Buffer, s: string, offset: number) => number =
  typeof (Buffer.prototype as Utf8Writer).utf8Write === 'function'
    ? (buf, s, offset) => (buf as Utf8Writer).utf8Write!(s, offset, buf.length - offset)
    : (buf, s, offset) => buf.write(s, offset);

/**
 * Lines up to this long (`-p %evt.num`, a few fields) are copied byte by byte when ASCII: the native
 * encoder's call costs more than a short line's bytes (3x on numbers); past it the encoder is faster.
 */
const SHORT_LINE = 24;

/** Writes `s` at `offset` (room checked by the caller): ASCII by hand, anything else through the encoder. */
function writeShort(buf: Buffer, s: string, offset: number): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return utf8Write(buf, s, offset);
    buf[offset + i] = c;
  }
  return n;
}

// C0 controls but tab, DEL, and the C1 range (8-bit CSI and friends).
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
// The same but line feed: a line break moves the cursor, it cannot drive the terminal.
const CONTROLS_BUT_LF = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Shows control characters as `\xNN`, so printed captured data cannot drive a terminal. */
export function escapeControls(s: string, controls: RegExp = CONTROLS): string {
  return s.replace(controls, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
