// Port numbers as service names (sysdig -R): sinsp's port_to_string asks libc's getservbyport for the
// port with the socket's protocol ("tcp", "udp", or any protocol when the socket has neither), and keeps
// the number when the services database has no entry. The database is handed in as the text of a
// services(5) file, so the package stays free of file access (the CLI reads /etc/services).
import { L4 } from '../state/fd.js';

export class ServiceNames {
  /** `port/proto` → name, and `port` → the first name of any protocol, in file order as getservbyport. */
  private readonly byPort = new Map<string, string>();

  /** Reads a services(5) file: `name port/protocol [aliases…] [# comment]` per line. */
  constructor(text: string) {
    for (const raw of text.split('\n')) {
      const hash = raw.indexOf('#');
      const words = (hash >= 0 ? raw.slice(0, hash) : raw).trim().split(/\s+/);
      const m = words.length >= 2 ? /^(\d+)\/(\S+)$/.exec(words[1]!) : null;
      if (!m) continue;
      const port = Number(m[1]);
      if (port > 65535) continue;
      const name = words[0]!;
      const key = `${port}/${m[2]}`;
      if (!this.byPort.has(key)) this.byPort.set(key, name);
      if (!this.byPort.has(m[1]!)) this.byPort.set(String(port), name);
    }
  }

  /** The service name of `port` for the L4 protocol `l4` (state/fd.ts L4), or the number as text. */
  port(port: number, l4: number): string {
    const proto = l4 === L4.TCP ? 'tcp' : l4 === L4.UDP ? 'udp' : '';
    return this.byPort.get(proto === '' ? String(port) : `${port}/${proto}`) ?? String(port);
  }

  /**
   * An address, tuple or socket name as sinsp writes them (`10.0.0.1:80`, `::1:5000->::1:80`) with each
   * endpoint's port as a service name. Only the digits after an endpoint's last colon are a port.
   */
  rename(text: string, l4: number): string {
    return text.replace(ENDPOINT_PORT, (_m, digits: string) => `:${this.port(Number(digits), l4)}`);
  }
}

/** `:PORT` at the end of an endpoint: before `->` or at the end of the text. */
const ENDPOINT_PORT = /:(\d+)(?=->|$)/g;
