// connections: every network connection in a capture with the bytes read and written on it, most
// traffic first, like sysdig's `topconns` chisel but split by direction:
//
//   node examples/dist/connections.js CAPTURE
//   # In      Out       Proto  Process   Connection
//   1303      436       tcp    curl      192.168.1.2:54872->216.58.1.4:443
//
// Bytes are the return values of the read and write family (read, recvfrom, sendmsg, …) on IPv4 and IPv6
// sockets. The connection tuple and process name come from the state engine, which rebuilt the fd tables
// from socket, connect and accept events (or from the capture's initial fd list).

import { compileFilter, createFieldRegistry, Pipeline } from '@scapkit/replay';
import { openCaptureFile } from '@scapkit/scap-format/node';
import { type Output, runIfMain, UsageError } from './cli.js';

interface Conn {
  proto: string;
  proc: string;
  bytesIn: number;
  bytesOut: number;
}

export async function main(args: string[], out: Output): Promise<void> {
  const [path] = args;
  if (!path) throw new UsageError('usage: connections CAPTURE');

  const fields = createFieldRegistry();
  const fdName = fields.resolve('fd.name');
  const proto = fields.resolve('fd.l4proto');
  const procName = fields.resolve('proc.name');
  const isRead = fields.resolve('evt.is_io_read');
  const res = fields.resolve('evt.rawres');
  // Successful I/O exits on IP sockets only: the filter runs against the state engine's fd table.
  const io = compileFilter(
    'evt.is_io=true and evt.dir=< and fd.type in (ipv4, ipv6) and evt.rawres>0',
    fields,
  );
  const conns = new Map<string, Conn>();

  await new Pipeline({
    filter: io,
    sink: {
      event(ctx) {
        const name = String(fdName.get(ctx) ?? '<NA>');
        let c = conns.get(name);
        if (!c) {
          c = {
            proto: String(proto.get(ctx) ?? '<NA>'),
            proc: String(procName.get(ctx) ?? '<NA>'),
            bytesIn: 0,
            bytesOut: 0,
          };
          conns.set(name, c);
        }
        const n = Number(res.get(ctx));
        if (isRead.get(ctx) === true) c.bytesIn += n;
        else c.bytesOut += n;
      },
    },
  }).run(openCaptureFile(path));

  out.write(`${'# In'.padEnd(10)}${'Out'.padEnd(10)}${'Proto'.padEnd(7)}${'Process'.padEnd(16)}Connection\n`);
  const rows = [...conns].sort(
    (a, b) =>
      b[1].bytesIn + b[1].bytesOut - (a[1].bytesIn + a[1].bytesOut) ||
      (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  for (const [name, c] of rows) {
    out.write(
      `${String(c.bytesIn).padEnd(10)}${String(c.bytesOut).padEnd(10)}${c.proto.padEnd(7)}${c.proc.padEnd(16)}${name}\n`,
    );
  }
}

runIfMain(import.meta.url, main);
