// to-csv: one CSV line per event of a capture (scapkit or sysdig/Falco, plain or gzip):
//   evt.num,ts,tid,type,dir
// the same columns as `sysdig -D -r FILE -p '%evt.num,%evt.rawtime,%thread.tid,%evt.type,%evt.dir'`.
//
//   node examples/dist/to-csv.js CAPTURE > events.csv
//
// It needs no state, so it uses @scapkit/scap-format alone: the reader yields batches of raw events and one
// EventView walks them, reading header fields in place. Per event only the line (and the bigint timestamp in it)
// is allocated.
import { EventView, syscallName } from '@scapkit/scap-format';
import { openCaptureFile } from '@scapkit/scap-format/node';
import { type Output, runIfMain, UsageError } from './cli.js';

export async function main(args: string[], out: Output): Promise<void> {
  const [path] = args;
  if (!path) throw new UsageError('usage: to-csv CAPTURE');
  const view = new EventView();
  let num = 0;
  // A reader error (a cut file) propagates after every complete event was written: the lines out are right.
  for await (const rec of openCaptureFile(path)) {
    // The header record comes first: the file opened and is a capture, so the CSV can begin.
    if (rec.kind === 'header') out.write('evt.num,ts,tid,type,dir\n');
    if (rec.kind !== 'events') continue; // metadata and stats records carry no events
    const batch = rec.batch;
    // One write per batch, not per event: a batch holds thousands of events and a write is a system call.
    let text = '';
    for (let i = 0; i < batch.count; i++) {
      view.at(batch, i);
      num++; // evt.num counts every event, the internal ones (procinfo, …) included, as sysdig does
      const info = view.info;
      // Type names come from the schema, never from the trace, so they need no CSV quoting.
      text += `${num},${view.ts},${view.tid},${typeName(view)},${info ? info.dir : '?'}\n`;
    }
    out.write(text);
  }
}

/**
 * The event's type as sysdig names it. A *generic* event (`syscall`, ids 0 and 1) stands for a system call
 * the driver has no dedicated event for; its `ID` parameter says which one, and sysdig shows that name.
 * An id or a code the schema does not know is `<unknown>`, as in sysdig.
 */
function typeName(view: EventView): string {
  const info = view.info;
  if (!info) return '<unknown>';
  if (info.name !== 'syscall') return info.name;
  const id = view.paramIndex('ID');
  const name = id >= 0 ? syscallName(view.paramU16(id)) : undefined;
  return name === undefined || name === 'unknown' ? '<unknown>' : name;
}

runIfMain(import.meta.url, main);
