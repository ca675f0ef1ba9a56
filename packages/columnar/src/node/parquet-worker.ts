// The Parquet encoding thread of ParquetEncoder: a part file is opened, its batches' buffers come one by one
// and are encoded as row groups at once (only the compressed pages are held), and at its end the file's
// bytes go back transferred. Every batch is acknowledged once encoded (the sender's bound on what waits),
// with its buffers moved back for the builders to use again: kept here, they would be new memory to this
// thread's heap each batch, and the sender's builders would allocate new ones.
import { parentPort } from 'node:worker_threads';
import { type BatchBuffers, bufferList, type ColumnSpec, type ParquetFileEncoder } from '../parquet-file.js';
import { beginParquetFile, type ParquetOptions } from './parquet.js';

type Message =
  | { op: 'open'; id: number; specs: ColumnSpec[]; opts: ParquetOptions }
  | { op: 'group'; id: number; batch: BatchBuffers }
  | { op: 'end'; id: number };

/** The open files, and the first error of each (reported at its end). */
const files = new Map<number, { enc?: ParquetFileEncoder; error?: string }>();
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

parentPort!.on('message', (m: Message) => {
  if (m.op === 'open') {
    try {
      files.set(m.id, { enc: beginParquetFile(m.specs, m.opts) });
    } catch (e) {
      files.set(m.id, { error: message(e) });
    }
    return;
  }
  const file = files.get(m.id) ?? { error: `no part file ${m.id}` };
  if (m.op === 'group') {
    try {
      if (file.error === undefined) file.enc?.rowGroup(m.batch);
    } catch (e) {
      file.error = message(e);
    }
    const buffers = bufferList(m.batch);
    parentPort!.postMessage({ done: true, id: m.id, buffers }, buffers);
    return;
  }
  files.delete(m.id);
  try {
    if (file.error !== undefined || !file.enc) throw new Error(file.error);
    const bytes = file.enc.finish();
    parentPort!.postMessage({ id: m.id, bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: message(e) });
  }
});
