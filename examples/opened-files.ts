// opened-files: the files a command opened during a capture, with what each open returned:
//
//   node examples/dist/opened-files.js CAPTURE cat
//   3 /etc/ld.so.cache
//   3 /lib/x86_64-linux-gnu/libc.so.6
//   -2(ENOENT) /etc/ld.so.nohwcap
//
// The command is matched by process name (sysdig's proc.name, the kernel's 15-character comm), which
// needs the state engine: the events go through @scapkit/replay's Pipeline with a sysdig filter. The
// path is read straight from the event bytes with EventView, by parameter *name*: the id and layout of
// open events changed over the years and old captures keep theirs, but every version calls it `name`.

import { compileFilter, createFieldRegistry, Pipeline, quoteString } from '@scapkit/replay';
import { errnoName } from '@scapkit/scap-format';
import { openCaptureFile } from '@scapkit/scap-format/node';
import { type Output, printable, runIfMain, UsageError } from './cli.js';

export async function main(args: string[], out: Output): Promise<void> {
  const [path, command] = args;
  if (!path || !command) throw new UsageError('usage: opened-files CAPTURE COMMAND');

  // The command name comes from the user: quoteString makes it one filter value whatever it contains.
  const filter = compileFilter(
    `proc.name=${quoteString(command)} and evt.type in (open, openat, openat2, creat) and evt.dir=<`,
    createFieldRegistry(),
  );
  const pipeline = new Pipeline({
    filter,
    sink: {
      event(ctx) {
        const v = ctx.view;
        // An old exit event may lack `name`; the matching enter event, which the engine keeps, has it.
        let name: string | undefined;
        const i = v.paramIndex('name');
        if (i >= 0) name = v.paramString(i);
        else {
          const enter = ctx.state.enterEvent();
          const j = enter ? enter.paramIndex('name') : -1;
          if (enter && j >= 0) name = enter.paramString(j);
        }
        // The result (`fd` in open exits, `res` elsewhere): the new fd, or minus an errno.
        const r = v.paramIndex('fd') >= 0 ? v.paramIndex('fd') : v.paramIndex('res');
        const res = r >= 0 ? v.paramI64(r) : undefined;
        out.write(`${formatResult(res)} ${printable(name ?? '<NA>')}\n`);
      },
    },
  });
  await pipeline.run(openCaptureFile(path));
}

/** An fd as is; an error as its number and name, the way sysdig shows `res=-2(ENOENT)`. */
function formatResult(res: number | undefined): string {
  if (res === undefined) return '<NA>';
  if (res >= 0) return String(res);
  const name = errnoName(res);
  return name ? `${res}(${name})` : String(res);
}

runIfMain(import.meta.url, main);
