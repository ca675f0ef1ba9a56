// Timestamps as sysdig prints them: local time of day with nanoseconds (`16:17:57.881730713`, the
// default output's evt.time / evt.outputtime) and with the date (evt.datetime). The local zone is the
// process's (tests run with TZ=UTC, as the expected outputs were produced).

import type { ByteWriter } from '../render/byte-writer.js';

const p2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function split(ns: bigint): { d: Date; frac: string } {
  const sec = ns / 1000000000n;
  const frac = String(ns - sec * 1000000000n).padStart(9, '0');
  return { d: new Date(Number(sec) * 1000), frac };
}

// formatTimeOfDay's last second: [start, end) in ns and its `HH:MM:SS.` text. Events come in time
// order, thousands per second: the Date and its local-time fields are computed once per second.
let secStart = -1n;
let secEnd = -1n;
let secText = '';

const ZEROS = '000000000';

export function formatTimeOfDay(ns: bigint): string {
  if (ns < secStart || ns >= secEnd) {
    const sec = ns / 1000000000n;
    const d = new Date(Number(sec) * 1000);
    secStart = sec * 1000000000n;
    secEnd = secStart + 1000000000n;
    secText = `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.`;
  }
  const frac = String(Number(ns - secStart));
  return secText + (frac.length < 9 ? ZEROS.slice(frac.length) + frac : frac);
}

// writeTimeOfDayWords' last second: the high word it was met with, where the second starts relative to
// that word (negative when it started in the previous one), and its `HH:MM:SS.` bytes.
let wordsHi = -1;
let wordsStart = 0;
const wordsText = new Uint8Array(9);

/** formatTimeOfDay of the timestamp `hi * 2^32 + lo` (a view's tsHi/tsLo) into `w`, without bigints per event. */
export function writeTimeOfDayWords(w: ByteWriter, hi: number, lo: number): void {
  let frac = lo - wordsStart;
  if (hi !== wordsHi || frac < 0 || frac >= 1e9) {
    const high = BigInt(hi) << 32n;
    const sec = (high + BigInt(lo)) / 1000000000n;
    const start = sec * 1000000000n;
    const d = new Date(Number(sec) * 1000);
    const text = `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.`;
    for (let i = 0; i < 9; i++) wordsText[i] = text.charCodeAt(i);
    wordsHi = hi;
    wordsStart = Number(start - high);
    frac = lo - wordsStart;
  }
  w.room(18);
  const b = w.buf;
  let p = w.pos;
  for (const c of wordsText) b[p++] = c;
  w.pos = p;
  w.padded(frac, 9);
}

/** 2^32 mod 1e9 and 2^48 mod 1e9: a timestamp's ns within its second, from its words, without a bigint. */
const C32 = 294967296;
const C48_MOD = 976710656;
/**
 * The decimal text of the timestamp `hi * 2^32 + lo` (ns since the epoch, as -j prints evt.outputtime)
 * into `w`, without a bigint: the seconds fit a double exactly, the ns within the second are computed
 * mod 1e9.
 */
export function writeEpochNsWords(w: ByteWriter, hi: number, lo: number): void {
  const ns = ((hi >>> 16) * C48_MOD + (hi & 0xffff) * C32 + lo) % 1e9;
  const sec = Math.round((hi * 4294967296 + lo - ns) / 1e9);
  if (sec === 0) {
    w.num(ns);
    return;
  }
  w.num(sec);
  w.padded(ns, 9);
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

/**
 * sysdig's -t: how evt.outputtime prints in text. `h` the time of day (the default), `a` seconds since the
 * epoch, `r` since the capture's first event, `d` the event's latency (from its enter event), `D` the time
 * since the previous event printed.
 */
export type OutputTimeFormat = 'h' | 'a' | 'r' | 'd' | 'D';

export const OUTPUT_TIME_FORMATS: readonly OutputTimeFormat[] = ['h', 'a', 'r', 'd', 'D'];

/** The parts of the context formatOutputTime reads (a ReplayContext). */
interface TimeContext {
  readonly view: { readonly tsHi: number; readonly tsLo: number };
  readonly firstTsHi: number;
  readonly firstTsLo: number;
  readonly prevTsHi: number;
  readonly prevTsLo: number;
  readonly hasPrev: boolean;
  readonly state: { readonly thread: { readonly latency: number } | undefined };
}

const TWO32 = 4294967296;

/** `S.NNNNNNNNN` of a duration in ns. */
function secondsText(ns: number): string {
  const frac = String(ns % 1e9);
  return `${Math.floor(ns / 1e9)}.${frac.length < 9 ? ZEROS.slice(frac.length) + frac : frac}`;
}

/**
 * evt.outputtime of the current event in a -t form other than `h`, as sinsp writes it: `a` prints the
 * nanoseconds without leading zeros (to_string), the others zero-pad them to nine digits (%09llu).
 */
export function formatOutputTime(mode: Exclude<OutputTimeFormat, 'h'>, ctx: TimeContext): string {
  const v = ctx.view;
  switch (mode) {
    case 'a': {
      const ns = (BigInt(v.tsHi) << 32n) + BigInt(v.tsLo);
      return `${ns / 1000000000n}.${ns % 1000000000n}`;
    }
    case 'r':
      return secondsText((v.tsHi - ctx.firstTsHi) * TWO32 + (v.tsLo - ctx.firstTsLo));
    case 'd': {
      const t = ctx.state.thread;
      return t ? secondsText(t.latency) : '0.000000000';
    }
    case 'D':
      return ctx.hasPrev
        ? secondsText((v.tsHi - ctx.prevTsHi) * TWO32 + (v.tsLo - ctx.prevTsLo))
        : '0.000000000';
  }
}
