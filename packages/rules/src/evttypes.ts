// The event types a condition can be true for (libs' filter/ppm_codes.cpp, ported from Falco): `and`
// intersects its children's sets, `or` unites them, `not` is pushed down to the checks (De Morgan), a check
// on evt.type gives the named events (`!=` their complement), `evt.num` checks that are always false or
// always true give the empty or the whole set, and every other check is neutral (all events). The rules
// are indexed by these sets, so an event meets only the rules that could match it.
import type { CheckExpr, FilterAst } from '@scapkit/replay';
import { EVENT_MAX, EVENTS, SYSCALL_NAMES } from '@scapkit/scap-format';

/** Event type ids. */
export type EventTypeSet = Set<number>;

const SYSCALLS: ReadonlySet<string> = new Set(SYSCALL_NAMES);
const EVTTYPE_OPS: ReadonlySet<string> = new Set(['=', '==', '!=', 'in']);

/** The id of the asynchronous-event event (libs adds it to every rule's set). */
export const ASYNC_EVENT_ID = EVENTS.findIndex((e) => e.name === 'asyncevent');

/** libs' names_to_event_set: the events of these names; a system call without events of its own adds the generic events. */
export function namesToEventTypes(names: Iterable<string>): EventTypeSet {
  const wanted = new Set(names);
  const out = new Set<number>();
  const found = new Set<string>();
  for (let id = 2; id < EVENT_MAX; id++) {
    const n = EVENTS[id]!.name;
    if (wanted.has(n)) {
      out.add(id);
      found.add(n);
    }
  }
  for (const n of wanted) {
    if (!found.has(n) && SYSCALLS.has(n)) {
      out.add(0);
      out.add(1);
      break;
    }
  }
  return out;
}

// While walking a condition, sets are bitmaps over the event ids (one byte each): a few hundred bytes
// per node, and no hashing.
type Bits = Uint8Array;

function bits(s: EventTypeSet): Bits {
  const b = new Uint8Array(EVENT_MAX);
  for (const x of s) b[x] = 1;
  return b;
}

const full = (): Bits => new Uint8Array(EVENT_MAX).fill(1);
const empty = (): Bits => new Uint8Array(EVENT_MAX);

function complement(b: Bits): Bits {
  for (let i = 0; i < b.length; i++) b[i] = b[i] ? 0 : 1;
  return b;
}

function intersect(sets: Bits[]): Bits {
  const out = full();
  for (const s of sets) for (let i = 0; i < out.length; i++) out[i]! &= s[i]!;
  return out;
}

function union(sets: Bits[]): Bits {
  const out = empty();
  for (const s of sets) for (let i = 0; i < out.length; i++) out[i]! |= s[i]!;
  return out;
}

/** An error of the event type search (a check on evt.type it cannot read); the rule does not compile. */
export class EventTypeSearchError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

function isEvttypeField(c: CheckExpr): boolean {
  const l = c.left;
  return l.kind === 'field' && (l.name === 'evt.type' || l.name === 'syscall.type') && l.arg === undefined;
}

function containsEvttypeField(c: CheckExpr): boolean {
  let o = c.left;
  while (o.kind === 'transformer') {
    if (
      o.operand.kind === 'field' &&
      (o.operand.name === 'evt.type' || o.operand.name === 'syscall.type') &&
      o.operand.arg === undefined
    ) {
      return true;
    }
    o = o.operand;
  }
  return false;
}

/** evt.num starts at 1: some checks on it are decided before any event (libs' evaluate_field_invariant). */
function evtNumInvariant(c: CheckExpr): 'empty' | 'all' | undefined {
  if (c.left.kind !== 'field' || c.left.name !== 'evt.num' || c.left.arg !== undefined) return undefined;
  const r = c.right;
  const u64 = (s: string): bigint | undefined => (/^[0-9]+$/.test(s) ? BigInt(s) : undefined);
  if (c.op === 'in') {
    if (r?.kind !== 'list') return undefined;
    if (r.items.length === 0) return 'empty';
    return r.items.every((i) => u64(i.value) === 0n) ? 'empty' : undefined;
  }
  if (r?.kind !== 'value') return undefined;
  const n = u64(r.value);
  if (n === undefined) return undefined;
  switch (c.op) {
    case '=':
    case '==':
      return n === 0n ? 'empty' : undefined;
    case '!=':
      return n === 0n ? 'all' : undefined;
    case '<':
      return n <= 1n ? 'empty' : undefined;
    case '<=':
      return n === 0n ? 'empty' : undefined;
    case '>':
      return n === 0n ? 'all' : undefined;
    case '>=':
      return n <= 1n ? 'all' : undefined;
    default:
      return undefined;
  }
}

/** The event types `ast` (macros expanded) can match. */
export function eventTypesOf(ast: FilterAst): EventTypeSet {
  const visit = (n: FilterAst, neg: boolean): Bits => {
    switch (n.kind) {
      case 'and':
        return neg
          ? union(n.children.map((c) => visit(c, neg)))
          : intersect(n.children.map((c) => visit(c, neg)));
      case 'or':
        return neg
          ? intersect(n.children.map((c) => visit(c, neg)))
          : union(n.children.map((c) => visit(c, neg)));
      case 'not':
        return visit(n.child, !neg);
      case 'macro':
        return full();
      case 'check':
        return check(n, neg);
    }
  };
  const check = (c: CheckExpr, neg: boolean): Bits => {
    if (c.op === 'exists') {
      if (containsEvttypeField(c)) {
        throw new EventTypeSearchError(
          'event code search does not support `evt.type` checks with transformers',
          c.pos,
        );
      }
      // `evt.type exists` is true for every event; negated, for none.
      return isEvttypeField(c) && neg ? empty() : full();
    }
    const inv = evtNumInvariant(c);
    if (inv !== undefined) {
      const s = inv === 'empty' ? empty() : full();
      return neg ? complement(s) : s;
    }
    if (EVTTYPE_OPS.has(c.op)) {
      if (containsEvttypeField(c)) {
        throw new EventTypeSearchError(
          'event code search does not support `evt.type` checks with transformers',
          c.pos,
        );
      }
      if (isEvttypeField(c)) {
        const r = c.right;
        if (r === undefined || r.kind === 'field' || r.kind === 'transformer') {
          throw new EventTypeSearchError(
            'right-hand field comparisons on `evt.type`/`syscall.type` checks are not supported by event code search',
            c.pos,
          );
        }
        const names =
          r.kind === 'list' ? r.items.map((i) => i.value) : [r.kind === 'value' ? r.value : r.name];
        let s = bits(namesToEventTypes(names));
        if (neg) s = complement(s);
        if (c.op === '!=') s = complement(s);
        return s;
      }
    }
    return full();
  };
  const b = visit(ast, false);
  const out: EventTypeSet = new Set();
  for (let i = 0; i < b.length; i++) if (b[i]) out.add(i);
  return out;
}
