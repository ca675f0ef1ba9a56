// Socket facts derived from an fd entry the way sinsp_fdinfo computes them: the layer-4 protocol it
// reports (unknown until the socket has a role).
import { FdType } from '@scapkit/scap-format';
import { type FdEntry, L4, Role } from './fd.js';

/** sinsp_fdinfo::get_l4proto: a socket without a role reports "n/a" unless it is raw. */
export function effectiveL4(e: FdEntry): number {
  switch (e.type) {
    case FdType.IPV4_SOCK:
    case FdType.IPV6_SOCK:
      if (e.l4proto === L4.RAW) return L4.RAW;
      if (e.role === Role.NONE) return L4.NA;
      return e.l4proto;
    case FdType.IPV4_SERVSOCK:
    case FdType.IPV6_SERVSOCK:
      return e.l4proto;
    default:
      return L4.NA;
  }
}
