// A progress bar on stderr while a large capture is read (only on a terminal): counts the file bytes
// that pass through the byte source, redraws at most four times a second.
export class Progress {
  private read = 0;
  private last = 0;
  private drawn = false;

  constructor(
    private readonly name: string,
    private readonly size: number,
    private readonly enabled: boolean,
  ) {}

  async *track(src: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of src) {
      this.add(chunk.length);
      yield chunk;
    }
  }

  /** Counts `n` more bytes read. */
  add(n: number): void {
    this.read += n;
    if (this.enabled) this.draw();
  }

  private draw(): void {
    const now = Date.now();
    if (now - this.last < 250) return;
    this.last = now;
    const frac = this.size ? Math.min(1, this.read / this.size) : 0;
    const width = 30;
    const full = Math.round(frac * width);
    process.stderr.write(
      `\r${this.name} [${'#'.repeat(full)}${' '.repeat(width - full)}] ${(frac * 100).toFixed(0)}%`,
    );
    this.drawn = true;
  }

  end(): void {
    if (this.drawn) process.stderr.write(`\r${' '.repeat(this.name.length + 40)}\r`);
    this.drawn = false;
  }
}
