// The Parquet encoding thread of ParquetEncoder: Arrow IPC in, Parquet bytes out (transferred back).
import { parentPort } from 'node:worker_threads';
import { encodeParquetIpc, type ParquetOptions } from './parquet.js';

parentPort!.on('message', (m: { id: number; ipc: Uint8Array; opts: ParquetOptions }) => {
  try {
    const bytes = encodeParquetIpc(m.ipc, m.opts);
    parentPort!.postMessage({ id: m.id, bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
