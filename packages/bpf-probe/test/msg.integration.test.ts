// sendmsg/recvmsg/sendmmsg/recvmmsg over unconnected UDP (the tuple's peer comes from msg_name), and
// getsockopt/setsockopt with each kind of DYN value, checked byte for byte.
import { type NameTable, SOCKOPT_LEVELS, SOCKOPT_OPTIONS } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { capture, only } from './support/capture.js';

const EBADF = 9;
const u16 = (v: number) => [v & 0xff, v >> 8];
const LO4 = [127, 0, 0, 1];
const bytes = (...parts: (number | number[] | string)[]) =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'number' ? [p] : typeof p === 'string' ? [...Buffer.from(p)] : p)),
  );
const u32le = (v: number) => [...Buffer.from(Uint32Array.of(v).buffer)];
const i64le = (v: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(v);
  return [...b];
};
/** A PPM_* code by its name, from scap-format's copy of libs' name tables. */
function lookup(table: NameTable, name: string): number {
  const i = table.names.indexOf(name);
  if (i < 0) throw new Error(`${name} not in ${table.name}`);
  return table.values[i]!;
}

describe.runIf(CAN_LOAD_PROBE)('message and socket option syscalls', () => {
  it('records UDP sendmsg/recvmsg/sendmmsg/recvmmsg with data, tuples and ancillary data', async () => {
    const { events, out } = await capture('msg');
    const a = out.a as number;
    const b = out.b as number;
    // a (127.0.0.1:aport) -> b (127.0.0.1:bport); the receiver sees remote -> local, the same direction.
    const tuple = bytes(2, LO4, u16(out.aport as number), LO4, u16(out.bport as number));
    expect(out.sendmsg).toBe(11);
    expect(only(events, 'sendmsg')[0]!.params).toEqual({
      res: 11,
      data: bytes('hello world'),
      fd: a,
      size: 11,
      tuple,
    });
    const recvmsgs = only(events, 'recvmsg');
    expect(recvmsgs[0]!.params).toEqual({
      res: 11,
      size: 11,
      data: bytes('hello world'),
      tuple,
      msgcontrol: Uint8Array.from(Buffer.from(out.ctl as string, 'hex')),
      fd: b,
    });
    // A failed recvmsg: the error, no data.
    expect(recvmsgs[1]!.params).toEqual({ res: -EBADF, size: 0, fd: 9999 });

    // One event per message.
    const smm = only(events, 'sendmmsg');
    expect(smm.map((e) => e.params)).toEqual([
      { res: 3, fd: a, size: 3, data: bytes('one'), tuple },
      { res: 5, fd: a, size: 5, data: bytes('three'), tuple },
      { res: -EBADF, fd: 9999, size: 0 },
    ]);
    // sendto/recvfrom on the same unconnected sockets: the peer comes from dest_addr / src_addr.
    expect(out.sendto).toBe(4);
    expect(only(events, 'sendto')[0]!.params).toEqual({ res: 4, data: bytes('ping'), fd: a, size: 4, tuple });
    expect(only(events, 'recvfrom')[0]!.params).toEqual({
      res: 4,
      data: bytes('ping'),
      tuple,
      fd: b,
      size: 64,
    });
    const LO6 = [...new Array(15).fill(0), 1];
    const tuple6 = bytes(10, LO6, u16(out.a6port as number), LO6, u16(out.b6port as number));
    expect(out.st6).toBe(5);
    expect(only(events, 'sendto')[1]!.params).toEqual({
      res: 5,
      data: bytes('pong6'),
      fd: out.a6,
      size: 5,
      tuple: tuple6,
    });
    expect(only(events, 'recvfrom')[1]!.params).toEqual({
      res: 5,
      data: bytes('pong6'),
      tuple: tuple6,
      fd: out.b6,
      size: 64,
    });
    const rmm = only(events, 'recvmmsg');
    expect(rmm.map((e) => e.params)).toEqual([
      { res: 3, fd: b, size: 3, data: bytes('one'), tuple },
      { res: 5, fd: b, size: 5, data: bytes('three'), tuple },
    ]);
  });

  it('cuts message data at the snaplen', async () => {
    const { events } = await capture('msg', undefined, { snaplen: 4 });
    expect(only(events, 'sendmsg')[0]!.params).toMatchObject({ res: 11, data: bytes('hell'), size: 11 });
    expect(only(events, 'recvmsg')[0]!.params).toMatchObject({ res: 11, data: bytes('hell'), size: 11 });
    expect(
      only(events, 'sendmmsg')
        .slice(0, 2)
        .map((e) => e.params.data),
    ).toEqual([bytes('one'), bytes('thre')]);
    expect(only(events, 'recvmmsg').map((e) => e.params.data)).toEqual([bytes('one'), bytes('thre')]);
  });

  it('records setsockopt/getsockopt with level, option and the typed value', async () => {
    const { events, out } = await capture('msg');
    const a = out.a as number;
    const SOL_SOCKET = lookup(SOCKOPT_LEVELS, 'SOL_SOCKET');
    const SOL_TCP = lookup(SOCKOPT_LEVELS, 'SOL_TCP');
    const so = (n: string) => lookup(SOCKOPT_OPTIONS, n);
    const sets = only(events, 'setsockopt').filter((e) => e.params.fd === a || e.params.fd === out.t);
    expect(sets.map((e) => e.params)).toEqual([
      // DYN index 2 = UINT32
      { res: 0, fd: a, level: SOL_SOCKET, optname: so('SO_REUSEADDR'), val: bytes(2, u32le(1)), optlen: 4 },
      // DYN index 4 = RELTIME (ns) from the timeval {1 s, 500000 us}
      {
        res: 0,
        fd: a,
        level: SOL_SOCKET,
        optname: so('SO_RCVTIMEO'),
        val: bytes(4, i64le(1_500_000_000n)),
        optlen: 16,
      },
      // Other levels: UNKNOWN option, DYN index 0 = the raw bytes
      { res: 0, fd: out.t, level: SOL_TCP, optname: 0, val: bytes(0, u32le(1)), optlen: 4 },
    ]);
    const gets = only(events, 'getsockopt');
    expect(gets.map((e) => e.params)).toEqual([
      {
        res: 0,
        fd: a,
        level: SOL_SOCKET,
        optname: so('SO_RCVBUF'),
        val: bytes(2, u32le(out.rcvbuf as number)),
        optlen: 4,
      },
      // DYN index 1 = ERRNO (the pending error, negated: none here)
      { res: 0, fd: a, level: SOL_SOCKET, optname: so('SO_ERROR'), val: bytes(1, i64le(0n)), optlen: 4 },
      {
        res: -EBADF,
        fd: 9999,
        level: SOL_SOCKET,
        optname: so('SO_TYPE'),
        val: bytes(2, u32le(0)),
        optlen: 4,
      },
    ]);
  });
});
