// Parameter values: decoding from an EventView, encoding into an EventBatchBuilder, IP address text.
export {
  decodeParam,
  decodeParams,
  decodeRawParam,
  isSigned64,
  PPM_AF_INET,
  PPM_AF_INET6,
  PPM_AF_UNIX,
  paramTypeWidth,
} from './decode.js';
export { BPF_DYN, dynParamTypes, KEYCTL_DYN, PTRACE_DYN, SOCKOPT_DYN } from './dyn.js';
export { type EncodableEvent, EventEncoder, encodeEvent, encodeParamBytes } from './encode.js';
export {
  formatIpv4,
  formatIpv6Ntop,
  formatIpv6Sysdig,
  isIpv4MappedIpv6,
  parseIpv4Text,
  parseIpv6Text,
} from './ip.js';
export { isSockAddrOrTuple, renderSockaddr, renderSocktuple } from './render.js';
export { sanitizeString } from './sanitize.js';
export { AF, SocketTuple, socketAddressText, socketTupleText } from './sockaddr.js';
export type { DynValue, FdListEntry, ParamValue, SockAddr, SockTuple } from './types.js';
export { paramInt, paramUint, splitNulList } from './values.js';
