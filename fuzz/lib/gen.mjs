// @ts-check
// One fuzz case from (run seed, worker, index): which reader, which seed, which mutations, how the bytes
// are fed and whether the replay pass runs. Pure given the corpus, so the main thread regenerates any
// case a worker reported (a hang leaves nothing else behind) and the in-test fuzz repeats itself.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { threadId } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { GENERIC, mutate } from './mutate.mjs';
import { runIndexed, runInput, runRecover } from './oracle.mjs';
import { Rng } from './prng.mjs';

/**
 * @typedef {'sysdig' | 'scapkit' | 'filter' | 'rules'} Target
 * @typedef {{ target: Target, format?: 'sysdig' | 'scapkit', bytes?: Uint8Array, text?: string, seed: string,
 *             ops: string[], opts: { pieceSize: number, native: boolean, replay: number, json: boolean,
 *             sniff?: boolean, mode?: 'read' | 'recover' | 'indexed' } }} Case
 *   mode (scapkit): the stream reader, recoverScapkit (whose output must then read cleanly), or the
 *   indexed reader (footer, seeks)
 */

/** Which target an index of an `all` run goes to: mostly the readers, some filters. @param {Rng} rng @param {string} target @param {boolean} hasFilter */
function chooseTarget(rng, target, hasFilter, hasRules) {
  if (target !== 'all') return /** @type {Target} */ (target);
  const r = rng.int(20);
  if (hasFilter && r < 2) return 'filter';
  if (hasRules && r < 3) return 'rules';
  return r % 2 === 0 ? 'sysdig' : 'scapkit';
}

/**
 * @param {number} runSeed @param {number} worker @param {number} index
 * @param {import('./corpus.mjs').Corpus} corpus
 * @param {string} target 'sysdig' | 'scapkit' | 'filter' | 'rules' | 'all'
 * @param {{ lz4: import('./mutate.mjs').Codec, zstd?: import('./mutate.mjs').Codec, replay: boolean, fields?: readonly any[], operators?: readonly any[], genFilter?: (rng: Rng, fields: readonly any[], ops: readonly any[]) => string, ruleSeeds?: string[], genRules?: (rng: Rng, seeds: string[]) => string }} env
 * @returns {Case}
 */
export function genCase(runSeed, worker, index, corpus, target, env) {
  const rng = new Rng(runSeed, worker, index);
  const t = chooseTarget(rng, target, !!env.fields && !!env.genFilter, !!env.ruleSeeds && !!env.genRules);
  const opts = {
    pieceSize: 0,
    native: rng.chance(0.5),
    replay: env.replay && rng.chance(0.5) ? rng.int(3) : -1,
    json: rng.chance(0.3),
    sniff: rng.chance(0.2),
    /** @type {'read' | 'recover' | 'indexed'} */
    mode: 'read',
  };
  if (t === 'rules') {
    const genRules = /** @type {NonNullable<typeof env.genRules>} */ (env.genRules);
    return { target: t, text: genRules(rng, env.ruleSeeds ?? []), seed: 'generated', ops: [], opts };
  }
  if (t === 'filter') {
    const text = /** @type {NonNullable<typeof env.genFilter>} */ (env.genFilter)(
      rng,
      env.fields ?? [],
      env.operators ?? [],
    );
    return { target: t, text, seed: 'generated', ops: [], opts };
  }
  let bytes;
  let seed;
  let ops;
  if (t === 'sysdig') {
    const gz = rng.chance(0.35);
    if (gz && rng.chance(0.5)) {
      // damage the compressed stream itself: inflate errors, cut deflate blocks, bad gzip trailers
      const s = pickSeed(rng, corpus.sysdigGz);
      seed = s.name;
      const names = Object.keys(GENERIC).filter((k) => k !== 'splice');
      const name = rng.pick(names);
      bytes = GENERIC[name](rng, s.bytes, { lz4: env.lz4, zstd: env.zstd, donors: [] }) ?? s.bytes;
      ops = [`gz:${name}`];
    } else {
      const s = pickSeed(rng, corpus.sysdig);
      seed = s.name;
      const m = mutate(rng, s.bytes, 'sysdig', {
        lz4: env.lz4,
        zstd: env.zstd,
        donors: donorsOf(rng, corpus.sysdig),
      });
      bytes = m.bytes;
      ops = m.ops;
      if (gz) {
        // damage the capture, then compress it: the reader's gzip path meets the same structural damage
        bytes = new Uint8Array(gzipSync(bytes, { level: 1 }));
        ops.push('gzip');
      }
    }
  } else {
    const s = pickSeed(rng, corpus.scapkit);
    seed = s.name;
    const m = mutate(rng, s.bytes, 'scapkit', {
      lz4: env.lz4,
      zstd: env.zstd,
      donors: donorsOf(rng, corpus.scapkit),
    });
    bytes = m.bytes;
    ops = m.ops;
    const k = rng.int(10);
    opts.mode = k < 2 ? 'recover' : k < 3 ? 'indexed' : 'read';
  }
  // How the bytes arrive: at once, in tiny pieces (every boundary inside a header), or in file-sized reads.
  const r = rng.int(10);
  // (gzip inputs get no tiny pieces: each piece costs the inflater a round trip, and the piece-boundary
  // logic after it sees inflater-sized pieces anyway)
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (r >= 6)
    opts.pieceSize =
      bytes.length <= 65536 && r >= 8 && !gz
        ? rng.range(1, 64)
        : rng.pick(gz ? [16384, 65536] : [4096, 65536, rng.range(512, 100000)]);
  return { target: t, format: t, bytes, seed, ops, opts };
}

/** A seed: a slim one mostly, a big one (whole captures, bombs) for 3% of the cases. @param {Rng} rng @param {import('./corpus.mjs').Seed[]} seeds */
function pickSeed(rng, seeds) {
  const big = rng.chance(0.03);
  const pool = seeds.filter((s) => !!s.big === big);
  return rng.pick(pool.length ? pool : seeds);
}

/** Where the indexed reader's files go: memory-backed when the machine has /dev/shm. */
const tmp = () => (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

/** Two other seeds to splice from (not the whole list: cheap). @param {Rng} rng @param {{ bytes: Uint8Array }[]} seeds */
function donorsOf(rng, seeds) {
  return [rng.pick(seeds).bytes, rng.pick(seeds).bytes];
}

/**
 * Runs a reader case and, for some, the same bytes fed differently: the records must not depend on how
 * the input was cut into reads (a mismatch would lose or invent events at read boundaries).
 * @param {import('./oracle.mjs').Deps} deps @param {Case} c @param {{ memoryCapBytes?: number, differential?: boolean }} [o]
 * @returns {Promise<import('./oracle.mjs').Outcome>}
 */
export async function runCase(deps, c, o = {}) {
  const bytes = /** @type {Uint8Array} */ (c.bytes);
  const format = /** @type {'sysdig' | 'scapkit'} */ (c.format);
  if (c.opts.mode === 'recover')
    return runRecover(deps, bytes, { pieceSize: c.opts.pieceSize, memoryCapBytes: o.memoryCapBytes });
  if (c.opts.mode === 'indexed') {
    const path = `${tmp()}/scapkit-fuzz-${process.pid}-${threadId}.scapkit`;
    return runIndexed(deps, bytes, { path, rangeSeed: c.opts.pieceSize + bytes.length });
  }
  const out = await runInput(deps, format, bytes, { ...c.opts, memoryCapBytes: o.memoryCapBytes });
  if (out.status === 'fail' || !o.differential) return out;
  const other = await runInput(deps, format, bytes, {
    pieceSize: c.opts.pieceSize === 0 ? 7 : 0,
    native: !c.opts.native,
    replay: -1,
    json: false,
    memoryCapBytes: o.memoryCapBytes,
  });
  if (other.status === 'fail') return other;
  const kind = (/** @type {typeof out} */ x) => (x.status === 'ok' ? 'ok' : (x.error ?? '').split(':')[0]);
  const same = (/** @type {typeof out} */ a, /** @type {typeof out} */ b) =>
    a.events === b.events && kind(a) === kind(b);
  if (!same(out, other)) {
    // Two things changed at once: the read boundaries and the codecs (native or pure). Read once more
    // with only the boundaries changed: if that agrees, the decoders disagree, which is allowed in one
    // case only: one zstd decoder rejects a frame as corrupt that the other decodes. libzstd and fzstd
    // check damaged entropy streams differently (either may be the one that notices); such a frame only
    // gets this far in a crafted trace whose chunk CRC32C was forged over the damaged bytes
    // (packages/scap-format/docs/FORMAT.md, codec 2).
    const boundariesOnly = await runInput(deps, format, bytes, {
      pieceSize: c.opts.pieceSize === 0 ? 7 : 0,
      native: c.opts.native,
      replay: -1,
      json: false,
      memoryCapBytes: o.memoryCapBytes,
    });
    if (boundariesOnly.status === 'fail') return boundariesOnly;
    const zstdRejected = (/** @type {typeof out} */ x) =>
      /\(zstd(-native)?\): corrupt zstd frame/.test(x.error ?? '');
    if (same(out, boundariesOnly) && (zstdRejected(out) || zstdRejected(other))) return out;
    return {
      status: 'fail',
      events: out.events,
      signature: `read-boundaries:${kind(out)}/${kind(other)}`,
      error:
        `fed in pieces of ${c.opts.pieceSize} bytes: ${out.events} events, ${out.error ?? 'ok'}; ` +
        `fed differently: ${other.events} events, ${other.error ?? 'ok'}`,
    };
  }
  return out;
}
