// arrow-batches: a capture as Arrow RecordBatches (@scapkit/columnar's toArrow), with only the columns a
// question needs; here, the bytes each process read and wrote, summed straight from the column buffers:
//
//   node examples/dist/arrow-batches.js CAPTURE
//   curl             read 11562      written 110
//
// toArrow runs the replay Pipeline (state resolved at each event, as `scapkit replay` does) and yields
// batches sorted by time; '@scapkit/columnar' imports nothing from node:*, so the same code runs in a
// browser on a capture read with the browser readers. Node's entry ('@scapkit/columnar/node') adds the
// Parquet export and DuckDB.
import { toArrow } from '@scapkit/columnar';
import { openCaptureFile } from '@scapkit/scap-format/node';
import { type Output, printable, runIfMain, UsageError } from './cli.js';

export async function main(args: string[], out: Output): Promise<void> {
  const [path] = args;
  if (!path) throw new UsageError('usage: arrow-batches CAPTURE');
  const totals = new Map<string, { read: number; written: number }>();
  // Two passes, one per direction: the filter picks the rows, the columns are only these two.
  for (const [dir, filter] of [
    ['read', 'evt.is_io_read=true and evt.dir=<'],
    ['written', 'evt.is_io_write=true and evt.dir=<'],
  ] as const) {
    for await (const batch of toArrow(openCaptureFile(path), { columns: ['proc_name', 'bytes'], filter })) {
      const names = batch.getChild('proc_name')!;
      const bytes = batch.getChild('bytes')!.data[0]!;
      const values = bytes.values as BigInt64Array;
      for (let i = 0; i < batch.numRows; i++) {
        if (!bytes.getValid(i)) continue; // evt.buflen has no value here (an error, no fd)
        const name = (names.get(i) as string | null) ?? '<NA>';
        const t = totals.get(name) ?? { read: 0, written: 0 };
        t[dir] += Number(values[i]);
        totals.set(name, t);
      }
    }
  }
  const rows = [...totals].sort(
    (a, b) => b[1].read + b[1].written - (a[1].read + a[1].written) || (a[0] < b[0] ? -1 : 1),
  );
  for (const [name, t] of rows)
    out.write(`${printable(name).padEnd(16)} read ${String(t.read).padEnd(10)} written ${t.written}\n`);
}

runIfMain(import.meta.url, main);
