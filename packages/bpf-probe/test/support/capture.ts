// Test support: builds the trigger helper, runs one of its commands under the probe (pid-filtered to the
// helper), and decodes every recorded event with EventView into plain objects keyed by parameter name.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  EVENT_HEADER_SIZE,
  type EventBatch,
  EventView,
  type NameTable,
  PARAM_TYPE_NAMES,
} from '@scapkit/scap-format';
import { openProbe, type Probe, type ProbeOptions, type ProbeStats } from '../../src/index.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

let triggerPath: string | undefined;
/** Compiles test/support/trigger.c once per test file. */
export function buildTrigger(): string {
  if (triggerPath) return triggerPath;
  const out = join(mkdtempSync(join(tmpdir(), 'scapkit-trigger-')), 'trigger');
  execFileSync('cc', ['-O2', '-Wall', '-o', out, here('./trigger.c'), '-lpthread'], { stdio: 'inherit' });
  triggerPath = out;
  return out;
}

export type ParamValue = number | bigint | string | Uint8Array;

export interface DecodedEvent {
  type: number;
  name: string;
  dir: '>' | '<';
  tid: number;
  ts: bigint;
  cpu: number;
  params: Record<string, ParamValue>;
  /** Raw bytes of each param, by name. */
  raw: Record<string, Uint8Array>;
}

/** Decodes one event; also checks the framing: lengths add up to the header's len, nparams as the table. */
export function decode(view: EventView): DecodedEvent {
  const info = view.info;
  if (!info) throw new Error(`event type ${view.type} unknown to the table`);
  if (view.nparams !== info.params.length) {
    throw new Error(`${info.name}: nparams ${view.nparams}, table has ${info.params.length}`);
  }
  let sum = EVENT_HEADER_SIZE + view.nparams * 2;
  const params: Record<string, ParamValue> = {};
  const raw: Record<string, Uint8Array> = {};
  for (let i = 0; i < info.params.length; i++) {
    const p = info.params[i]!;
    const len = view.paramLength(i);
    sum += len;
    raw[p.name] = view.paramBytes(i).slice();
    const type = PARAM_TYPE_NAMES[p.type]!;
    const fixed: Record<string, number> = {
      ERRNO: 8,
      FD: 8,
      PID: 8,
      INT64: 8,
      UINT64: 8,
      RELTIME: 8,
      ABSTIME: 8,
      UINT32: 4,
      INT32: 4,
      FLAGS32: 4,
      ENUMFLAGS32: 4,
      UID: 4,
      GID: 4,
      MODE: 4,
      UINT16: 2,
      FLAGS16: 2,
      ENUMFLAGS16: 2,
      SIGSET: 4,
      SYSCALLID: 2,
      UINT8: 1,
      SIGTYPE: 1,
      FLAGS8: 1,
      ENUMFLAGS8: 1,
    };
    if (len === 0) continue; // empty param: absent value
    if (fixed[type] !== undefined && fixed[type] !== len) {
      throw new Error(`${info.name}.${p.name}: ${type} with length ${len}`);
    }
    switch (type) {
      case 'ERRNO':
      case 'FD':
      case 'PID':
      case 'INT64':
        params[p.name] = view.paramI64(i);
        break;
      case 'UINT64':
      case 'RELTIME':
      case 'ABSTIME':
        params[p.name] = view.paramBigU64(i);
        break;
      case 'INT32':
        params[p.name] = view.paramI32(i);
        break;
      case 'UINT32':
      case 'FLAGS32':
      case 'ENUMFLAGS32':
      case 'UID':
      case 'GID':
      case 'MODE':
      case 'SIGSET':
        params[p.name] = view.paramU32(i);
        break;
      case 'UINT16':
      case 'FLAGS16':
      case 'ENUMFLAGS16':
      case 'SYSCALLID':
        params[p.name] = view.paramU16(i);
        break;
      case 'UINT8':
      case 'SIGTYPE':
      case 'FLAGS8':
      case 'ENUMFLAGS8':
        params[p.name] = view.paramU8(i);
        break;
      case 'CHARBUF':
      case 'FSPATH':
      case 'FSRELPATH': {
        const b = view.paramBytes(i);
        if (b[b.length - 1] !== 0) throw new Error(`${info.name}.${p.name}: string without its NUL`);
        params[p.name] = view.paramString(i);
        break;
      }
      default:
        params[p.name] = view.paramBytes(i).slice();
    }
  }
  if (sum !== view.len) throw new Error(`${info.name}: params add up to ${sum}, header len ${view.len}`);
  return {
    type: view.type,
    name: info.name,
    dir: info.dir,
    tid: view.tid,
    ts: view.ts,
    cpu: view.cpu,
    params,
    raw,
  };
}

export interface Capture {
  events: DecodedEvent[];
  /** The helper's JSON line. */
  out: Record<string, number | string>;
  pid: number;
  stats: ProbeStats;
  batches: EventBatch[];
}

/** Runs `trigger <cmd> <arg>` under a probe that records only the helper's process. */
export async function capture(cmd: string, arg?: string, options: ProbeOptions = {}): Promise<Capture> {
  const trigger = buildTrigger();
  const child = spawn(trigger, arg === undefined ? [cmd] : [cmd, arg], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const pid = child.pid!;
  let probe: Probe;
  try {
    probe = openProbe({ pids: [pid], ...options });
  } catch (e) {
    child.kill();
    throw e;
  }
  const batches: EventBatch[] = [];
  const reading = (async () => {
    for await (const b of probe) batches.push(b);
  })();
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  child.stdin!.end('go\n');
  await exited;
  await probe.close();
  await reading;
  const view = new EventView();
  const events: DecodedEvent[] = [];
  for (const b of batches) for (let i = 0; i < b.count; i++) events.push(decode(view.at(b, i)));
  const firstLine = stdout.split('\n').find((l) => l.startsWith('{')) ?? '{}';
  return { events, out: JSON.parse(firstLine), pid, stats: probe.stats(), batches };
}

export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'scapkit-probe-test-'));
}

/** stat dev and ino as the probe encodes them (userspace dev_t). */
export function devIno(path: string): { dev: number; ino: bigint } {
  const s = statSync(path, { bigint: true });
  return { dev: Number(s.dev), ino: s.ino };
}

/** The events named `name` in direction `dir` (exit by default). */
export const only = (events: DecodedEvent[], name: string, dir: '>' | '<' = '<') =>
  events.filter((e) => e.name === name && e.dir === dir);

/** The OR of the values `names` have in a libs flag table, as an unsigned 32-bit number. */
export function bits(table: NameTable, ...names: string[]): number {
  let v = 0;
  for (const n of names) {
    const i = table.names.indexOf(n);
    if (i < 0) throw new Error(`${n} not in ${table.name}`);
    v |= table.values[i]!;
  }
  return v >>> 0;
}
