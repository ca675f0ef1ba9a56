// A TCP server and a client on 127.0.0.1, on a port the kernel picks: one connect, one accept, a few
// bytes each way, then both close. Prints `server-port client-port` so a test knows what to look for.
import net from 'node:net';

const srv = net.createServer((s) => s.end('pong'));
srv.listen(0, '127.0.0.1', () => {
  const port = srv.address().port;
  const c = net.connect(port, '127.0.0.1', () => c.write('ping'));
  c.on('data', () => {});
  c.on('close', () => {
    srv.close();
  });
  c.on('connect', () => process.stdout.write(`${port} ${c.localPort}\n`));
});
