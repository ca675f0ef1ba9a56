// Which name table renders each FLAGS / ENUMFLAGS / MODE parameter. libs keeps this in the `info` field of
// each parameter in driver/event_table.c, which the TSV schema does not carry, so it is restated here by
// event name and parameter name (every version of an event uses the same table for a parameter of the same
// name), with the one exception that needs an id (execveat). Parameters without an entry have no table in
// libs either, or their table is not known here (listed in docs/flags.md).
import { EVENTS, EVENTS_SYSDIG_0_29, type EventInfo, PT } from '../schema/index.js';
import type { NamesFlavor } from './errno.js';
import { renderFlags } from './render.js';
import type { NameTable } from './table.js';
import * as T from './tables.js';

// biome-ignore format: a table
const BY_NAME: Readonly<Record<string, NameTable>> = {
  'open.flags': T.FILE_FLAGS, 'openat.flags': T.FILE_FLAGS, 'openat2.flags': T.FILE_FLAGS,
  'open_by_handle_at.flags': T.FILE_FLAGS, 'userfaultfd.flags': T.FILE_FLAGS, 'dup3.flags': T.FILE_FLAGS,
  'pipe2.flags': T.FILE_FLAGS, 'inotify_init1.flags': T.FILE_FLAGS, 'eventfd2.flags': T.FILE_FLAGS,
  'signalfd4.flags': T.FILE_FLAGS, 'task_file_regular.flags': T.FILE_FLAGS,
  'creat.creat_flags': T.CREAT_FLAGS,
  'clone.flags': T.CLONE_FLAGS, 'fork.flags': T.CLONE_FLAGS, 'vfork.flags': T.CLONE_FLAGS,
  'clone3.flags': T.CLONE_FLAGS, 'setns.nstype': T.CLONE_FLAGS, 'unshare.flags': T.CLONE_FLAGS,
  'socket.domain': T.SOCKET_FAMILIES, 'socketpair.domain': T.SOCKET_FAMILIES,
  'shutdown.how': T.SHUTDOWN_HOW,
  'setsockopt.level': T.SOCKOPT_LEVELS, 'getsockopt.level': T.SOCKOPT_LEVELS,
  'setsockopt.optname': T.SOCKOPT_OPTIONS, 'getsockopt.optname': T.SOCKOPT_OPTIONS,
  'futex.op': T.FUTEX_OPERATIONS,
  'lseek.whence': T.LSEEK_WHENCE, 'llseek.whence': T.LSEEK_WHENCE,
  'getrlimit.resource': T.RLIMIT_RESOURCES, 'setrlimit.resource': T.RLIMIT_RESOURCES,
  'prlimit.resource': T.RLIMIT_RESOURCES,
  'fcntl.cmd': T.FCNTL_COMMANDS,
  'mmap.prot': T.PROT_FLAGS, 'mmap2.prot': T.PROT_FLAGS, 'mprotect.prot': T.PROT_FLAGS,
  'mmap.flags': T.MMAP_FLAGS, 'mmap2.flags': T.MMAP_FLAGS,
  'splice.flags': T.SPLICE_FLAGS,
  'ptrace.request': T.PTRACE_REQUESTS,
  'quotactl.cmd': T.QUOTACTL_CMDS, 'quotactl.type': T.QUOTACTL_TYPES, 'quotactl.quota_fmt': T.QUOTACTL_QUOTA_FMTS,
  'quotactl.quota_fmt_out': T.QUOTACTL_QUOTA_FMTS, 'quotactl.dqi_flags': T.QUOTACTL_DQI_FLAGS,
  'flock.operation': T.FLOCK_FLAGS,
  'semop.sem_flg_0': T.SEMOP_FLAGS, 'semop.sem_flg_1': T.SEMOP_FLAGS, 'semctl.cmd': T.SEMCTL_COMMANDS,
  'semget.semflg': T.SEMGET_FLAGS,
  'mount.flags': T.MOUNT_FLAGS, 'umount.flags': T.UMOUNT_FLAGS, 'umount2.flags': T.UMOUNT_FLAGS,
  'access.mode': T.ACCESS_FLAGS,
  'page_fault.error': T.PF_FLAGS,
  'execve.flags': T.EXECVE_FLAGS, 'execveat.flags': T.EXECVE_FLAGS,
  'unlinkat.flags': T.UNLINKAT_FLAGS, 'linkat.flags': T.LINKAT_FLAGS, 'newfstatat.flags': T.NEWFSTATAT_FLAGS,
  'fchownat.flags': T.FCHOWNAT_FLAGS, 'renameat2.flags': T.RENAMEAT2_FLAGS, 'openat2.resolve': T.OPENAT2_FLAGS,
  'fchmodat.mode': T.CHMOD_MODE, 'chmod.mode': T.CHMOD_MODE, 'fchmod.mode': T.CHMOD_MODE,
  'mknod.mode': T.MKNOD_MODE, 'mknodat.mode': T.MKNOD_MODE,
  'io_uring_setup.flags': T.IO_URING_SETUP_FLAGS, 'io_uring_setup.features': T.IO_URING_SETUP_FEATS,
  'io_uring_enter.flags': T.IO_URING_ENTER_FLAGS, 'io_uring_register.opcode': T.IO_URING_REGISTER_OPCODES,
  'mlockall.flags': T.MLOCKALL_FLAGS, 'mlock2.flags': T.MLOCK2_FLAGS,
  'bpf.cmd': T.BPF_COMMANDS, 'fsconfig.cmd': T.FSCONFIG_CMDS, 'epoll_create1.flags': T.EPOLL_CREATE1_FLAGS,
  'prctl.option': T.PRCTL_OPTIONS, 'memfd_create.flags': T.MEMFD_CREATE_FLAGS,
  'pidfd_open.flags': T.PIDFD_OPEN_FLAGS, 'finit_module.flags': T.FINIT_MODULE_FLAGS,
  'delete_module.flags': T.DELETE_MODULE_FLAGS,
};

// execveat's enter `flags` are the syscall's AT_* flags; its exit `flags` are the execve family's EXE_* flags.
const EXECVEAT_E = 330;

// What sysdig 0.29.3's tables lacked (docs/flags.md): same tables, fewer names.
const SYSDIG_0_29_VARIANT = new Map<NameTable, NameTable>([
  [T.FILE_FLAGS, T.FILE_FLAGS_SYSDIG_0_29],
  [T.CLONE_FLAGS, T.CLONE_FLAGS_SYSDIG_0_29],
  [T.SHUTDOWN_HOW, T.SHUTDOWN_HOW_SYSDIG_0_29],
  [T.EXECVE_FLAGS, T.EXECVE_FLAGS_SYSDIG_0_29],
]);

/** Whether a PT type is rendered through a name table. */
export function isNamedType(type: number): boolean {
  return (
    (type >= PT.FLAGS8 && type <= PT.FLAGS32) ||
    (type >= PT.ENUMFLAGS8 && type <= PT.ENUMFLAGS32) ||
    type === PT.MODE
  );
}

/** Whether a PT type takes the one equal name (ENUMFLAGS) rather than a bitmask walk (FLAGS, MODE). */
export function isEnumType(type: number): boolean {
  return type >= PT.ENUMFLAGS8 && type <= PT.ENUMFLAGS32;
}

function lookup(events: readonly EventInfo[], id: number, i: number): NameTable | undefined {
  const info = events[id];
  const p = info?.params[i];
  if (!info || !p || !isNamedType(p.type)) return undefined;
  if (id === EXECVEAT_E && p.name === 'flags') return T.EXECVEAT_FLAGS;
  return BY_NAME[`${info.name}.${p.name}`];
}

function build(
  events: readonly EventInfo[],
  flavor: NamesFlavor,
): readonly (readonly (NameTable | undefined)[])[] {
  return events.map((e) =>
    e.params.map((_, i) => {
      const t = lookup(events, e.id, i);
      return t && flavor === 'sysdig-0.29' ? (SYSDIG_0_29_VARIANT.get(t) ?? t) : t;
    }),
  );
}

let headTables: readonly (readonly (NameTable | undefined)[])[] | undefined;
let sysdigTables: readonly (readonly (NameTable | undefined)[])[] | undefined;

/**
 * The name table of parameter `paramIndex` of event type `eventType`, or undefined (not a FLAGS / ENUMFLAGS /
 * MODE parameter, or one without a table). 'head' reads the libs HEAD event table; 'sysdig-0.29' reads the
 * table of sysdig 0.29.3 (for files it recorded) and returns the tables with the names it knew.
 */
export function paramNameTable(
  eventType: number,
  paramIndex: number,
  flavor: NamesFlavor = 'head',
): NameTable | undefined {
  // Built on first use: most programs never render a flag.
  let tables: readonly (readonly (NameTable | undefined)[])[];
  if (flavor === 'head') {
    headTables ??= build(EVENTS, 'head');
    tables = headTables;
  } else {
    sysdigTables ??= build(EVENTS_SYSDIG_0_29, 'sysdig-0.29');
    tables = sysdigTables;
  }
  return tables[eventType]?.[paramIndex];
}

/**
 * The names sysdig prints for `value` of a FLAGS / ENUMFLAGS / MODE parameter ('' when none or no table).
 * Whether the bitmask walk or the equality rule applies follows the parameter's type in the chosen event
 * table: 0.29.3 still had FLAGS where libs now has ENUMFLAGS (socket domain, fcntl cmd, …).
 */
export function renderParamFlags(
  eventType: number,
  paramIndex: number,
  value: number,
  flavor: NamesFlavor = 'head',
): string {
  const table = paramNameTable(eventType, paramIndex, flavor);
  const param = (flavor === 'head' ? EVENTS : EVENTS_SYSDIG_0_29)[eventType]?.params[paramIndex];
  if (!table || !param) return '';
  return renderFlags(table, value, isEnumType(param.type));
}
