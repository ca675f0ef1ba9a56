// @ts-check
// The rule every fuzz input is held to: it goes through the whole reader (every record, every event's
// parameters decoded) and, when @scapkit/replay is there, through the replay pipeline (state engine,
// a filter, the default line or JSON formatter); the only errors allowed out are ScapFormatError and its
// subclasses. The readers are injected (`Deps`), so the same code runs against the built packages
// (fuzz/run.mjs) and against the TypeScript sources (the vitest fuzz test).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * @typedef {{
 *   readSysdigCapture: (input: AsyncIterable<Uint8Array>, opts?: any) => AsyncIterable<any>,
 *   gunzip?: any,
 *   readScapkit: (input: AsyncIterable<Uint8Array>, opts?: any) => AsyncIterable<any>,
 *   EventView: new () => any,
 *   decodeParams: (view: any) => unknown[],
 *   ScapFormatError: new (...a: any[]) => Error,
 *   nativeCodecs?: any[],
 *   openCapture?: (input: AsyncIterable<Uint8Array>, opts?: any) => AsyncIterable<any>,
 *   recoverScapkit?: (input: AsyncIterable<Uint8Array>, sink: any, opts?: any) => Promise<{ eventsKept: number }>,
 *   MemorySink?: new () => { bytes(): Uint8Array },
 *   IndexedScapkitReader?: { open(path: string, opts?: any): Promise<any> },
 *   replay?: {
 *     Pipeline: new (opts: any) => { run(stream: AsyncIterable<any>): Promise<any> },
 *     PrintSink: new (opts: any) => any,
 *     createFieldRegistry: () => any,
 *     compileFilter: (text: string, registry: any) => { match(ctx: any): boolean },
 *   },
 * }} Deps
 * @typedef {{ status: 'ok' | 'typed' | 'fail', events: number, error?: string, signature?: string, ms?: number }} Outcome
 */

/**
 * Filters of the replay pass: none (every event formatted, so the renderers meet every parameter), and
 * filters that make the pipeline read fd, process and argument fields of every event.
 */
export const REPLAY_FILTERS = [
  '',
  'evt.type in (open, openat, read, write, connect, execve, clone) or fd.name contains /etc or evt.num > 0',
  'not evt.failed=true and (user.name = root or container.id != host or proc.aname[2] glob "*sh")',
];
/** Formats of the replay pass: the default line, a -p line of state fields, JSON. */
const REPLAY_FORMATS = [
  undefined,
  '*%evt.num %thread.tid %proc.pid %proc.ppid %proc.exe %proc.args %proc.cwd %fd.num %fd.name %fd.cip %fd.sport %user.name %group.name %container.id %evt.args',
];

/** Feeds `b` in pieces of `size` bytes (0 = all at once), as files, pipes and sockets would. @param {Uint8Array} b @param {number} size */
export async function* pieces(b, size) {
  if (size <= 0 || size >= b.length) {
    yield b;
    return;
  }
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, Math.min(b.length, i + size));
}

/**
 * A short description of where an unexpected error came from: its name and the first function of ours
 * on the stack ("TypeError@StateEngine.reset"). Function names, unlike line numbers, are the same in the
 * built packages and in the TypeScript sources, so a failure found by `npm run fuzz` matches the same
 * failure replayed by the vitest fuzz test. @param {unknown} e
 */
export function signatureOf(e) {
  if (!(e instanceof Error)) return `non-Error:${typeof e}`;
  const frames = (e.stack ?? '').split('\n').slice(1);
  const ours = frames.find((f) => /packages\//.test(f)) ?? frames[0] ?? '';
  const fn = (ours.match(/^\s*at (?:async )?([\w$.<>[\] ]+?) \(/) ?? [])[1];
  const file = (ours.match(/([\w-]+\/[\w-]+)\.[cm]?[jt]s:\d+/) ?? [])[1] ?? '?';
  return `${e.name}@${fn ?? file}`;
}

/**
 * Reads `bytes` with the target's reader through everything downstream and classifies the outcome.
 * @param {Deps} deps
 * @param {'sysdig' | 'scapkit'} format
 * @param {Uint8Array} bytes
 * @param {{ pieceSize?: number, native?: boolean, replay?: number, json?: boolean, memoryCapBytes?: number, sniff?: boolean }} [opts]
 *   replay: index of the filter to replay with (-1 or absent: no replay pass, only reader and decoders);
 *   sniff: open through openCapture (format sniffing, as the CLI does) instead of the format's reader
 * @returns {Promise<Outcome & { peakArrayBuffers?: number }>}
 */
export async function runInput(deps, format, bytes, opts = {}) {
  const input = pieces(bytes, opts.pieceSize ?? 0);
  const codecOpts = opts.native && deps.nativeCodecs ? { codecs: deps.nativeCodecs } : {};
  const stream =
    opts.sniff && deps.openCapture
      ? deps.openCapture(input, codecOpts)
      : format === 'sysdig'
        ? deps.readSysdigCapture(input, { gunzip: deps.gunzip })
        : deps.readScapkit(input, codecOpts);
  let events = 0;
  let peak = 0;
  const cap = opts.memoryCapBytes ?? Number.POSITIVE_INFINITY;
  const view = new deps.EventView();
  const decodeEvents = !(deps.replay && (opts.replay ?? -1) >= 0);
  /** Every record through the decoders, memory checked after each (the readers hold at most a block/chunk). */
  async function* tee() {
    for await (const rec of stream) {
      if (rec.kind === 'events') {
        const batch = rec.batch;
        events += batch.count;
        if (decodeEvents) {
          for (let i = 0; i < batch.count; i++) {
            view.at(batch, i);
            void view.ts;
            void view.tid;
            deps.decodeParams(view);
          }
        }
      } else if (rec.kind === 'metadata' || (rec.kind === 'checkpoint' && !rec.checkpoint.damage)) {
        // Plain data: walking it must not throw (no getters, no prototype tricks). A checkpoint's tables
        // decode on request: ask, so the decoder meets the hostile bytes too.
        const tables = rec.kind === 'metadata' ? rec.metadata : rec.checkpoint.metadata();
        JSON.stringify(tables, (_k, v) =>
          typeof v === 'bigint' ? String(v) : v instanceof Map ? [...v] : v,
        );
      }
      let ab = process.memoryUsage().arrayBuffers;
      if (ab > cap) {
        // The count includes garbage not collected yet (earlier cases' buffers): only what survives a
        // full collection counts against the cap.
        collectGarbage();
        ab = process.memoryUsage().arrayBuffers;
        if (ab > cap) {
          // Work of an earlier case may still be in flight (an inflater finishing its input): let it
          // end, collect again, and only then blame this case.
          await new Promise((resolve) => setTimeout(resolve, 100));
          collectGarbage();
          ab = process.memoryUsage().arrayBuffers;
        }
        if (ab > cap) throw new MemoryCapError(ab, cap);
      }
      if (ab > peak) peak = ab;
      yield rec;
    }
  }
  const t0 = performance.now();
  try {
    if (!decodeEvents && deps.replay) {
      const r = deps.replay;
      // The registry and the filters are compiled once per process: compiling is not what is fuzzed here.
      if (!cachedRegistry) cachedRegistry = r.createFieldRegistry();
      const registry = cachedRegistry;
      const filterText = REPLAY_FILTERS[(opts.replay ?? 0) % REPLAY_FILTERS.length];
      if (filterText && !cachedFilters[filterText])
        cachedFilters[filterText] = r.compileFilter(filterText, registry);
      const filter = filterText ? cachedFilters[filterText] : undefined;
      let lines = 0;
      const sink = new r.PrintSink({
        registry,
        format: REPLAY_FORMATS[(opts.replay ?? 0) % REPLAY_FORMATS.length],
        json: opts.json ?? false,
        write: (/** @type {string} */ s) => {
          lines += s.length > 0 ? 1 : 0;
        },
      });
      const pipeline = new r.Pipeline({
        sink,
        ...(filter ? { filter: (/** @type {any} */ ctx) => filter.match(ctx) } : {}),
      });
      await pipeline.run(tee());
      void lines;
    } else {
      for await (const _ of tee());
    }
    return { status: 'ok', events, ms: performance.now() - t0, peakArrayBuffers: peak };
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof deps.ScapFormatError) {
      return { status: 'typed', events, error: `${e.name}: ${e.message}`, ms, peakArrayBuffers: peak };
    }
    const kind = e instanceof MemoryCapError ? 'memory' : 'exception';
    return {
      status: 'fail',
      events,
      error:
        e instanceof Error
          ? `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 8).join('\n')}`
          : String(e),
      signature: kind === 'memory' ? 'memory-cap' : signatureOf(e),
      ms,
      peakArrayBuffers: peak,
    };
  }
}

/** @type {any} */
let cachedRegistry;
/** @type {Record<string, { match(ctx: any): boolean }>} */
const cachedFilters = {};

/** @type {(() => void) | undefined} */
let gcFn;
/** A full garbage collection, without --expose-gc on the command line (npm run fuzz, vitest). */
function collectGarbage() {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc');
  }
  /** @type {() => void} */ (gcFn)();
}

/** Allocation beyond the fixed cap, seen between two records. */
export class MemoryCapError extends Error {
  /** @param {number} seen @param {number} cap */
  constructor(seen, cap) {
    super(`ArrayBuffers hold ${seen} bytes, over the ${cap}-byte cap`);
    this.name = 'MemoryCapError';
  }
}

/**
 * recoverScapkit on hostile input: a typed error, or a file that reads back with no error at all and
 * holds exactly the events recover says it kept.
 * @param {Deps} deps @param {Uint8Array} bytes @param {{ pieceSize?: number, memoryCapBytes?: number }} opts
 * @returns {Promise<Outcome>}
 */
export async function runRecover(deps, bytes, opts) {
  if (!deps.recoverScapkit || !deps.MemorySink) return { status: 'ok', events: 0 };
  const sink = new deps.MemorySink();
  let kept;
  try {
    kept = (await deps.recoverScapkit(pieces(bytes, opts.pieceSize ?? 0), sink)).eventsKept;
  } catch (e) {
    if (e instanceof deps.ScapFormatError)
      return { status: 'typed', events: 0, error: `${e.name}: ${e.message}` };
    return {
      status: 'fail',
      events: 0,
      signature: `recover:${signatureOf(e)}`,
      error:
        e instanceof Error
          ? `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 8).join('\n')}`
          : String(e),
    };
  }
  const back = await runInput(deps, 'scapkit', sink.bytes(), {
    replay: -1,
    memoryCapBytes: opts.memoryCapBytes,
  });
  if (back.status === 'fail') return { ...back, signature: `recover-output:${back.signature}` };
  if (back.status === 'typed' || back.events !== kept) {
    return {
      status: 'fail',
      events: back.events,
      signature:
        back.status === 'typed'
          ? `recover-output-unreadable:${(back.error ?? '').split(':')[0]}`
          : 'recover-output-count',
      error: `recover kept ${kept} events; its output reads ${back.events} events and ${back.error ?? 'no error'}`,
    };
  }
  return { status: 'ok', events: kept };
}

/**
 * The indexed (footer-driven, seeking) reader on hostile input, through a file: open, read everything
 * through the index, read a time range, close. Only typed errors.
 * @param {Deps} deps @param {Uint8Array} bytes @param {{ path: string, rangeSeed: number }} opts
 * @returns {Promise<Outcome>}
 */
export async function runIndexed(deps, bytes, opts) {
  if (!deps.IndexedScapkitReader) return { status: 'ok', events: 0 };
  const { writeFile } = await import('node:fs/promises');
  await writeFile(opts.path, bytes);
  let r;
  let events = 0;
  try {
    r = await deps.IndexedScapkitReader.open(opts.path);
    for await (const rec of r.readAll()) if (rec.kind === 'events') events += rec.batch.count;
    // a range around the middle of the index (or an arbitrary one): partial chunks, metadata in force
    const chunks = r.chunks ?? [];
    const mid = chunks.length ? chunks[opts.rangeSeed % chunks.length] : undefined;
    const from = mid ? mid.firstTs : BigInt(opts.rangeSeed);
    const to = mid ? mid.lastTs + BigInt(opts.rangeSeed % 1000) : from + 1000n;
    r.chunksInRange(from, to);
    for await (const rec of r.readRange(from, to)) if (rec.kind === 'events') events += rec.batch.count;
    // and a replay's way in: the last checkpoint before the range, or the start
    if (r.readFromCheckpoint) {
      for await (const rec of r.readFromCheckpoint(from, to)) {
        if (rec.kind === 'events') events += rec.batch.count;
        else if (rec.kind === 'checkpoint') rec.checkpoint.metadata();
      }
    }
    return { status: 'ok', events };
  } catch (e) {
    if (e instanceof deps.ScapFormatError)
      return { status: 'typed', events, error: `${e.name}: ${e.message}` };
    return {
      status: 'fail',
      events,
      signature: `indexed:${signatureOf(e)}`,
      error:
        e instanceof Error
          ? `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 8).join('\n')}`
          : String(e),
    };
  } finally {
    await r?.close();
  }
}
