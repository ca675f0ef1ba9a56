// Buffered text output to stdout: many small lines become few large writes, and a closed pipe
// (`scapkit replay … | head`) ends the run quietly instead of with EPIPE. On a terminal, control characters
// from the capture (a file name or command line holding escape sequences) are shown escaped, so a trace
// cannot act on the terminal of the person reading it; a pipe or a file gets the bytes sysdig would print.
import type { Writable } from 'node:stream';

export class TextOutput {
  private parts: string[] = [];
  private size = 0;
  /** Set when the reader of our output went away: stop producing. */
  closed = false;

  private readonly escape: boolean;
  private waiting: Promise<void> | undefined;

  constructor(
    private readonly out: Writable = process.stdout,
    private readonly highWater = 1 << 16,
    escapeControlChars?: boolean,
  ) {
    this.escape = escapeControlChars ?? (out as { isTTY?: boolean }).isTTY === true;
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') this.closed = true;
      else throw err;
    });
  }

  /** Queues a line (a newline is added). Returns a promise only when the caller should wait for the pipe. */
  line(s: string): Promise<void> | undefined {
    if (this.escape) s = escapeControls(s);
    this.parts.push(s, '\n');
    this.size += s.length + 1;
    return this.size >= this.highWater ? this.flush() : undefined;
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

  async flush(): Promise<void> {
    if (this.size === 0 || this.closed) {
      this.parts = [];
      this.size = 0;
      return;
    }
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    // Lines of one batch may call flush many times before anyone awaits: one drain wait serves them all.
    if (!this.out.write(text) && !this.closed && !this.waiting) {
      this.waiting = this.drained().finally(() => {
        this.waiting = undefined;
      });
    }
    if (this.waiting) await this.waiting;
  }
}

// C0 controls but tab, DEL, and the C1 range (8-bit CSI and friends).
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** Shows control characters as `\xNN`, so printed captured data cannot drive a terminal. */
export function escapeControls(s: string): string {
  return s.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
