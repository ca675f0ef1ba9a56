// @ts-check
// Delta debugging (Zeller's ddmin, on byte ranges, then single bytes zeroed): the smallest input that
// still fails the same way (same signature), within a budget of tries, so a regression file shows the
// damage and little else.

/**
 * @template {Uint8Array | string} T
 * @param {T} input
 * @param {(candidate: T) => Promise<boolean>} stillFails
 * @param {{ maxTries?: number, deadline?: number }} [o]
 * @returns {Promise<{ result: T, tries: number }>}
 */
export async function minimise(input, stillFails, o = {}) {
  const maxTries = o.maxTries ?? 400;
  const deadline = o.deadline ?? Number.POSITIVE_INFINITY;
  let tries = 0;
  const budget = () => tries < maxTries && Date.now() < deadline;
  /** @param {T} x @param {number} a @param {number} b @returns {T} x without [a, b) */
  const cut = (x, a, b) =>
    /** @type {T} */ (
      typeof x === 'string' ? x.slice(0, a) + x.slice(b) : concat2(x.subarray(0, a), x.subarray(b))
    );
  /** @param {T} x @param {number} n @returns {T} */
  const prefix = (x, n) => /** @type {T} */ (typeof x === 'string' ? x.slice(0, n) : x.slice(0, n));
  let cur = input;
  // 1. the shortest failing prefix, by bisection (most damage sits early; a cut often keeps failing)
  let lo = 0;
  let hi = cur.length;
  while (lo < hi && budget()) {
    const mid = (lo + hi) >>> 1;
    tries++;
    if (await stillFails(prefix(cur, mid))) hi = mid;
    else lo = mid + 1;
  }
  if (hi < cur.length) cur = prefix(cur, hi);
  // 2. ddmin: remove ever smaller ranges while the failure stays
  let n = 2;
  while (cur.length >= 2 && budget()) {
    const size = Math.ceil(cur.length / n);
    let removed = false;
    for (let start = 0; start < cur.length && budget(); start += size) {
      const cand = cut(cur, start, Math.min(cur.length, start + size));
      tries++;
      if (await stillFails(cand)) {
        cur = cand;
        n = Math.max(n - 1, 2);
        removed = true;
        break;
      }
    }
    if (!removed) {
      if (size <= 1) break;
      n = Math.min(cur.length, n * 2);
    }
  }
  // 3. bytes: zero what the failure does not need, so the bytes that matter stand out in a hex dump
  if (typeof cur !== 'string') {
    const b = /** @type {Uint8Array} */ (cur).slice();
    const step = Math.max(1, Math.ceil(b.length / 64));
    for (let i = 0; i < b.length && budget(); i += step) {
      const saved = b.slice(i, i + step);
      if (saved.every((x) => x === 0)) continue;
      b.fill(0, i, i + step);
      tries++;
      if (!(await stillFails(/** @type {T} */ (/** @type {unknown} */ (b.slice()))))) b.set(saved, i);
    }
    cur = /** @type {T} */ (/** @type {unknown} */ (b));
  }
  return { result: cur, tries };
}

/** @param {Uint8Array} a @param {Uint8Array} b */
function concat2(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
