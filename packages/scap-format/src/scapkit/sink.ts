// Where a writer's bytes go. Injected, so the writer runs anywhere: a file (src/node), a socket, memory.
export interface ByteSink {
  /**
   * Takes the bytes. The writer reuses its buffers once a returned promise settles, or at once when the
   * call returns nothing: a sink that keeps bytes past that point copies them.
   */
  write(bytes: Uint8Array): void | Promise<void>;
  close(): void | Promise<void>;
  /**
   * Cuts what was written back to `length` bytes, writing on from there (optional: a file). A writer whose
   * write failed halfway through a record uses it to close the file after its last complete record.
   */
  truncate?(length: number): Promise<void>;
}

/** A sink that keeps everything in memory (tests, browsers); `bytes()` joins what was written. */
export class MemorySink implements ByteSink {
  private parts: Uint8Array[] = [];
  private length = 0;
  closed = false;

  write(bytes: Uint8Array): void {
    this.parts.push(bytes.slice());
    this.length += bytes.length;
  }
  close(): void {
    this.closed = true;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let p = 0;
    for (const b of this.parts) {
      out.set(b, p);
      p += b.length;
    }
    this.parts = [out];
    return out;
  }
}
