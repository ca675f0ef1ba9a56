// Timestamps as sysdig prints them: local time of day with nanoseconds (`16:17:57.881730713`, the
// default output's evt.time / evt.outputtime) and with the date (evt.datetime). The local zone is the
// process's (tests run with TZ=UTC, as the expected outputs were produced).

const p2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function split(ns: bigint): { d: Date; frac: string } {
  const sec = ns / 1000000000n;
  const frac = String(ns - sec * 1000000000n).padStart(9, '0');
  return { d: new Date(Number(sec) * 1000), frac };
}

export function formatTimeOfDay(ns: bigint): string {
  const { d, frac } = split(ns);
  return `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${frac}`;
}

export function formatDateTime(ns: bigint): string {
  const { d, frac } = split(ns);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${frac}`;
}
