// Where the text of a condition came from, so that an error found after lists were substituted, macros
// expanded and exceptions appended still points at the line and column of a rules file. Every loaded file
// takes a range of one global offset space; a SourceText is a string with the global offset of each of its
// characters (-1 for text the loader wrote itself); a PositionSpace lays several SourceTexts (a rule's
// condition and the macros expanded into it) end to end, as the positions of one filter AST.
import type { LineCounter } from 'yaml';
import type { Position } from './result.js';

/** One loaded rules file. */
export class FileSource {
  constructor(
    readonly name: string,
    readonly text: string,
    readonly lines: LineCounter,
    /** Global offset of the file's first character. */
    readonly base: number,
  ) {}

  /** The 0-based position of an offset into the file (Falco's line and column). */
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const lp = this.lines.linePos(o);
    return { name: this.name, line: lp.line - 1, column: lp.col - 1, offset: o };
  }
}

/** The files loaded so far, each at its base in the global offset space. */
export class SourceFiles {
  private readonly files: FileSource[] = [];
  private next = 0;

  add(name: string, text: string, lines: LineCounter): FileSource {
    const f = new FileSource(name, text, lines, this.next);
    this.files.push(f);
    this.next += text.length + 1;
    return f;
  }

  /** The file and position of a global offset; undefined for -1. */
  position(global: number): Position | undefined {
    if (global < 0) return undefined;
    let lo = 0;
    let hi = this.files.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.files[mid]?.base ?? global + 1) <= global) lo = mid;
      else hi = mid - 1;
    }
    const f = this.files[lo];
    return f ? f.position(global - f.base) : undefined;
  }
}

/** A string with the global offset each character came from. */
export class SourceText {
  constructor(
    readonly text: string,
    readonly origins: readonly number[],
  ) {}

  /** Text the loader wrote (no place in a file), all of it standing for `origin`. */
  static synthetic(text: string, origin = -1): SourceText {
    return new SourceText(text, new Array<number>(text.length).fill(origin));
  }

  /**
   * A scalar's value aligned with its source text [start, end) in `file`: each non-blank character of the
   * value is matched with the next equal character of the source, so the folding and indentation of block
   * scalars, the quotes and escapes of quoted ones, all map back to the characters as written.
   */
  static fromScalar(value: string, file: FileSource, start: number, end: number): SourceText {
    const src = file.text;
    const origins = new Array<number>(value.length);
    let s = start;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c === 32 || c === 10 || c === 9 || c === 13) {
        origins[i] = file.base + Math.min(s, end);
        continue;
      }
      let k = s;
      while (k < end && src.charCodeAt(k) !== c) k++;
      if (k < end) s = k;
      origins[i] = file.base + s;
      if (k < end) s++;
    }
    return new SourceText(value, origins);
  }

  concat(other: SourceText): SourceText {
    return new SourceText(this.text + other.text, [...this.origins, ...other.origins]);
  }

  /** [from, to) replaced by `insert`. */
  splice(from: number, to: number, insert: SourceText): SourceText {
    const o = this.origins;
    return new SourceText(this.text.slice(0, from) + insert.text + this.text.slice(to), [
      ...o.slice(0, from),
      ...insert.origins,
      ...o.slice(to),
    ]);
  }

  /** The global offset of text offset `i` (the nearest known one before it for synthetic text). */
  originAt(i: number): number {
    const o = this.origins;
    for (let k = Math.min(i, o.length - 1); k >= 0; k--) {
      const origin = o[k] ?? -1;
      if (origin >= 0) return origin;
    }
    for (let k = Math.max(0, i); k < o.length; k++) {
      const origin = o[k] ?? -1;
      if (origin >= 0) return origin;
    }
    return -1;
  }
}

/**
 * The positions of one filter AST: its own text at [0, n), then the text of each macro expanded into it,
 * one after the other. Offsets in the AST are offsets in this space.
 */
export class PositionSpace {
  private readonly segments: { start: number; text: SourceText }[] = [];
  private end = 0;

  private readonly first: { start: number; text: SourceText };

  constructor(text: SourceText) {
    this.first = { start: 0, text };
    this.segments.push(this.first);
    this.end = text.text.length + 1;
  }

  /** Appends `text` and returns the offset at which it starts. */
  append(text: SourceText): number {
    const start = this.end;
    this.segments.push({ start, text });
    this.end += text.text.length + 1;
    return start;
  }

  /** Appends every segment of `other` and returns by how much its offsets moved. */
  appendSpace(other: PositionSpace): number {
    const shift = this.end;
    // A copy first: a macro that refers to itself appends its own space to itself.
    const segments = [...other.segments];
    const end = other.end;
    for (const seg of segments) this.segments.push({ start: seg.start + shift, text: seg.text });
    this.end += end;
    return shift;
  }

  /** The text and offset in it that `pos` falls in. */
  locate(pos: number): { text: SourceText; offset: number } {
    // The constructor appends the filter's own text: there is always a first segment.
    let found = this.first;
    for (const seg of this.segments) if (seg.start <= pos) found = seg;
    return { text: found.text, offset: pos - found.start };
  }

  /** The global offset (into the rules files) of `pos`. */
  origin(pos: number): number {
    const { text, offset } = this.locate(pos);
    return text.originAt(offset);
  }
}
