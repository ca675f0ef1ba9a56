// The allow-list of the golden tests: each entry is one documented difference between sysdig 0.29.3 and
// scapkit (docs/differences-from-sysdig.md), written as a rewrite of the *expected* line into what scapkit
// prints instead. A line passes only if it is equal to sysdig's, or equal after these rewrites; an entry
// that rewrites no line of the outputs it names fails the test, so the list cannot go stale.

export type OutputKind = 'default.txt' | 'jsonl' | 'state.txt';

export interface KnownDifference {
  readonly id: string;
  /** Why scapkit differs (the section of differences-from-sysdig.md). */
  readonly reason: string;
  /** The outputs it must rewrite at least one line of: `capture/kind`. */
  readonly appliesTo: readonly string[];
  /** The expected line as scapkit prints it, or the line unchanged when the entry does not apply. */
  rewrite(expected: string, kind: OutputKind): string;
}

const TWO32 = 2n ** 32n;
const GID = 12; // state.txt column of %group.gid
const CIP = 16;
const SIP = 18;
const HAPROXY_SYSDIG = '192.168.128.156:55441->145.216.3.255:';
const HAPROXY_SCAPKIT = '127.0.0.1:55441->127.0.0.1:';

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: 'gid-reads-nchilds',
    reason: 'sysdig 0.29.3 reads group.gid as 64 bits and adds the thread child count × 2^32 (section 1)',
    appliesTo: ['curl_google/state.txt', '502Error/state.txt'],
    rewrite(line, kind) {
      if (kind !== 'state.txt') return line;
      const f = line.split('|');
      const g = f[GID];
      if (g === undefined || !/^\d+$/.test(g) || BigInt(g) < TWO32) return line;
      f[GID] = String(BigInt(g) % TWO32);
      return f.join('|');
    },
  },
  {
    id: 'haproxy-udp-union',
    reason:
      'sysdig 0.29.3 builds the destination of a converted UDP server socket from union bytes (section 2); ' +
      'the port is 514, or syslog under -R',
    appliesTo: ['502Error/default.txt', '502Error/jsonl', '502Error/state.txt'],
    rewrite(line, kind) {
      if (!line.includes(HAPROXY_SYSDIG)) return line;
      const out = line.split(HAPROXY_SYSDIG).join(HAPROXY_SCAPKIT);
      if (kind !== 'state.txt') return out;
      const f = out.split('|');
      if (f[CIP] === '192.168.128.156') f[CIP] = '127.0.0.1';
      if (f[SIP] === '145.216.3.255') f[SIP] = '127.0.0.1';
      return f.join('|');
    },
  },
];
