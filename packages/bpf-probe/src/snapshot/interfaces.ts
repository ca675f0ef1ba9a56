// Network interfaces of the recorder's network namespace, as libscap's interface list has them: one entry
// per address, IPv4 with its netmask and broadcast address, IPv6 with its netmask.
import { networkInterfaces } from 'node:os';
import type { InterfaceInfo } from '@scapkit/scap-format';
import type { ProcFs } from './procfs.js';

/** IFF_BROADCAST (linux/if.h): only such interfaces have a broadcast address (getifaddrs' ifa_broadaddr). */
const IFF_BROADCAST = 0x2;

export function readInterfaces(fs: ProcFs, sysDir: string): InterfaceInfo[] {
  const out: InterfaceInfo[] = [];
  const ipv6: InterfaceInfo[] = [];
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (!addrs) continue;
    let broadcast: boolean | undefined;
    for (const a of addrs) {
      if (a.family === 'IPv4') {
        broadcast ??=
          (Number(fs.read(`${sysDir}/class/net/${name}/flags`)?.trim() ?? 0) & IFF_BROADCAST) !== 0;
        const bcast = broadcast ? ipv4Broadcast(a.address, a.netmask) : '0.0.0.0';
        out.push({ name, family: 'ipv4', addr: a.address, netmask: a.netmask, bcast });
      } else {
        ipv6.push({ name, family: 'ipv6', addr: a.address, netmask: a.netmask, bcast: '::' });
      }
    }
  }
  // libscap lists every IPv4 address before the IPv6 ones.
  return out.concat(ipv6);
}

function ipv4Broadcast(addr: string, mask: string): string {
  const a = addr.split('.').map(Number);
  const m = mask.split('.').map(Number);
  // Both are dotted quads from os.networkInterfaces().
  return a.map((v, i) => (v | (~(m[i] ?? 0) & 0xff)) & 0xff).join('.');
}
