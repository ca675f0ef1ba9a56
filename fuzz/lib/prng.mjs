// @ts-check
// A small seeded PRNG (sfc32, seeded through splitmix32). Every fuzz input is derived from (run seed,
// worker, index) alone, so any input a worker tried can be regenerated exactly on the main thread for
// minimisation, and the in-test fuzz is the same sequence on every machine.

/** splitmix32 step: spreads nearby seeds (1, 2, 3, …) into unrelated states. @param {number} a @returns {[number, number]} */
function splitmix32(a) {
  a = (a + 0x9e3779b9) | 0;
  let t = a ^ (a >>> 16);
  t = Math.imul(t, 0x21f0aaad);
  t ^= t >>> 15;
  t = Math.imul(t, 0x735a2d97);
  return [a, (t ^ (t >>> 15)) >>> 0];
}

export class Rng {
  /** @param {number[]} seeds integers combined into the state (e.g. run seed, worker id, input index) */
  constructor(...seeds) {
    let s = 0x1234567;
    for (const x of seeds) {
      const [ns, out] = splitmix32((s ^ Math.imul(x | 0, 0x85ebca6b)) | 0);
      s = (ns ^ out) | 0;
    }
    const parts = [];
    for (let i = 0; i < 4; i++) {
      const [ns, out] = splitmix32(s);
      s = ns;
      parts.push(out);
    }
    /** sfc32 state words */
    this.a = parts[0] ?? 0;
    this.b = parts[1] ?? 0;
    this.c = parts[2] ?? 0;
    this.d = parts[3] ?? 0;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32() {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** @param {number} n @returns {number} an integer in [0, n) (0 when n <= 0) */
  int(n) {
    return n <= 0 ? 0 : Math.floor((this.u32() / 4294967296) * n);
  }

  /** @param {number} lo @param {number} hi @returns {number} an integer in [lo, hi] */
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }

  /** @param {number} p @returns {boolean} true with probability p */
  chance(p) {
    return this.u32() / 4294967296 < p;
  }

  /**
   * @template T
   * @param {readonly T[]} xs
   * @returns {T}
   */
  pick(xs) {
    return /** @type {T} */ (xs[this.int(xs.length)]);
  }

  /** A size biased to small values (most interesting edits are short), at most max. @param {number} max */
  small(max) {
    const r = this.int(4);
    const cap = r === 0 ? 4 : r === 1 ? 32 : r === 2 ? 512 : max;
    return 1 + this.int(Math.max(1, Math.min(cap, max)));
  }
}

/** FNV-1a over bytes: short stable names for regression files. @param {Uint8Array} b */
export function fnv1a(b) {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
