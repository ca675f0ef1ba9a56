// sysdig's -S: how many events of each type passed the filter (internal ones included), printed at the
// end as a table of the 100 most frequent, `> name` for enter and `< name` for exit events, generic
// syscall events under their syscall's name.
//
// sysdig sorts its table with std::sort, which is not stable: the order of types with the same count is
// whatever libstdc++'s introsort makes of sysdig's table layout (every event id, then two entries per
// syscall code). The table is laid out and sorted here exactly that way, so ties come out in sysdig's order.
// Names are evt.type's (current libs' syscall names: differences-from-sysdig.md, section 4).
import { EVENT_MAX, EVENTS, EVENTS_SYSDIG_0_29, type EventView, SYSCALL_NAMES } from '@scapkit/scap-format';

/** Rows sysdig prints at most. */
const SUMMARY_ROWS = 100;

/** PPM_SC_MAX of sysdig 0.29.3 (libs e5c53d64): the syscall codes its table has two entries for. */
const SYSDIG_0_29_SYSCALL_CODES = 329;

interface Entry {
  calls: number;
  /** An event id, or for a syscall entry the syscall code times two plus the direction (1 = exit). */
  id: number;
  syscall: boolean;
}

export class EventSummary {
  private readonly events = new Float64Array(EVENT_MAX);
  /** Generic syscall events, by code * 2 + direction. */
  private readonly syscalls = new Float64Array(SYSCALL_NAMES.length * 2);

  /** Counts one event (call it for every event that passes the filter). */
  count(v: EventView): void {
    const t = v.type;
    if (t <= 1) {
      // PPME_GENERIC_E / _X: counted under the syscall's code (its ID parameter).
      if (v.paramCount() === 0 || v.paramLength(0) < 2) return;
      const code = v.paramU16(0);
      if (code < SYSCALL_NAMES.length) this.syscalls[code * 2 + t] = (this.syscalls[code * 2 + t] ?? 0) + 1;
    } else if (t < EVENT_MAX) {
      this.events[t] = (this.events[t] ?? 0) + 1;
    }
  }

  /** The table sysdig prints at the end of a run with -S. */
  lines(): string[] {
    // sysdig 0.29.3's layout (its 336 event ids, its 329 syscall codes) unless an event it did not know
    // was counted; then the same layout over current libs' tables.
    const oldEvents = EVENTS_SYSDIG_0_29.length;
    const oldCodes = SYSDIG_0_29_SYSCALL_CODES;
    const fitsOld =
      this.events.findIndex((n, id) => n > 0 && id >= oldEvents) < 0 &&
      this.syscalls.findIndex((n, i) => n > 0 && i >= oldCodes * 2) < 0;
    const nEvents = fitsOld ? oldEvents : EVENT_MAX;
    const nCodes = fitsOld ? oldCodes : SYSCALL_NAMES.length;
    const table: Entry[] = [];
    for (let id = 0; id < nEvents; id++) table.push({ calls: this.events[id] ?? 0, id, syscall: false });
    for (let i = 0; i < nCodes * 2; i++) table.push({ calls: this.syscalls[i] ?? 0, id: i, syscall: true });
    introsort(table, (a, b) => a.calls > b.calls);

    const out = ['----------------------', `${'Event'.padEnd(16)}#Calls`, '----------------------'];
    for (const e of table.slice(0, SUMMARY_ROWS)) {
      if (e.calls === 0) break;
      const enter = (e.id & 1) === 0;
      let name: string | undefined;
      if (e.syscall) {
        const code = e.id >> 1;
        name = SYSCALL_NAMES[code];
        if (name === undefined || name === 'unknown') name = '<unknown>';
      } else {
        name = (fitsOld ? EVENTS_SYSDIG_0_29[e.id] : EVENTS[e.id])?.name ?? '<unknown>';
      }
      // std::string::resize(16, ' '): padded, and cut when longer.
      out.push(`${enter ? '> ' : '< '}${name.padEnd(16).slice(0, 16)}${e.calls}`);
    }
    return out;
  }
}

type Less<T> = (a: T, b: T) => boolean;

/** `a[i]`, which the sort only reads inside the array. */
function at<T>(a: readonly T[], i: number): T {
  if (i < 0 || i >= a.length) throw new RangeError(`sort index ${i} outside 0…${a.length - 1}`);
  return a[i] as T;
}

/** libstdc++'s std::sort: introsort to blocks of 16, heapsort past 2·log2(n) levels, insertion sort last. */
function introsort<T>(a: T[], less: Less<T>): void {
  if (a.length < 2) return;
  introsortLoop(a, 0, a.length, 2 * Math.floor(Math.log2(a.length)), less);
  finalInsertionSort(a, 0, a.length, less);
}

const THRESHOLD = 16;

function introsortLoop<T>(a: T[], first: number, last: number, depth: number, less: Less<T>): void {
  while (last - first > THRESHOLD) {
    if (depth === 0) {
      heapSelect(a, first, last, last, less);
      sortHeap(a, first, last, less);
      return;
    }
    depth--;
    const cut = partitionPivot(a, first, last, less);
    introsortLoop(a, cut, last, depth, less);
    last = cut;
  }
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = at(a, i);
  a[i] = at(a, j);
  a[j] = t;
}

function moveMedianToFirst<T>(a: T[], result: number, x: number, y: number, z: number, less: Less<T>): void {
  if (less(at(a, x), at(a, y))) {
    if (less(at(a, y), at(a, z))) swap(a, result, y);
    else if (less(at(a, x), at(a, z))) swap(a, result, z);
    else swap(a, result, x);
  } else if (less(at(a, x), at(a, z))) swap(a, result, x);
  else if (less(at(a, y), at(a, z))) swap(a, result, z);
  else swap(a, result, y);
}

function partitionPivot<T>(a: T[], first: number, last: number, less: Less<T>): number {
  const mid = first + ((last - first) >> 1);
  moveMedianToFirst(a, first, first + 1, mid, last - 1, less);
  // __unguarded_partition(first + 1, last, pivot = first)
  let lo = first + 1;
  let hi = last;
  for (;;) {
    while (less(at(a, lo), at(a, first))) lo++;
    hi--;
    while (less(at(a, first), at(a, hi))) hi--;
    if (!(lo < hi)) return lo;
    swap(a, lo, hi);
    lo++;
  }
}

function unguardedLinearInsert<T>(a: T[], last: number, less: Less<T>): void {
  const val = at(a, last);
  let next = last - 1;
  while (less(val, at(a, next))) {
    a[last] = at(a, next);
    last = next;
    next--;
  }
  a[last] = val;
}

function insertionSort<T>(a: T[], first: number, last: number, less: Less<T>): void {
  if (first === last) return;
  for (let i = first + 1; i !== last; i++) {
    if (less(at(a, i), at(a, first))) {
      const val = at(a, i);
      for (let k = i; k > first; k--) a[k] = at(a, k - 1);
      a[first] = val;
    } else unguardedLinearInsert(a, i, less);
  }
}

function finalInsertionSort<T>(a: T[], first: number, last: number, less: Less<T>): void {
  if (last - first > THRESHOLD) {
    insertionSort(a, first, first + THRESHOLD, less);
    for (let i = first + THRESHOLD; i !== last; i++) unguardedLinearInsert(a, i, less);
  } else insertionSort(a, first, last, less);
}

// The heap part (__heap_select, __sort_heap and their helpers), reached only past the depth limit.
function adjustHeap<T>(a: T[], first: number, hole: number, len: number, value: T, less: Less<T>): void {
  const top = hole;
  let child = hole;
  while (child < Math.floor((len - 1) / 2)) {
    child = 2 * (child + 1);
    if (less(at(a, first + child), at(a, first + child - 1))) child--;
    a[first + hole] = at(a, first + child);
    hole = child;
  }
  if ((len & 1) === 0 && child === Math.floor((len - 2) / 2)) {
    child = 2 * (child + 1);
    a[first + hole] = at(a, first + child - 1);
    hole = child - 1;
  }
  // __push_heap
  let parent = Math.floor((hole - 1) / 2);
  while (hole > top && less(at(a, first + parent), value)) {
    a[first + hole] = at(a, first + parent);
    hole = parent;
    parent = Math.floor((hole - 1) / 2);
  }
  a[first + hole] = value;
}

function makeHeap<T>(a: T[], first: number, last: number, less: Less<T>): void {
  const len = last - first;
  if (len < 2) return;
  for (let parent = Math.floor((len - 2) / 2); ; parent--) {
    adjustHeap(a, first, parent, len, at(a, first + parent), less);
    if (parent === 0) return;
  }
}

function popHeap<T>(a: T[], first: number, last: number, result: number, less: Less<T>): void {
  const value = at(a, result);
  a[result] = at(a, first);
  adjustHeap(a, first, 0, last - first, value, less);
}

function heapSelect<T>(a: T[], first: number, middle: number, last: number, less: Less<T>): void {
  makeHeap(a, first, middle, less);
  for (let i = middle; i < last; i++) if (less(at(a, i), at(a, first))) popHeap(a, first, middle, i, less);
}

function sortHeap<T>(a: T[], first: number, last: number, less: Less<T>): void {
  while (last - first > 1) {
    last--;
    popHeap(a, first, last, last, less);
  }
}
