// Buffered text output to stdout: many small lines become few large writes, and a closed pipe
// (`scapkit replay … | head`) ends the run quietly instead of with EPIPE.
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export class TextOutput {
  private parts: string[] = [];
  private size = 0;
  /** Set when the reader of our output went away: stop producing. */
  closed = false;

  constructor(
    private readonly out: Writable = process.stdout,
    private readonly highWater = 1 << 16,
  ) {
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') this.closed = true;
      else throw err;
    });
  }

  /** Queues a line (a newline is added). Returns a promise only when the caller should wait for the pipe. */
  line(s: string): Promise<void> | undefined {
    this.parts.push(s, '\n');
    this.size += s.length + 1;
    return this.size >= this.highWater ? this.flush() : undefined;
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
    if (!this.out.write(text) && !this.closed) {
      await Promise.race([once(this.out, 'drain'), once(this.out, 'close')]);
    }
  }
}
