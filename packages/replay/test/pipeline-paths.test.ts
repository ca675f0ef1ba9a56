// The pipeline's shortcuts change nothing it prints. On the ten shared captures:
// - the state-only path (events of types the filter cannot match skip the filter and the sink) prints
//   what running the filter on every event prints, with sysdig's default line, -j and the state format;
// - a chisel that declares its event types reports what it reports when it sees every event;
// - a time range prints exactly the lines of the full replay whose events fall inside it;
// - a generic event whose system call id the filter can match still matches (sysdig's lines for it);
// and the event-type analysis is sound: over real events, a filter never matches an event of a type it
// ruled out (a property over random filters).
import { createReadStream, readFileSync } from 'node:fs';
import {
  type CaptureRecord,
  EVENT_MAX,
  eventIdsByName,
  readSysdigCapture,
  SYSCALL_NAMES,
} from '@scapkit/scap-format';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { genericSlot } from '../src/filter/event-types.js';
import {
  ChiselSink,
  compileFilter,
  createChiselRun,
  createFieldRegistry,
  EventTypeSearchError,
  filterEventTypes,
  loadChisel,
  Pipeline,
  PrintSink,
  parseFilter,
  StateEngine,
  type TimeRange,
} from '../src/index.js';
import { CAPTURES, expected, records, STATE_FORMAT, WITH_EXPECTED } from './support/replay-capture.js';

/** The records of a capture, read once and kept (batches not reused). */
const cache = new Map<string, CaptureRecord[]>();
async function recordsOf(name: string): Promise<CaptureRecord[]> {
  let r = cache.get(name);
  if (!r) {
    r = [];
    for await (const rec of readSysdigCapture(createReadStream(`${CAPTURES}/${name}.scap`))) r.push(rec);
    cache.set(name, r);
  }
  return r;
}

async function print(
  name: string,
  opts: { filter?: string; predicate?: boolean; format?: string; json?: boolean; timeRange?: TimeRange },
): Promise<string[]> {
  const registry = createFieldRegistry();
  const out: string[] = [];
  const sink = new PrintSink({ registry, format: opts.format, json: opts.json, write: (l) => out.push(l) });
  const compiled = opts.filter ? compileFilter(opts.filter, registry) : undefined;
  const p = new Pipeline({
    sink,
    // A predicate hides the filter from the pipeline: every event goes through it (no state-only path).
    filter: compiled && opts.predicate ? (ctx) => compiled.match(ctx) : compiled,
    timeRange: opts.timeRange,
  });
  for (const rec of await recordsOf(name)) p.push(rec);
  return out;
}

const FILTERS = [
  'evt.type=openat and proc.name=cat',
  'evt.type in (read, write, sendto, recvfrom)',
  'evt.dir=< and evt.failed=true',
  'not evt.type=switch',
  'evt.is_io=true and fd.type=file',
  'evt.type=execve or evt.type=clone',
  'evt.type!=read and evt.dir=>',
  'evt.type=procinfo',
  // Generic events (sample, curl_google and cat_write carry these system calls only as generic events).
  'evt.type=clock_gettime',
  'evt.type in (arch_prctl, exit_group, epoll_pwait, openat) and evt.dir=<',
  'not evt.type=clock_gettime and evt.dir=>',
  'evt.type!=epoll_pwait and proc.name=sysdig',
];
const OUTPUTS = [{}, { json: true }, { format: STATE_FORMAT }];

describe('the state-only path prints what evaluating every event prints', () => {
  for (const name of WITH_EXPECTED) {
    it(name, async () => {
      for (const filter of FILTERS) {
        for (const o of OUTPUTS) {
          const fast = await print(name, { filter, ...o });
          const slow = await print(name, { filter, predicate: true, ...o });
          expect(fast, `${filter} ${JSON.stringify(o)}`).toEqual(slow);
        }
      }
    });
  }

  it('the analysis leaves out the types a filter cannot match, and keeps generic syscalls where they may', () => {
    const registry = createFieldRegistry();
    const types = (f: string) => compileFilter(f, registry).eventTypes;
    const ids = (n: string) => eventIdsByName(n).filter((id) => id > 1);
    const set = (s: Uint8Array) => [...s.keys()].filter((t) => s[t] === 1);
    expect(set(types('evt.type=openat and proc.name=python3'))).toEqual(
      [0, 1, ...ids('openat')].sort((a, b) => a - b),
    );
    // A generic event's evt.type is the syscall it carries, which the type alone does not tell; but it is
    // never a name no system call has (switch is a scheduler event).
    expect(set(types('evt.type=getpid'))).toEqual([0, 1]);
    expect(set(types('evt.type=switch'))).toEqual(ids('switch'));
    const certain = compileFilter('evt.type!=switch', registry).certainTypes;
    expect(certain?.[0] === 1 && certain[1] === 1 && ids('switch').every((t) => certain[t] === 0)).toBe(true);
    expect(set(types('evt.dir=<')).every((t) => t % 2 === 1)).toBe(true);
    const notRead = types('not evt.type=read');
    expect(ids('read').every((t) => notRead[t] === 0)).toBe(true);
    expect(notRead[0]).toBe(1); // a generic event may be any other syscall
    // A field the type does not decide: any type.
    expect(set(types('proc.name=cat')).length).toBe(EVENT_MAX);
    expect(set(types('evt.type contains open')).length).toBe(EVENT_MAX);
  });
});

describe('generic events are decided by the system call id they carry', () => {
  const registry = createFieldRegistry();
  const id = (n: string) => SYSCALL_NAMES.indexOf(n);
  /** The system call names whose generic events (of `type`) a filter can match. */
  const names = (f: string, type: number) => {
    const g = compileFilter(f, registry).genericIds;
    return SYSCALL_NAMES.filter((n, k) => n !== 'unknown' && g?.[genericSlot(type, k)] === 1);
  };

  it('keeps exactly the ids whose name (as evt.type renders it) the filter can match', () => {
    // openat has events of its own, but a generic event carrying its id would show `openat`: kept.
    expect(names('evt.type=openat and proc.name=python3', 0)).toEqual(['openat']);
    expect(names('evt.type in (clock_gettime, getpid)', 1)).toEqual(['getpid', 'clock_gettime']);
    expect(names('evt.type=clock_gettime and evt.dir=<', 0)).toEqual([]);
    expect(names('not evt.type=clock_gettime', 0)).toEqual(
      SYSCALL_NAMES.filter((n) => n !== 'unknown' && n !== 'clock_gettime'),
    );
    expect(names('proc.name=cat', 0).length).toBe(SYSCALL_NAMES.length - 1);
    // An id past the table or without a name shows `<unknown>`; an event without its id, its own name.
    const g = compileFilter('evt.type=clock_gettime', registry).genericIds;
    expect([
      g?.[genericSlot(0, id('unknown'))],
      g?.[genericSlot(0, 100000)],
      g?.[genericSlot(0, -1)],
    ]).toEqual([0, 0, 0]);
    const all = compileFilter('evt.type!=clock_gettime', registry).genericIds;
    expect([all?.[genericSlot(1, 100000)], all?.[genericSlot(1, -1)]]).toEqual([1, 1]);
  });

  it('a generic event of a kept id matches as in sysdig', async () => {
    // sysdig's state-format lines (captures/expected) of the events whose evt.type is clock_gettime, a
    // system call curl_google carries only in generic events: their evt.num, type and direction.
    const want = (expected('curl_google', 'state.txt') ?? '')
      .split('\n')
      .map((l) => l.split('|').slice(0, 3).join(' '))
      .filter((l) => l.split(' ')[1] === 'clock_gettime');
    expect(want.length).toBe(188);
    const format = '%evt.num %evt.type %evt.dir';
    expect(await print('curl_google', { filter: 'evt.type=clock_gettime', format })).toEqual(want);
  });
});

describe("the same analysis under Falco's rule index policy (libs' names_to_event_set)", () => {
  const types = (f: string) => filterEventTypes(parseFilter(f), () => undefined, { falcoIndex: true });
  const set = (s: Uint8Array) => [...s.keys()].filter((t) => s[t] === 1);
  const ids = (n: string) => eventIdsByName(n).filter((id) => id > 1);

  it('names the events of evt.type checks; generic events only for a syscall without events of its own', () => {
    expect(set(types('evt.type=openat and proc.name=python3'))).toEqual(ids('openat'));
    expect(set(types('evt.type in (getpid, openat)'))).toEqual([0, 1, ...ids('openat')]);
    expect(set(types('syscall.type=getpid'))).toEqual([0, 1]);
    const notRead = types('not evt.type=read');
    expect(set(notRead)).toEqual(set(types('evt.type!=read')));
    expect(ids('read').every((t) => notRead[t] === 0) && notRead[0] === 1).toBe(true);
    // Only evt.type narrows (Falco warns of a rule on evt.dir alone as matching every type).
    expect(set(types('evt.dir=< and proc.name=cat')).length).toBe(EVENT_MAX);
    expect(set(types('not (evt.type=open and proc.name=cat)')).length).toBe(EVENT_MAX);
  });

  it('decides evt.num checks no event or every event passes, and evt.type exists, in both policies', () => {
    const registry = createFieldRegistry();
    for (const t of [types, (f: string) => compileFilter(f, registry).eventTypes]) {
      expect(set(t('evt.num=0 and evt.type=open'))).toEqual([]);
      expect(set(t('evt.num in ()'))).toEqual([]);
      expect(set(t('evt.type=open or evt.num>0')).length).toBe(EVENT_MAX);
      expect(set(t('not evt.type exists'))).toEqual([]);
    }
  });

  it('refuses what the search cannot read, where a filter just keeps every type', () => {
    for (const f of [
      'tolower(evt.type)=open',
      'evt.type=val(proc.name)',
      'evt.type exists and len(evt.type)=4',
    ])
      expect(() => types(f), f).toThrow(EventTypeSearchError);
    expect(set(compileFilter('tolower(evt.type)=open', createFieldRegistry()).eventTypes).length).toBe(
      EVENT_MAX,
    );
  });
});

describe('a chisel that declares its event types reports what it reports seeing every event', () => {
  for (const [chisel, args, filter] of [
    ['topfiles_bytes', [], undefined],
    ['topfiles_bytes', [], 'proc.name=cat'],
    ['topscalls', [], undefined],
    ['fdbytes_by', ['fd.name'], undefined],
    ['topprocs_net', [], undefined],
  ] as const) {
    it(`${chisel} ${args.join(' ')} ${filter ?? ''}`, async () => {
      for (const name of WITH_EXPECTED) {
        const run = async (skip: boolean) => {
          const registry = createFieldRegistry();
          const c = await loadChisel(chisel, [...args], { registry });
          const out: string[] = [];
          if (skip) {
            const r = createChiselRun(c, { write: (l) => out.push(l), filter, registry });
            for (const rec of await recordsOf(name)) r.push(rec);
            r.end();
            // The events it was handed, those of types it skips included (the state-only path counts them).
            out.push(`handled ${r.sink.handled}`);
          } else {
            // The sink without its pipeline: no declared types, every event handed to it.
            const state = new StateEngine();
            const sink = new ChiselSink(c, (l) => out.push(l), state);
            expect(sink.eventTypes).toBeUndefined();
            const q = new Pipeline({ sink, state, filter, registry, showInternal: true });
            for (const rec of await recordsOf(name)) q.push(rec);
            sink.end();
            out.push(`handled ${sink.handled}`);
          }
          return out;
        };
        expect(await run(true), name).toEqual(await run(false));
      }
    });
  }
});

describe('a time range prints exactly the full replay lines of the events inside it', () => {
  for (const name of WITH_EXPECTED) {
    it(name, async () => {
      const stamps = (await print(name, { format: '%evt.num %evt.rawtime' })).map((l) => l.split(' '));
      if (stamps.length === 0) return;
      const tsOf = new Map(stamps.map(([n, ts]) => [n!, BigInt(ts!)]));
      const times = [...tsOf.values()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const at = (f: number) => times[Math.min(times.length - 1, Math.floor(f * times.length))]!;
      const ranges: TimeRange[] = [
        { fromNs: at(0), toNs: at(1) },
        { fromNs: at(0.3), toNs: at(0.31) },
        { fromNs: at(0.5), toNs: at(0.9) },
        { fromNs: at(0.99), toNs: at(1) + 1_000_000_000n },
        { fromNs: 0n, toNs: at(0.1) },
        { fromNs: at(0.5) + 1n, toNs: at(0.5) + 1n },
      ];
      for (const o of OUTPUTS) {
        const json = 'json' in o;
        const full = records((await print(name, o)).join('\n'), json);
        for (const r of ranges) {
          const want = full.filter((line) => {
            const num = json ? String(JSON.parse(line)['evt.num']) : /^\d+/.exec(line)![0];
            const ts = tsOf.get(num)!;
            return ts >= r.fromNs && ts <= r.toNs;
          });
          const got = records((await print(name, { ...o, timeRange: r })).join('\n'), json);
          expect(got, `${r.fromNs}..${r.toNs} ${JSON.stringify(o)}`).toEqual(want);
        }
      }
    });
  }
});

describe('the event-type analysis is sound on real events', () => {
  it('a random filter never matches an event of a type, or a generic event of a call id, it ruled out', async () => {
    const registry = createFieldRegistry();
    const events: CaptureRecord[] = [];
    for (const name of ['cat_write', 'curl_google', '502Error', 'privileged'])
      events.push(...(await recordsOf(name)));
    const names = [
      'open',
      'openat',
      'read',
      'write',
      'close',
      'execve',
      'clone',
      'switch',
      'sendto',
      'procinfo',
      // Only in generic events in these captures.
      'clock_gettime',
      'arch_prctl',
      'rt_sigaction',
      'exit_group',
    ];
    const atom = fc.oneof(
      fc.constantFrom(...names).map((n) => `evt.type=${n}`),
      fc.constantFrom(...names).map((n) => `evt.type!=${n}`),
      fc.subarray(names, { minLength: 1 }).map((ns) => `evt.type in (${ns.join(', ')})`),
      fc.constantFrom(
        'evt.dir=<',
        'evt.dir=>',
        'evt.is_io=true',
        'evt.is_io_read=false',
        'evt.is_io_write=1',
      ),
      fc.constantFrom('proc.name=cat', 'fd.num>3', 'evt.failed=true', 'fd.type=file'),
    );
    const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        atom,
        fc.tuple(tie('node'), tie('node')).map(([a, b]) => `(${a} and ${b})`),
        fc.tuple(tie('node'), tie('node')).map(([a, b]) => `(${a} or ${b})`),
        tie('node').map((a) => `not (${a})`),
      ),
    })).node as fc.Arbitrary<string>;
    await fc.assert(
      fc.asyncProperty(expr, async (text) => {
        const f = compileFilter(text, registry);
        const bad: number[] = [];
        const p = new Pipeline({
          sink: { event: () => {} },
          filter: (ctx) => {
            const m = f.match(ctx);
            const t = ctx.view.type;
            if (m && t < EVENT_MAX && f.eventTypes[t] === 0) bad.push(t);
            const v = ctx.view;
            const slot = t <= 1 ? genericSlot(t, v.paramCount() > 0 ? v.paramU16(0) : -1) : -1;
            if (m && t <= 1 && f.genericIds?.[slot] !== 1) bad.push(t);
            return m;
          },
          showInternal: true,
        });
        for (const rec of events) p.push(rec);
        expect(bad, text).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

// The expected files exist for these captures: a guard that the suite above ran on real data.
it('the captures are there', () => {
  expect(readFileSync(`${CAPTURES}/cat_write.scap`).length).toBeGreaterThan(0);
});
