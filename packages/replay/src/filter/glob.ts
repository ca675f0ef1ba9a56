// fnmatch(3) for the `glob`, `iglob` and `pmatch` operators: libs calls fnmatch(pattern, value, 0) (or
// FNM_CASEFOLD), so there is no FNM_PATHNAME (`*` and `?` match `/` too) and no FNM_PERIOD, and a
// backslash escapes the next character. The pattern is compiled once into tokens; matching walks char
// codes of a range of the subject, so pmatch can match one path component without slicing it out.

enum Tok {
  Char = 0,
  Any = 1, // ?
  Star = 2, // *
  Class = 3, // [...]
}

interface ClassTok {
  negate: boolean;
  /** Inclusive code ranges, pairs [lo, hi]; single characters are lo === hi. */
  ranges: number[];
  /** POSIX named classes ([:alpha:] …) as predicates. */
  named: ((c: number) => boolean)[];
}

const NAMED: Record<string, (c: number) => boolean> = {
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  digit: (c) => c >= 48 && c <= 57,
  alnum: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  upper: (c) => c >= 65 && c <= 90,
  lower: (c) => c >= 97 && c <= 122,
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  blank: (c) => c === 32 || c === 9,
  punct: (c) =>
    (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126),
  xdigit: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
  cntrl: (c) => c < 32 || c === 127,
  print: (c) => c >= 32 && c !== 127,
  graph: (c) => c > 32 && c !== 127,
};

function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function upperAscii(c: number): number {
  return c >= 97 && c <= 122 ? c - 32 : c;
}

/** A compiled fnmatch pattern. */
export class GlobMatcher {
  private readonly kinds: Tok[] = [];
  private readonly chars: number[] = [];
  private readonly classes: (ClassTok | undefined)[] = [];

  constructor(
    readonly pattern: string,
    private readonly caseFold = false,
  ) {
    const p = pattern;
    let i = 0;
    while (i < p.length) {
      const c = p.charCodeAt(i);
      if (c === 42 /* * */) {
        // Consecutive stars are one star; keeping one keeps backtracking linear.
        if (this.kinds[this.kinds.length - 1] !== Tok.Star) this.push(Tok.Star, 0);
        i++;
      } else if (c === 63 /* ? */) {
        this.push(Tok.Any, 0);
        i++;
      } else if (c === 91 /* [ */) {
        const parsed = parseClass(p, i + 1);
        if (parsed) {
          this.push(Tok.Class, 0, parsed.cls);
          i = parsed.next;
        } else {
          // No closing ']': fnmatch takes '[' literally.
          this.push(Tok.Char, c);
          i++;
        }
      } else if (c === 92 /* \ */ && i + 1 < p.length) {
        this.push(Tok.Char, p.charCodeAt(i + 1));
        i += 2;
      } else {
        this.push(Tok.Char, c);
        i++;
      }
    }
  }

  private push(kind: Tok, ch: number, cls?: ClassTok): void {
    this.kinds.push(kind);
    this.chars.push(this.caseFold ? lowerAscii(ch) : ch);
    this.classes.push(cls);
  }

  match(s: string): boolean {
    return this.matchRange(s, 0, s.length);
  }

  /** Whether s[from, to) matches the whole pattern. Allocates nothing. */
  matchRange(s: string, from: number, to: number): boolean {
    const kinds = this.kinds;
    const n = kinds.length;
    let pi = 0;
    let si = from;
    // Position after the last star and where in s it started matching: a mismatch retries from there
    // with the star absorbing one more character. One star of memory suffices because `*` matches
    // anything (no FNM_PATHNAME), so an earlier star never needs to absorb more.
    let starP = -1;
    let starS = 0;
    while (si < to) {
      if (pi < n) {
        const k = kinds[pi];
        if (k === Tok.Star) {
          starP = ++pi;
          starS = si;
          continue;
        }
        if (this.one(pi, s.charCodeAt(si))) {
          pi++;
          si++;
          continue;
        }
      }
      if (starP < 0) return false;
      pi = starP;
      si = ++starS;
    }
    while (pi < n && kinds[pi] === Tok.Star) pi++;
    return pi === n;
  }

  private one(pi: number, c0: number): boolean {
    const k = this.kinds[pi];
    if (k === Tok.Any) return true;
    const c = this.caseFold ? lowerAscii(c0) : c0;
    if (k === Tok.Char) return this.chars[pi] === c;
    const cls = this.classes[pi] as ClassTok;
    let hit = inClass(cls, c0);
    if (!hit && this.caseFold) hit = inClass(cls, lowerAscii(c0)) || inClass(cls, upperAscii(c0));
    return hit !== cls.negate;
  }
}

function inClass(cls: ClassTok, c: number): boolean {
  const r = cls.ranges;
  for (let i = 0; i + 1 < r.length; i += 2) {
    // lo, hi pairs
    if (c >= (r[i] ?? 0) && c <= (r[i + 1] ?? -1)) return true;
  }
  for (const f of cls.named) if (f(c)) return true;
  return false;
}

/** Parses a bracket expression whose '[' is at start-1; undefined when it has no closing ']'. */
function parseClass(p: string, start: number): { cls: ClassTok; next: number } | undefined {
  const cls: ClassTok = { negate: false, ranges: [], named: [] };
  let i = start;
  if (p[i] === '!' || p[i] === '^') {
    cls.negate = true;
    i++;
  }
  let first = true;
  while (i < p.length) {
    let c = p.charCodeAt(i);
    if (c === 93 /* ] */ && !first) return { cls, next: i + 1 };
    first = false;
    if (c === 91 /* [ */ && p[i + 1] === ':') {
      const close = p.indexOf(':]', i + 2);
      const fn = close > 0 ? NAMED[p.slice(i + 2, close)] : undefined;
      if (fn) {
        cls.named.push(fn);
        i = close + 2;
        continue;
      }
    }
    if (c === 92 /* \ */ && i + 1 < p.length) {
      i++;
      c = p.charCodeAt(i);
    }
    i++;
    // A range a-z, unless the '-' is last before ']'.
    if (p[i] === '-' && i + 1 < p.length && p[i + 1] !== ']') {
      let hi = p.charCodeAt(i + 1);
      i += 2;
      if (hi === 92 && i < p.length) {
        hi = p.charCodeAt(i);
        i++;
      }
      cls.ranges.push(c, hi);
    } else {
      cls.ranges.push(c, c);
    }
  }
  return undefined;
}
