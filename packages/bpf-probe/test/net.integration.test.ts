// socket/bind/listen/connect/accept4/sendto/recvfrom over IPv4, IPv6 and unix sockets: addresses and
// tuples byte for byte, a refused connect, and the accept queue.
import { describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { capture, only, scratchDir } from './support/capture.js';

const SOCK_STREAM = 1;
const SOCK_CLOEXEC = 0o2000000;
const PPM_O_CLOEXEC = 1 << 12;
const ECONNREFUSED = 111;

const u16 = (v: number) => [v & 0xff, v >> 8];
const bytes = (...parts: (number | number[] | string)[]) =>
  Uint8Array.from(
    parts.flatMap((p) =>
      typeof p === 'number' ? [p] : typeof p === 'string' ? [...Buffer.from(`${p}\0`)] : p,
    ),
  );
const LO4 = [127, 0, 0, 1];
const LO6 = [...new Array(15).fill(0), 1];

describe.runIf(CAN_LOAD_PROBE)('network syscalls', () => {
  for (const [kind, family, lo] of [
    ['inet', 2, LO4],
    ['inet6', 10, LO6],
  ] as const) {
    it(`records ${kind} socket, bind, listen, connect, accept4, sendto and recvfrom`, async () => {
      const { events, out } = await capture(kind);
      const port = out.port as number;
      const cport = out.cport as number;
      const sockets = only(events, 'socket');
      expect(sockets.slice(0, 2).map((e) => e.params)).toEqual([
        { fd: out.srv, domain: family, type: SOCK_STREAM | SOCK_CLOEXEC, proto: 0, flags: PPM_O_CLOEXEC },
        { fd: out.cli, domain: family, type: SOCK_STREAM, proto: 0, flags: 0 },
      ]);
      expect(only(events, 'bind')[0]!.params).toEqual({
        res: 0,
        addr: bytes(family, lo, u16(0)),
        fd: out.srv,
      });
      expect(only(events, 'listen')[0]!.params).toEqual({ res: 0, fd: out.srv, backlog: 7 });
      const serverAddr = bytes(family, lo, u16(port));
      expect(only(events, 'connect', '>')[0]!.params).toEqual({ fd: out.cli, addr: serverAddr });
      const clientToServer = bytes(family, lo, u16(cport), lo, u16(port));
      expect(only(events, 'connect')[0]!.params).toEqual({
        res: 0,
        tuple: clientToServer,
        fd: out.cli,
        addr: serverAddr,
      });
      expect(only(events, 'accept4')[0]!.params).toEqual({
        fd: out.acc,
        tuple: clientToServer,
        queuepct: 0,
        queuelen: 0,
        queuemax: 7,
        flags: SOCK_CLOEXEC,
      });
      const ping = bytes([...Buffer.from('ping')]);
      expect(only(events, 'sendto')[0]!.params).toEqual({
        res: 4,
        data: ping,
        fd: out.cli,
        size: 4,
        tuple: clientToServer,
      });
      expect(only(events, 'recvfrom')[0]!.params).toEqual({
        res: 4,
        data: ping,
        tuple: clientToServer,
        fd: out.acc,
        size: 16,
      });
      const [accept] = only(events, 'accept');
      expect(accept!.params).toMatchObject({ fd: out.acc2, queuepct: 0, queuelen: 0, queuemax: 7 });
      expect((accept!.params.tuple as Uint8Array)[0]).toBe(family);
      if (kind === 'inet') {
        const refused = only(events, 'connect').at(-1)!; // the last one: port 1
        expect(out.refused).toBe(-ECONNREFUSED);
        expect(refused.params).toMatchObject({ res: -ECONNREFUSED, addr: bytes(2, LO4, u16(1)) });
        expect(refused.params.tuple).toBeUndefined(); // no tuple for a failed connect
      }
    });
  }

  it('records unix socket addresses and tuples (kernel socket pointers and the bound path)', async () => {
    const dir = scratchDir();
    const { events, out } = await capture('unix', dir);
    const path = out.path as string;
    expect(only(events, 'socket')[0]!.params).toMatchObject({ fd: out.srv, domain: 1 });
    expect(only(events, 'bind')[0]!.params).toEqual({ res: 0, addr: bytes(1, path), fd: out.srv });
    expect(only(events, 'connect', '>')[0]!.params).toEqual({ fd: out.cli, addr: bytes(1, path) });
    const connect = only(events, 'connect')[0]!;
    const accept = only(events, 'accept4')[0]!;
    const c = Buffer.from(connect.params.tuple as Uint8Array);
    const a = Buffer.from(accept.params.tuple as Uint8Array);
    expect(c[0]).toBe(1);
    expect(a[0]).toBe(1);
    expect(c.subarray(17).toString()).toBe(`${path}\0`);
    expect(a.subarray(17).toString()).toBe(`${path}\0`);
    const [cSrc, cDst, aSrc, aDst] = [
      c.readBigUInt64LE(1),
      c.readBigUInt64LE(9),
      a.readBigUInt64LE(1),
      a.readBigUInt64LE(9),
    ];
    // The client socket and the accepted socket are the two ends, seen from both sides.
    expect(cSrc).not.toBe(0n);
    expect(cDst).not.toBe(0n);
    expect(cSrc).not.toBe(cDst);
    expect(aSrc).toBe(cSrc);
    expect(aDst).toBe(cDst);
    expect(accept.params).toMatchObject({ fd: out.acc, queuemax: 7 });
    expect(only(events, 'recvfrom')[0]!.params).toMatchObject({ res: 4, fd: out.acc });
  });
});
