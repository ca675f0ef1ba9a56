// I/O and activity chisels with per-event output or interval reports, after sysdig's iobytes.lua,
// iobytes_file.lua, iobytes_net.lua, echo_fds.lua, spy_file.lua and spy_users.lua (same filters, fields,
// text and colours).
import type { ReplayContext } from '../../fields/context.js';
import type { CompiledField } from '../../fields/types.js';
import { keyText, numericValue } from '../table.js';
import { extendString, formatBytes, luaString } from '../text.js';
import type { ChiselDefinition, ChiselEnv, ChiselHandlers } from '../types.js';

const RED = '\x1b[31m';
const BLUE = '\x1b[34m';
const RESET = '\x1b[0m';
const SECOND = 1_000_000_000;

/** Lua's `..` / %s of a field value: nil prints as "nil" (LuaJIT's tostring), the rest as sysdig prints it. */
function str(f: CompiledField, ctx: ReplayContext): string {
  const v = f.get(ctx);
  if (v === undefined) return 'nil';
  return keyText(f, v);
}

/** iobytes*.lua: bytes read and written on the FDs the filter selects, printed every second. */
function iobytesChisel(filter: string, env: ChiselEnv): ChiselHandlers {
  const fbytes = env.field('evt.rawarg.res');
  const ftime = env.field('evt.time.s');
  const fisread = env.field('evt.is_io_read');
  let tot = 0;
  let totin = 0;
  let totout = 0;
  return {
    filter,
    intervalNs: SECOND,
    onEvent(ctx) {
      const bytes = numericValue(fbytes.get(ctx));
      if (bytes === undefined || !(bytes > 0)) return;
      tot += bytes;
      if (fisread.get(ctx) === true) totin += bytes;
      else totout += bytes;
    },
    onInterval(ctx, _delta, out) {
      // The time printed is that of the event that opened the new interval.
      out(`${str(ftime, ctx)} in:${luaString(totin)} out:${luaString(totout)} tot:${luaString(tot)}`);
      tot = 0;
      totin = 0;
      totout = 0;
    },
    onEnd() {
      // sysdig prints nothing at the end: the last, incomplete second is never reported.
    },
  };
}

export const iobytes: ChiselDefinition = {
  name: 'iobytes',
  category: 'I/O',
  description: 'Sum of I/O bytes on any type of FD',
  details:
    'Counts the total bytes read from and written to any type of FD (disk, socket, pipe...) and prints the result every second.',
  args: [],
  create: (_a, env) => iobytesChisel('evt.is_io=true', env),
};

export const iobytesFile: ChiselDefinition = {
  name: 'iobytes_file',
  category: 'I/O',
  description: 'Sum of file I/O bytes',
  details: 'Counts the total bytes read from and written to files.',
  args: [],
  create: (_a, env) => iobytesChisel('evt.is_io=true and fd.type=file', env),
};

export const iobytesNet: ChiselDefinition = {
  name: 'iobytes_net',
  category: 'Net',
  description: 'Show total network I/O bytes',
  details: 'Counts the total bytes read from and written to the network, and prints the result every second',
  args: [],
  create: (_a, env) => iobytesChisel('evt.is_io=true and (fd.type=ipv4 or fd.type=ipv6)', env),
};

const DISABLE_COLOR = {
  name: 'disable_color',
  description: "Set to 'disable_color' if you want to disable color output",
  optional: true,
};

export const echoFds: ChiselDefinition = {
  name: 'echo_fds',
  category: 'I/O',
  description: 'Print the data read and written by processes.',
  details:
    'Print the data read and written for any FD. Combine this script with a filter to restrict what it shows. (Blue represents [Write], and Red represents [Read].)',
  args: [DISABLE_COLOR],
  create(args, env) {
    const color = args.disable_color !== 'disable_color';
    const red = color ? RED : '';
    const blue = color ? BLUE : '';
    const fisread = env.field('evt.is_io_read');
    const fres = env.field('evt.rawarg.res');
    const fname = env.field('fd.name');
    const fpname = env.field('proc.name');
    // sysdig's chisel.set_event_formatter: the event is printed after the chisel's line.
    const data = env.format('%evt.arg.data');
    return {
      filter: 'evt.is_io=true and evt.dir=< and evt.rawres>0',
      onEvent(ctx, ctl) {
        const res = numericValue(fres.get(ctx));
        if (res === undefined || res <= 0) return;
        const name = fname.get(ctx) === undefined ? '<NA>' : str(fname, ctx);
        const pname = str(fpname, ctx);
        // No container column (sysdig -pc is not supported): "%s %s" with an empty container.
        ctl.out(
          fisread.get(ctx) === true
            ? `${red}------ Read ${formatBytes(res)} from  ${red} ${name} (${pname})`
            : `${blue}------ Write ${formatBytes(res)} to  ${blue} ${name} (${pname})`,
        );
        const d = data(ctx);
        if (d !== undefined) ctl.out(d);
      },
      onEnd(out) {
        out(color ? RESET : '');
      },
    };
  },
};

/** sinsp's binary_buffer_to_asciionly_string (sysdig -A): a leading newline, printable bytes, CR as LF. */
export function asciiOnly(b: Uint8Array): string {
  // An empty buffer renders as nothing at all.
  if (b.length === 0) return '';
  let s = '\n';
  let prev = -1; // the byte before, -1 at the start
  for (const c of b) {
    if (c >= 0x20 && c <= 0x7e) s += String.fromCharCode(c);
    else if (c === 0x0d) s += '\n';
    else if (c === 0x0a && prev !== -1 && prev !== 0x0d) s += '\n';
    prev = c;
  }
  return s;
}

/** Prints `text` through `out` one line at a time (the lines of a multi-line value). */
function outLines(out: (l: string) => void, text: string): void {
  if (!text.includes('\n')) out(text);
  else for (const l of text.split('\n')) out(l);
}

export const spyFile: ChiselDefinition = {
  name: 'spy_file',
  category: 'I/O',
  description:
    'Echo any read/write made by any process to all files. Optionally, you can provide the name of one file to only intercept reads/writes to that file.',
  details:
    'This chisel intercepts all reads and writes to all files. Instead of all files, you can limit interception to one file.',
  args: [
    {
      name: 'read_or_write',
      description:
        "Specify 'R' to capture only read events; 'W' to capture only write events; 'RW' to capture read and write events. By default both read and write events are captured.",
      optional: true,
    },
    {
      name: 'spy_on_file_name',
      description: 'The name of the file which the chisel should spy on for all read and write activity.',
      optional: true,
    },
  ],
  create(args, env) {
    const ffdname = env.field('fd.name');
    const fisw = env.field('evt.is_io_write');
    const fpid = env.field('proc.pid');
    const fpname = env.field('proc.name');
    const fres = env.field('evt.rawarg.res');
    const fts = env.field('evt.time');
    const rw = args.read_or_write;
    let filter =
      args.spy_on_file_name !== undefined && args.spy_on_file_name !== ''
        ? `(fd.name=${args.spy_on_file_name}) and `
        : '(not fd.name contains /dev/pt and not fd.name contains /dev/tty) and ';
    if (rw === 'R' || rw === 'r') filter += 'evt.is_io_read=true and ';
    else if (rw === 'W' || rw === 'w') filter += 'evt.is_io_write=true and ';
    else filter += 'evt.is_io=true and ';
    filter += 'fd.type=file and evt.dir=< and evt.failed=false';
    return {
      filter,
      onEvent(ctx, ctl) {
        // evt.arg.data, rendered in the ASCII output format spy_file.lua selects.
        const v = ctx.view;
        const i = v.paramIndex('data');
        const data = i >= 0 ? asciiOnly(v.paramBytes(i)) : 'nil';
        const res = numericValue(fres.get(ctx)) ?? 0;
        const rwc = fisw.get(ctx) === true ? 'W' : 'R';
        outLines(
          ctl.out,
          `${str(fts, ctx)} ${str(fpname, ctx)}(${str(fpid, ctx)}) ${rwc} ${formatBytes(res)} ${str(ffdname, ctx)} ${data}`,
        );
      },
      onEnd() {},
    };
  },
};

/** How far spy_users.lua climbs the ancestors looking for a shell. */
const MAX_ANCESTOR_NAVIGATION = 16;

export const spyUsers: ChiselDefinition = {
  name: 'spy_users',
  category: 'Security',
  description: 'Display interactive user activity',
  details:
    'Lists every command that users launch interactively (e.g. from bash) and every directory users visit.',
  args: [
    {
      name: 'max_depth',
      description: 'the maximum depth to show in the hierarchy of processes',
      type: 'int',
      optional: true,
    },
    DISABLE_COLOR,
  ],
  create(args, env) {
    const maxDepth = args.max_depth !== undefined ? Number(args.max_depth) : -1;
    const color = args.disable_color !== 'disable_color';
    const fetype = env.field('evt.type');
    const fexe = env.field('proc.exe');
    const fargs = env.field('proc.args');
    const fdir = env.field('evt.arg.path');
    const fuser = env.field('user.name');
    const fdtime = env.field('evt.time.s');
    const fpid = env.field('proc.pid');
    const fppid = env.field('proc.ppid');
    const fanames: CompiledField[] = [];
    const fapids: CompiledField[] = [];
    for (let j = 0; j <= MAX_ANCESTOR_NAVIGATION; j++) {
      fanames.push(env.field(`proc.aname[${j}]`));
      fapids.push(env.field(`proc.apid[${j}]`));
    }
    // pid → [depth, pid of the shell it descends from]; depth -1: not under a shell.
    const tree = new Map<number, [number, number]>();
    // spy_users.lua does table.insert(fanames, 0, 0) on every chdir, so from then on its slot j reads
    // ancestor j - shift, and the slots below shift hold no field (nil): kept as is, to print the same.
    let shift = 0;
    const ancestor = (fields: CompiledField[], j: number, ctx: ReplayContext) => fields[j - shift]?.get(ctx);
    return {
      filter:
        '((evt.type=execve and evt.dir=<) or (evt.type=chdir and evt.dir=< and proc.name contains sh and not proc.name contains sshd)) and evt.failed=false',
      onEvent(ctx, ctl) {
        const userv = fuser.get(ctx);
        const user = userv === undefined ? '<NA>' : String(userv);
        const pid = fpid.get(ctx);
        let ppid = fppid.get(ctx);
        const ischdir = fetype.get(ctx) === 'chdir';
        let icorr = 1;
        if (ischdir) {
          ppid = pid;
          shift++;
          icorr = 0;
        }
        if (typeof pid !== 'number' || typeof ppid !== 'number') return;
        if (!tree.has(ppid)) {
          let entry: [number, number] = [-1, 0];
          for (let j = 1; j <= MAX_ANCESTOR_NAVIGATION; j++) {
            const aname = ancestor(fanames, j, ctx);
            if (aname === undefined) {
              if (ancestor(fapids, j, ctx) === undefined) break;
            } else if (typeof aname === 'string' && aname.length >= 2 && aname.endsWith('sh')) {
              const apid = ancestor(fapids, j, ctx) as number;
              entry = tree.has(apid) ? [j - 1, apid] : [0, apid];
            }
          }
          tree.set(ppid, entry);
        }
        const parent = tree.get(ppid)!;
        if (parent[0] === -1) return;
        let me = tree.get(pid);
        if (me === undefined) {
          me = [1 + parent[0], parent[1]];
          tree.set(pid, me);
        }
        if (ischdir) {
          if (maxDepth !== -1 && me[0] - icorr > maxDepth) return;
          ctl.out(
            `${extendString('', 4 * (me[0] - icorr))}${luaString(me[1])} ${str(fdtime, ctx)} ${user}) cd ${str(fdir, ctx)}`,
          );
        } else {
          if (maxDepth !== -1 && me[0] - 1 > maxDepth) return;
          ctl.out(
            `${extendString('', 3 * (me[0] - 1))}${luaString(me[1])} ${str(fdtime, ctx)} ${user}) ${str(fexe, ctx)} ${str(fargs, ctx)}`,
          );
        }
      },
      onEnd(out) {
        out(color ? RESET : '');
      },
    };
  },
};
