// Where a writer's bytes go. Injected, so the writer runs anywhere: a file (src/node), a socket, memory.
export interface ByteSink {
  /** Takes the bytes; the caller does not touch them until a returned promise settles. */
  write(bytes: Uint8Array): void | Promise<void>;
  close(): void | Promise<void>;
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
