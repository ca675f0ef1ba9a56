// The recorder's messages while it runs: one "recording" line once the probe is attached (every run but
// -q: a script or a CI log without a terminal needs to know when the events it waits for are being
// recorded), and, on a terminal, a status line rewritten in place each second.

export interface StatusFigures {
  /** Events the kernel produced so far. */
  seen: number;
  written: number;
  dropped: number;
  /** Bytes of trace written so far, all files. */
  bytes: number;
  /** The file being written, if any. */
  file?: string;
}

export class StatusLine {
  private len = 0;
  private lastSeen = 0;
  private lastMs: number;

  /**
   * @param live rewrite a status line each second (stderr is a terminal and the events go to a file)
   * @param write where the text goes (stderr)
   */
  constructor(
    private readonly live: boolean,
    private readonly write: (text: string) => void = (t) => void process.stderr.write(t),
    nowMs = Date.now(),
  ) {
    this.lastMs = nowMs;
  }

  /** The line that says the recording has begun: where events go and how it ends. */
  started(where: string, until: string): void {
    this.write(`scapkit: recording ${where}; ${until}\n`);
  }

  /** Rewrites the status line when a second has passed since the last one. */
  update(nowMs: number, f: StatusFigures): void {
    if (!this.live || nowMs - this.lastMs < 1000) return;
    const rate = ((f.seen - this.lastSeen) * 1000) / Math.max(1, nowMs - this.lastMs);
    this.lastSeen = f.seen;
    this.lastMs = nowMs;
    const line =
      `scapkit: ${Math.round(rate).toLocaleString('en-US')} ev/s  ${f.written.toLocaleString('en-US')} written  ` +
      `${f.dropped ? `${f.dropped} DROPPED` : '0 dropped'}  ${(f.bytes / 1e6).toFixed(1)} MB  ${f.file ?? ''}`;
    this.write(`\r${line.padEnd(this.len)}`);
    this.len = line.length;
  }

  /** Erases the status line (before the summary). */
  clear(): void {
    if (this.live && this.len) this.write(`\r${' '.repeat(this.len)}\r`);
    this.len = 0;
  }
}
