// A full disk: writes a trace onto a 64 KiB tmpfs (needs CAN_LOAD_PROBE to mount it) and checks that the sink
// reports ENOSPC naming the file, and that what reached the disk reads back up to its last chunk.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { MemorySink, noneCodec, recoverScapkit, ScapkitWriter } from '../src/index.js';
import { createFileSink, FileWriteError, fileByteSource } from '../src/node/index.js';
import { batchOf } from './golden/synthetic.js';

describe.skipIf(!CAN_LOAD_PROBE)('file sink on a full disk', () => {
  it('fails with ENOSPC naming the file; the partial file recovers', async (ctx) => {
    const mnt = mkdtempSync(join(tmpdir(), 'scapkit-enospc-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      rmSync(mnt, { recursive: true, force: true });
      ctx.skip(); // CAN_LOAD_PROBE without CAP_SYS_ADMIN (an unprivileged container): no tmpfs to fill
    }
    let sink: Awaited<ReturnType<typeof createFileSink>> | undefined;
    try {
      const path = join(mnt, 'full.scapkit');
      sink = await createFileSink(path);
      const w = new ScapkitWriter(sink, {}, { codec: noneCodec, chunkBytes: 4096 });
      const ev = (i: number) => ({
        ts: String(i),
        tid: 1,
        cpu: 0,
        flags: 0,
        type: 7,
        params: ['00'.repeat(200)],
      });
      let error: unknown;
      try {
        for (let i = 0; i < 1000; i++) await w.writeBatch(batchOf([ev(i)]));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FileWriteError);
      expect((error as FileWriteError).code).toBe('ENOSPC');
      expect((error as Error).message).toContain(`cannot write trace file ${path}: no space left on device`);
      const r = await recoverScapkit(fileByteSource(path), new MemorySink());
      expect(r.chunksKept).toBeGreaterThan(5);
    } finally {
      await Promise.resolve(sink?.close()).catch(() => undefined); // the handle must be closed before the unmount
      execFileSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  });
});
