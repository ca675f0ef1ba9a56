// Where the user is: the view, the drill-down path (breadcrumbs, each adding a filter), the filter typed in
// the box, the time range and the selected event. All of it lives in the URL's fragment, so a link opens
// the same view on the same trace for someone else (the fragment never reaches a server).
import type { TableId } from '../model/specs.js';

export type ViewName = 'overview' | 'table' | 'events' | 'io' | 'tree' | 'alerts';

export interface Crumb {
  label: string;
  view: ViewName;
  table?: TableId;
  /** What this step adds to the filter ('' for none). */
  filter: string;
  /** The I/O view's target: an event's fd, or the crumb's filter (a table row). */
  follow?: { num: number } | { filter: string; name: string };
}

export interface Nav {
  /** The path: the overview is implicit before the first crumb. */
  crumbs: Crumb[];
  /** The filter box's text. */
  filter: string;
  /** Time range, ns relative to the first event; undefined: the whole trace. */
  range?: [number, number];
  /** The selected event (evt.num). */
  event?: number;
}

export function currentView(n: Nav): Crumb {
  return n.crumbs.at(-1) ?? { label: 'Overview', view: 'overview', filter: '' };
}

/** The filter every view applies: the box's and each crumb's, and-ed. */
export function effectiveFilter(n: Nav): string {
  const parts = [n.filter, ...n.crumbs.map((c) => c.filter)].map((f) => f.trim()).filter((f) => f !== '');
  if (parts.length <= 1) return parts[0] ?? '';
  return parts.map((p) => `(${p})`).join(' and ');
}

/** The fragment for `n`; times absolute (ns since the epoch) so that the link names instants, not offsets. */
export function navToHash(n: Nav, t0: string): string {
  const q = new URLSearchParams();
  if (n.crumbs.length) q.set('path', JSON.stringify(n.crumbs));
  if (n.filter) q.set('filter', n.filter);
  if (n.range) {
    q.set('from', (BigInt(t0) + BigInt(Math.round(n.range[0]))).toString());
    q.set('to', (BigInt(t0) + BigInt(Math.round(n.range[1]))).toString());
  }
  if (n.event !== undefined) q.set('event', String(n.event));
  const s = q.toString();
  return s ? `#${s}` : '';
}

export function navFromHash(hash: string, t0: string): Nav {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const n: Nav = { crumbs: [], filter: q.get('filter') ?? '' };
  try {
    const path = JSON.parse(q.get('path') ?? '[]') as unknown;
    if (Array.isArray(path)) n.crumbs = path.filter(isCrumb);
  } catch {
    // a damaged link: start at the overview
  }
  const from = q.get('from');
  const to = q.get('to');
  if (from && to && /^\d+$/.test(from) && /^\d+$/.test(to)) {
    n.range = [Number(BigInt(from) - BigInt(t0)), Number(BigInt(to) - BigInt(t0))];
  }
  const ev = Number(q.get('event'));
  if (q.has('event') && Number.isInteger(ev) && ev > 0) n.event = ev;
  return n;
}

const VIEWS = new Set(['overview', 'table', 'events', 'io', 'tree', 'alerts']);

function isCrumb(c: unknown): c is Crumb {
  const o = c as Crumb;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.label === 'string' &&
    typeof o.filter === 'string' &&
    VIEWS.has(o.view)
  );
}
