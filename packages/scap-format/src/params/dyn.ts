// Dynamic parameter tables (libs driver/dynamic_params_table.c): a PT_DYN parameter starts with a u8 index
// into its table, which names the PT type of the value that follows. Keyed by event and parameter name,
// as in flags/event-params.ts, because every version of an event uses the same table.
import { EVENTS, PT } from '../schema/index.js';

/** setsockopt/getsockopt `val`: PPM_SOCKOPT_IDX_{UNKNOWN, ERRNO, UINT32, UINT64, TIMEVAL (as ns)}. */
export const SOCKOPT_DYN: readonly number[] = [PT.BYTEBUF, PT.ERRNO, PT.UINT32, PT.UINT64, PT.RELTIME];
/** ptrace `addr` / `data`: PPM_PTRACE_IDX_{UINT64, SIGTYPE}. */
export const PTRACE_DYN: readonly number[] = [PT.UINT64, PT.SIGTYPE];
/** bpf `res_or_fd`: PPM_BPF_IDX_{FD, RES}. */
export const BPF_DYN: readonly number[] = [PT.FD, PT.ERRNO];
/** keyctl `arg2` … `arg5`: PPM_KEYCTL_IDX_{INT64, CHARBUF}. */
export const KEYCTL_DYN: readonly number[] = [PT.INT64, PT.CHARBUF];

const BY_NAME: Readonly<Record<string, readonly number[]>> = {
  'setsockopt.val': SOCKOPT_DYN,
  'getsockopt.val': SOCKOPT_DYN,
  'ptrace.addr': PTRACE_DYN,
  'ptrace.data': PTRACE_DYN,
  'bpf.res_or_fd': BPF_DYN,
  'keyctl.arg2': KEYCTL_DYN,
  'keyctl.arg3': KEYCTL_DYN,
  'keyctl.arg4': KEYCTL_DYN,
  'keyctl.arg5': KEYCTL_DYN,
};

let cache: readonly (readonly (readonly number[] | undefined)[])[] | undefined;

/** The dynamic table (PT type per index) of a PT_DYN parameter, or undefined for any other parameter. */
export function dynParamTypes(eventType: number, paramIndex: number): readonly number[] | undefined {
  cache ??= EVENTS.map((e) =>
    e.params.map((p) => (p.type === PT.DYN ? BY_NAME[`${e.name}.${p.name}`] : undefined)),
  );
  return cache[eventType]?.[paramIndex];
}
