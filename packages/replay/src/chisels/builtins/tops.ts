// The "top" chisels that sysdig builds on table_generator.lua: each is a key/value table with sysdig's own
// fields, filter, row limit and units (topscalls.lua, topfiles_bytes.lua, … in sysdig 0.29.3).
import { type TableSpec, tableGenerator } from '../table.js';
import type { ChiselDefinition } from '../types.js';

const IO_FILE = 'fd.type=file and evt.is_io=true';
const IO_NET = '(fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true';

/** The table of each table_generator chisel without arguments, by name (tests rebuild sysdig's from it). */
export const CHISEL_SPECS: Record<string, TableSpec> = {};

function table(
  name: string,
  category: string,
  description: string,
  details: string,
  spec: TableSpec,
): ChiselDefinition {
  CHISEL_SPECS[name] = spec;
  return { name, category, description, details, args: [], create: (_a, env) => tableGenerator(spec, env) };
}

export const topscalls = table(
  'topscalls',
  'Performance',
  'Top system calls by number of calls',
  'Show the top 30 system calls in terms of number of calls. You can use filters to restrict this to a specific process, thread or file.',
  {
    keys: ['evt.type'],
    keyDescs: ['Syscall'],
    value: 'evt.count',
    valueDesc: '# Calls',
    filter: 'evt.type!=switch',
    top: 30,
    units: 'none',
  },
);

export const topscallsTime = table(
  'topscalls_time',
  'Performance',
  'Top system calls by time',
  'Show the top 30 system calls in terms of time spent in each call. You can use filters to restrict this to a specific process, thread or file.',
  {
    keys: ['evt.type'],
    keyDescs: ['Syscall'],
    value: 'evt.latency',
    valueDesc: 'Time',
    top: 30,
    units: 'time',
  },
);

export const topfilesBytes = table(
  'topfiles_bytes',
  'I/O',
  'Top files by R+W bytes',
  'Shows the top files in terms of disk usage.',
  {
    keys: ['fd.name'],
    keyDescs: ['Filename'],
    value: 'evt.rawarg.res',
    valueDesc: 'Bytes',
    filter: IO_FILE,
    top: 10,
    units: 'bytes',
  },
);

export const topfilesTime = table(
  'topfiles_time',
  'I/O',
  'Top files by time',
  'Shows the top files in terms of time spent reading and writing them.',
  {
    keys: ['fd.name'],
    keyDescs: ['Filename'],
    value: 'evt.latency',
    valueDesc: 'Time',
    filter: IO_FILE,
    top: 10,
    units: 'time',
  },
);

export const topprocsNet = table(
  'topprocs_net',
  'Net',
  'Top processes by network I/O',
  'Sort the list of the processes that use the most network bandwidth.',
  {
    keys: ['proc.name', 'proc.pid'],
    keyDescs: ['Process', 'PID'],
    value: 'evt.rawarg.res',
    valueDesc: 'Bytes',
    filter: IO_NET,
    top: 100,
    units: 'bytes',
  },
);

export const topprocsFile = table(
  'topprocs_file',
  'I/O',
  'Top processes by R+W disk bytes',
  'Shows the top processes in terms of total (in+out) bytes to disk.',
  {
    keys: ['proc.name', 'proc.pid'],
    keyDescs: ['Process', 'PID'],
    value: 'evt.rawarg.res',
    valueDesc: 'Bytes',
    filter: IO_FILE,
    top: 10,
    units: 'bytes',
  },
);

export const topconns = table(
  'topconns',
  'Net',
  'Top network connections by total bytes',
  'Shows the top network connections in terms of total (in+out) bandwidth.',
  {
    keys: ['fd.l4proto', 'fd.name'],
    keyDescs: ['Proto', 'Conn'],
    value: 'evt.rawarg.res',
    valueDesc: 'Bytes',
    filter: IO_NET,
    top: 30,
    units: 'bytes',
  },
);

export const fdbytesBy: ChiselDefinition = {
  name: 'fdbytes_by',
  category: 'I/O',
  description: 'I/O bytes, aggregated by an arbitrary filter field',
  details:
    'Groups FD activity based on the given filter field, and returns the key that generated the most input+output bytes. For example, this script can be used to list the processes or TCP ports that generated most traffic.',
  args: [{ name: 'key', description: 'The filter field used for grouping', type: 'string' }],
  create: (a, env) =>
    tableGenerator(
      {
        keys: [a.key!],
        keyDescs: [a.key!],
        value: 'evt.rawarg.res',
        valueDesc: 'Bytes',
        filter: 'evt.is_io=true and evt.failed=false',
        top: 30,
        units: 'bytes',
      },
      env,
    ),
};
