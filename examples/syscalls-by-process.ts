// syscalls-by-process: how many system calls each process made, most first, like sysdig's `topscalls`
// chisel but keyed by process name:
//
//   node examples/dist/syscalls-by-process.js CAPTURE
//   # Calls   Process
//   48        cat
//
// A system call is counted once, at its exit event: old captures hold an enter and an exit event per
// call, current ones only the exit. The process name needs state (the thread table of the capture's
// metadata, updated by clone and execve as they happen), so the events go through @scapkit/replay's
// Pipeline, which keeps that state and evaluates sysdig filters and fields against it.

import { compileFilter, createFieldRegistry, Pipeline } from '@scapkit/replay';
import { openCaptureFile } from '@scapkit/scap-format/node';
import { type Output, runIfMain, UsageError } from './cli.js';

export async function main(args: string[], out: Output): Promise<void> {
  const [path] = args;
  if (!path) throw new UsageError('usage: syscalls-by-process CAPTURE');

  // Fields and filters are compiled once, then evaluated per event without parsing anything again.
  const fields = createFieldRegistry();
  const procName = fields.resolve('proc.name');
  // The same filter language as `sysdig` / `scapkit replay`: only exit events pass.
  const exits = compileFilter('evt.dir=<', fields);
  const counts = new Map<string, number>();

  const pipeline = new Pipeline({
    filter: exits,
    sink: {
      event(ctx) {
        // An event whose thread the capture never described has no name: sysdig prints <NA>.
        const name = String(procName.get(ctx) ?? '<NA>');
        counts.set(name, (counts.get(name) ?? 0) + 1);
      },
    },
  });
  // The pipeline hides what sysdig hides (internal events such as procinfo), so the counts compare
  // one for one with sysdig's output on the same file.
  await pipeline.run(openCaptureFile(path));

  out.write(`${'# Calls'.padEnd(10)}Process\n`);
  // Most calls first; names break ties so the output does not depend on the order of the capture.
  const rows = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [name, n] of rows) out.write(`${String(n).padEnd(10)}${name}\n`);
}

runIfMain(import.meta.url, main);
