// The JS values parameters decode to (decodeParam) and encode from (encodeEvent). One value shape per PT
// type; docs in decode.ts say which.

/** A PT_SOCKADDR: AF_UNIX path, AF_INET / AF_INET6 address and port, or a family this code does not know. */
export type SockAddr =
  | { readonly family: 'unix'; readonly path: string }
  | { readonly family: 'ipv4'; readonly addr: string; readonly port: number }
  | { readonly family: 'ipv6'; readonly addr: string; readonly port: number }
  /** Any other family byte: `data` is the payload after it, kept so the value re-encodes exactly. */
  | { readonly family: 'unknown'; readonly code: number; readonly data: Uint8Array };

/** A PT_SOCKTUPLE: source → destination. Unix tuples carry the kernel socket addresses (u64 pointers). */
export type SockTuple =
  | {
      readonly family: 'ipv4';
      readonly sip: string;
      readonly sport: number;
      readonly dip: string;
      readonly dport: number;
    }
  | {
      readonly family: 'ipv6';
      readonly sip: string;
      readonly sport: number;
      readonly dip: string;
      readonly dport: number;
    }
  | { readonly family: 'unix'; readonly source: bigint; readonly dest: bigint; readonly path: string }
  | { readonly family: 'unknown'; readonly code: number; readonly data: Uint8Array };

/** One entry of a PT_FDLIST (poll/ppoll): the fd and its PPM_POLL* event bits. */
export interface FdListEntry {
  readonly fd: number;
  readonly flags: number;
}

/** A PT_DYN value: `index` into the parameter's dynamic table, `type` the PT type it selects, `value` decoded. */
export interface DynValue {
  readonly index: number;
  /** PT type of `value`; PT.NONE when the index is outside the table (then `value` is the raw bytes). */
  readonly type: number;
  readonly value: ParamValue;
}

/**
 * A decoded parameter. `null` = empty (zero-length) parameter, or a type that never holds data in a file.
 * Integers are numbers; 64-bit integers are numbers when exactly representable (|v| ≤ 2^53 − 1) and bigints
 * otherwise, so ABSTIME (ns since 1970) is in practice always a bigint.
 */
export type ParamValue =
  | null
  | number
  | bigint
  | string
  | Uint8Array
  | SockAddr
  | SockTuple
  | readonly FdListEntry[]
  | DynValue;
