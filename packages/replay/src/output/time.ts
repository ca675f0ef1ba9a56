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

/** `2016-08-04T16:17:57.881730713+0000`: evt.time.iso8601, local time with its offset. */
export function formatIso8601(ns: bigint): string {
  const { d, frac } = split(ns);
  const off = -d.getTimezoneOffset();
  const tz = `${off < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(off) / 60))}${p2(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${frac}${tz}`;
}

/**
 * sysdig's human-readable durations: two decimals (truncated) below ten units, whole units above:
 * `653ns`, `3.12us`, `17us`, `1.50ms`, `250ms`, `2.00s`, `12s`.
 */
export function formatDurationHuman(ns: number): string {
  if (ns < 1000) return `${ns}ns`;
  const [unit, div] = ns < 1e6 ? ['us', 1e3] : ns < 1e9 ? ['ms', 1e6] : ['s', 1e9];
  const whole = Math.floor(ns / div);
  if (whole >= 10) return `${whole}${unit}`;
  const cents = Math.floor((ns % div) / (div / 100));
  return `${whole}.${cents < 10 ? `0${cents}` : cents}${unit}`;
}

export function formatDateTime(ns: bigint): string {
  const { d, frac } = split(ns);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${frac}`;
}
