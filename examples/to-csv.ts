// to-csv: one CSV line per event of a capture (scapkit or sysdig/Falco, plain or gzip):
//   evt.num,ts,tid,type,dir
// the same columns as `sysdig -D -r FILE -p '%evt.num,%evt.rawtime,%thread.tid,%evt.type,%evt.dir'`.
//
//   node examples/dist/to-csv.js CAPTURE > events.csv
//
// It needs no state, so it uses @scapkit/scap-format alone: the reader yields batches of raw events and one
// EventView walks them, reading header fields in place. Per event only the line (and the bigint timestamp in it)
// is allocated.
import { EventView } from '@scapkit/scap-format';
import { openCaptureFile } from '@scapkit/scap-format/node';
import { type Output, runIfMain, UsageError } from './cli.js';

export async function main(args: string[], out: Output): Promise<void> {
  const [path] = args;
  if (!path) throw new UsageError('usage: to-csv CAPTURE');
  const view = new EventView();
  let num = 0;
  out.write('evt.num,ts,tid,type,dir\n');
  // A reader error (a cut file) propagates after every complete event was written: the lines out are right.
  for await (const rec of openCaptureFile(path)) {
    if (rec.kind !== 'events') continue; // header, metadata and stats records carry no events
    const batch = rec.batch;
    // One write per batch, not per event: a batch holds thousands of events and a write is a system call.
    let text = '';
    for (let i = 0; i < batch.count; i++) {
      view.at(batch, i);
      num++; // evt.num counts every event, the internal ones (procinfo, …) included, as sysdig does
      // An id the schema does not know still gets a line: sysdig prints such types as <unknown>.
      const info = view.info;
      // Type names come from the schema, never from the trace, so they need no CSV quoting.
      text += `${num},${view.ts},${view.tid},${info ? info.name : '<unknown>'},${info ? info.dir : '?'}\n`;
    }
    out.write(text);
  }
}

runIfMain(import.meta.url, main);
