// The page: opens a trace (from the server, or a file dropped or picked), then shows the views of the model
// the worker builds. Every view is a function of the model, the time range and the filter (nav.ts); the
// App only fetches models when those change and routes keys. Trace strings reach the DOM as text only:
// JSX children and attributes, never markup.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Alert } from '../model/alerts.js';
import type { FollowTarget, TraceSource } from '../model/protocol.js';
import { TABLES, type TableId } from '../model/specs.js';
import type { Model, TraceInfo } from '../model/types.js';
import {
  ModelClient,
  type ProgressFn,
  RequestFailed,
  ServerModelClient,
  type TraceClient,
} from './client.js';
import { formatDuration, formatRel } from './format.js';
import { type Crumb, currentView, effectiveFilter, type Nav, navFromHash, navToHash } from './nav.js';
import { AlertsView } from './views/alerts.js';
import { EventsView } from './views/events.js';
import { FilterBox, type FilterError } from './views/filter.js';
import { IoView } from './views/io.js';
import { OverviewView, Tiles } from './views/overview.js';
import { TableView } from './views/table.js';
import { Timeline } from './views/timeline.js';
import { TreeView } from './views/tree.js';

export interface Opened {
  info: TraceInfo;
  first: Model;
  alerts: Alert[];
}

/** What a view may ask of the app. */
export interface ViewContext {
  client: TraceClient;
  info: TraceInfo;
  nav: Nav;
  /** The model of the current filter and range. */
  model: Model;
  /** The whole trace with the current filter (timeline, sparklines). */
  whole: Model;
  first: Model;
  alerts: Alert[];
  theme: string;
  go(crumb: Crumb): void;
  /** Moves to `n`; `replace` keeps the browser's history as it is (selecting an event). */
  setNav(n: Nav, replace?: boolean): void;
  /** Registers what a key does while this view is shown (d, e, Enter …); returns the unregister. */
  selection: SelectionHandlers;
}

export interface SelectionHandlers {
  /** Events of the selected item (d). */
  dig?: () => void;
  /** I/O of the selected item (e). */
  echo?: () => void;
}

type Phase =
  | { kind: 'idle' }
  | {
      kind: 'reading';
      name: string;
      done: number;
      total: number;
      events: number;
      partial?: { model: Model; slotNs: number; t0: string };
    }
  | { kind: 'ready'; opened: Opened }
  | { kind: 'failed'; message: string };

/** The server's page path is /TOKEN/; opened from disk there is no server. */
const served = location.protocol.startsWith('http') && /^\/[A-Za-z0-9_-]+\/$/.test(location.pathname);

export function App() {
  const client = useMemo<TraceClient>(() => (served ? new ServerModelClient() : new ModelClient()), []);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [theme, setTheme] = useState<'light' | 'dark'>(() =>
    matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
  );
  // Set while rendering, not in an effect: the timeline reads the theme's colours in its layout effect,
  // which runs before this component's effects.
  document.documentElement.dataset.theme = theme;

  const open = useCallback(
    async (source: TraceSource, alerts: Alert[]) => {
      const name = source.kind === 'file' ? source.file.name : source.name;
      setPhase({ kind: 'reading', name, done: 0, total: 1, events: 0 });
      try {
        let partial: Extract<Phase, { kind: 'reading' }>['partial'];
        const r = await client.request({ op: 'open', source }, (p) => {
          if (p.partial && !partial)
            requestAnimationFrame(() => performance.mark('scapkit:overview-partial'));
          partial = p.partial ?? partial;
          setPhase({ kind: 'reading', name, done: p.done, total: p.total, events: p.events ?? 0, partial });
        });
        setPhase({
          kind: 'ready',
          opened: { info: r.info, first: r.model, alerts: [...alerts, ...r.alerts] },
        });
        // The benchmark (bench/viewer.bench.mjs) reads when the overview came up.
        requestAnimationFrame(() => performance.mark('scapkit:overview'));
      } catch (e) {
        setPhase({ kind: 'failed', message: `cannot read ${name}: ${(e as Error).message}` });
      }
    },
    [client],
  );

  useEffect(() => {
    if (!served) return;
    fetch('meta')
      .then((r) => r.json() as Promise<{ name: string; alerts: Alert[] }>)
      .then((m) => open({ kind: 'served', name: m.name }, m.alerts))
      .catch((e: Error) =>
        setPhase({ kind: 'failed', message: `cannot reach the scapkit view server: ${e.message}` }),
      );
  }, [open]);

  return (
    <div class="app">
      <header class="top">
        <span class="brand">scapkit view</span>
        {phase.kind === 'ready' ? <TraceSummary info={phase.opened.info} /> : null}
        <span class="spacer" />
        <button
          type="button"
          class="ghost"
          title="Light or dark theme (t)"
          id="theme"
          onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        >
          {theme === 'dark' ? '☀ light' : '☾ dark'}
        </button>
      </header>
      {phase.kind === 'ready' ? (
        <Viewer
          client={client}
          opened={phase.opened}
          theme={theme}
          toggleTheme={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        />
      ) : (
        <Start phase={phase} onFile={(f, alerts) => open({ kind: 'file', file: f }, alerts)} />
      )}
    </div>
  );
}

function TraceSummary({ info }: { info: TraceInfo }) {
  return (
    <span class="summary" id="summary">
      <b id="trace-name">{info.name}</b>
      <span>{info.format}</span>
      <span>
        <span id="trace-events">{info.events.toLocaleString('en-US')}</span> events
      </span>
      <span>{formatDuration(info.duration)}</span>
      {info.hostname ? <span>{info.hostname}</span> : null}
      <span class="muted" id="trace-reader" data-reader={info.reader} />
    </span>
  );
}

/** Before a trace is open: the drop zone (from disk) or the progress bar. */
function Start({ phase, onFile }: { phase: Phase; onFile: (f: File, alerts: Alert[]) => void }) {
  const [over, setOver] = useState(false);
  const pick = async (files: FileList | null | undefined) => {
    if (!files || files.length === 0) return;
    const list = [...files];
    // An alerts file (`scapkit detect --json > alerts.jsonl`) may come along with the trace.
    const alertFile = list.find((f) => /\.(jsonl|json)$/i.test(f.name));
    const trace = list.find((f) => f !== alertFile) ?? list[0];
    if (!trace) return;
    let alerts: Alert[] = [];
    if (alertFile) {
      const { parseAlerts } = await import('../model/alerts.js');
      alerts = parseAlerts(await alertFile.text());
    }
    onFile(trace, alerts);
  };
  if (phase.kind === 'reading') {
    const pct = phase.total > 0 ? (100 * phase.done) / phase.total : 0;
    const p = phase.partial;
    return (
      <main class={p ? 'reading' : 'start'}>
        <div class="progress-box" id="progress">
          <div>
            Reading <b>{phase.name}</b>: {phase.events.toLocaleString('en-US')} events
            {p ? ' — the overview so far:' : ''}
          </div>
          <progress max={100} value={pct} />
        </div>
        {p ? <Tiles model={p.model} whole={p.model} slotNs={p.slotNs} /> : null}
      </main>
    );
  }
  return (
    <main
      class={`start drop${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void pick(e.dataTransfer?.files);
      }}
    >
      <div class="drop-box">
        <h1>Drop a trace here</h1>
        <p>
          A scapkit trace or a sysdig/Falco <code>.scap</code> capture (plain or gzip), optionally with the{' '}
          <code>scapkit detect --json</code> output of it. It is read in this page: nothing leaves your
          machine.
        </p>
        <label class="button">
          Choose a file…
          <input
            id="file"
            type="file"
            multiple
            onChange={(e) => void pick((e.target as HTMLInputElement).files)}
          />
        </label>
        {phase.kind === 'failed' ? (
          <p class="banner error" id="banner" role="alert">
            {phase.message}
          </p>
        ) : null}
      </div>
    </main>
  );
}

const TABS: { label: string; crumb: Crumb; key?: string }[] = [
  { label: 'Overview', crumb: { label: 'Overview', view: 'overview', filter: '' } },
  { label: 'Processes', crumb: { label: 'Processes', view: 'table', table: 'processes', filter: '' } },
  { label: 'Files', crumb: { label: 'Files', view: 'table', table: 'files', filter: '' } },
  { label: 'Connections', crumb: { label: 'Connections', view: 'table', table: 'connections', filter: '' } },
  { label: 'System calls', crumb: { label: 'System calls', view: 'table', table: 'syscalls', filter: '' } },
  { label: 'Events', crumb: { label: 'Events', view: 'events', filter: '' }, key: 'd' },
  { label: 'Process tree', crumb: { label: 'Process tree', view: 'tree', filter: '' } },
  { label: 'Alerts', crumb: { label: 'Alerts', view: 'alerts', filter: '' } },
];

function Viewer({
  client,
  opened,
  theme,
  toggleTheme,
}: {
  client: TraceClient;
  opened: Opened;
  theme: string;
  toggleTheme: () => void;
}) {
  const { info, first, alerts } = opened;
  const [nav, setNavState] = useState<Nav>(() => navFromHash(location.hash, info.t0));
  const [whole, setWhole] = useState<Model>(first);
  const [model, setModel] = useState<Model>(first);
  const [busy, setBusy] = useState<string | undefined>();
  const [filterError, setFilterError] = useState<FilterError | undefined>();
  const selection = useRef<SelectionHandlers>({});
  const filterRef = useRef<HTMLInputElement>(null);
  const [findOpen, setFindOpen] = useState(false);

  const setNav = useCallback(
    (n: Nav, replace = false) => {
      setNavState(n);
      const h = navToHash(n, info.t0);
      if (h === location.hash) return;
      const url = h || location.pathname + location.search;
      if (replace) history.replaceState(null, '', url);
      else history.pushState(null, '', url);
    },
    [info.t0],
  );
  useEffect(() => {
    const back = () => setNavState(navFromHash(location.hash, info.t0));
    addEventListener('popstate', back);
    return () => removeEventListener('popstate', back);
  }, [info.t0]);

  const filter = effectiveFilter(nav);
  const range = nav.range;
  useEffect(() => {
    let live = true;
    const progress: ProgressFn = (p) => live && setBusy(`${p.phase} ${Math.round(100 * p.done)}%`);
    const run = async () => {
      setBusy('filtering');
      try {
        const w = await client.request(
          { op: 'model', filter, from: 0, to: Number.POSITIVE_INFINITY },
          progress,
        );
        if (!live) return;
        setWhole(w);
        // The benchmark reads when the whole trace's tables (their own pass) came.
        if (w.tables.length > 0 && performance.getEntriesByName('scapkit:tables').length === 0)
          performance.mark('scapkit:tables');
        const m = range
          ? await client.request({ op: 'model', filter, from: range[0], to: range[1] }, progress)
          : w;
        if (!live) return;
        setModel(m);
        setFilterError(undefined);
      } catch (e) {
        if (!live) return;
        const d = e instanceof RequestFailed ? e.detail : undefined;
        if (d?.kind === 'superseded') return;
        if (d?.kind === 'filter') setFilterError({ message: d.reason, position: d.position, filter });
        else setFilterError({ message: (e as Error).message, position: -1, filter });
      } finally {
        if (live) setBusy(undefined);
      }
    };
    void run();
    return () => {
      live = false;
    };
  }, [client, filter, range?.[0], range?.[1]]);

  const view = currentView(nav);
  const go = useCallback(
    (c: Crumb) => {
      if (c.view === 'overview') return setNav({ ...nav, crumbs: [], event: undefined });
      setNav({ ...nav, crumbs: [...nav.crumbs, c], event: undefined });
    },
    [nav, setNav],
  );
  const up = useCallback(() => {
    if (nav.crumbs.length > 0) setNav({ ...nav, crumbs: nav.crumbs.slice(0, -1), event: undefined });
  }, [nav, setNav]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      const typing = t.tagName === 'INPUT' || t.tagName === 'TEXTAREA';
      if (e.key === 'Escape') {
        if (typing) t.blur();
        setFindOpen(false);
        return;
      }
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      switch (e.key) {
        case 'd':
          if (selection.current.dig) selection.current.dig();
          else go({ label: 'Events', view: 'events', filter: '' });
          break;
        case 'e':
          selection.current.echo?.();
          break;
        case 's':
          filterRef.current?.focus();
          filterRef.current?.select();
          break;
        case 'f':
          setFindOpen(true);
          break;
        case 't':
          toggleTheme();
          break;
        case 'Backspace':
          up();
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [go, up, toggleTheme]);

  // A stale model (the worker is still on the new one) is shown dimmed rather than blanked.
  const ctx: ViewContext = {
    client,
    info,
    nav,
    model,
    whole,
    first,
    alerts,
    theme,
    go,
    setNav,
    selection: selection.current,
  };
  selection.current.dig = undefined;
  selection.current.echo = undefined;

  return (
    <>
      <ProblemBanner info={info} />
      <div class="toolbar">
        <FilterBox
          inputRef={filterRef}
          value={nav.filter}
          error={filterError}
          onApply={(f) => setNav({ ...nav, filter: f, event: undefined })}
        />
        <span class="status" id="status" data-busy={busy ? 'true' : 'false'}>
          {busy ?? (
            <>
              <b id="shown-events">{model.events.toLocaleString('en-US')}</b> events
              {range ? ` in ${formatRel(range[0])} – ${formatRel(range[1])}` : ''}
            </>
          )}
        </span>
      </div>
      <Timeline ctx={ctx} />
      <nav class="tabs">
        {TABS.map((t) => {
          const active =
            t.crumb.view === view.view && (t.crumb.view !== 'table' || t.crumb.table === view.table);
          return (
            <button
              type="button"
              key={t.label}
              class={active ? 'tab active' : 'tab'}
              data-tab={t.crumb.view === 'table' ? t.crumb.table : t.crumb.view}
              onClick={() =>
                setNav({ ...nav, crumbs: t.crumb.view === 'overview' ? [] : [t.crumb], event: undefined })
              }
            >
              {t.label}
            </button>
          );
        })}
        <select
          class="more-tables"
          id="table-select"
          aria-label="all tables"
          value={view.view === 'table' ? view.table : ''}
          onChange={(e) => {
            const id = (e.target as HTMLSelectElement).value as TableId;
            const t = TABLES.find((x) => x.id === id);
            if (t)
              setNav({
                ...nav,
                crumbs: [{ label: t.title, view: 'table', table: t.id, filter: '' }],
                event: undefined,
              });
          }}
        >
          <option value="">all tables…</option>
          {TABLES.map((t) => (
            <option key={t.id} value={t.id}>
              {t.title}
            </option>
          ))}
        </select>
        <span class="spacer" />
        <span class="keys">
          <kbd>d</kbd> events <kbd>e</kbd> I/O <kbd>s</kbd> filter <kbd>f</kbd> find <kbd>⌫</kbd> up
        </span>
      </nav>
      <Breadcrumbs nav={nav} setNav={setNav} />
      <main class={`view ${busy ? 'stale' : ''}`} id="view" data-view={view.view}>
        <ViewFor ctx={ctx} view={view} findOpen={findOpen} closeFind={() => setFindOpen(false)} />
      </main>
    </>
  );
}

function ViewFor({
  ctx,
  view,
  findOpen,
  closeFind,
}: {
  ctx: ViewContext;
  view: Crumb;
  findOpen: boolean;
  closeFind: () => void;
}) {
  switch (view.view) {
    case 'overview':
      return <OverviewView ctx={ctx} />;
    case 'table':
      return <TableView ctx={ctx} table={view.table ?? 'processes'} />;
    case 'events':
      return <EventsView ctx={ctx} findOpen={findOpen} closeFind={closeFind} />;
    case 'io':
      return <IoView ctx={ctx} target={view.follow as FollowTarget} />;
    case 'tree':
      return <TreeView ctx={ctx} />;
    case 'alerts':
      return <AlertsView ctx={ctx} />;
  }
}

function Breadcrumbs({ nav, setNav }: { nav: Nav; setNav: (n: Nav) => void }) {
  return (
    <div class="crumbs" id="crumbs">
      <button type="button" class="crumb" onClick={() => setNav({ ...nav, crumbs: [], event: undefined })}>
        Overview
      </button>
      {nav.crumbs.map((c, i) => (
        <span key={i}>
          <span class="sep">›</span>
          <button
            type="button"
            class="crumb"
            title={c.filter || undefined}
            onClick={() => setNav({ ...nav, crumbs: nav.crumbs.slice(0, i + 1), event: undefined })}
          >
            {c.label}
          </button>
        </span>
      ))}
    </div>
  );
}

function ProblemBanner({ info }: { info: TraceInfo }) {
  const p = info.problem;
  if (!p) return null;
  const where = p.offset >= 0 ? ` at byte ${p.offset}` : '';
  const what =
    p.kind === 'truncated'
      ? `The file is cut${where}: showing the ${info.events.toLocaleString('en-US')} events before it.`
      : `The file is damaged${where}: showing the ${info.events.toLocaleString('en-US')} events before it.`;
  return (
    <div class="banner warn" id="banner" role="alert" data-offset={p.offset}>
      {what} <span class="banner-detail">{p.message}</span>
      {p.kind !== 'other' ? (
        <span class="hint"> · scapkit recover rewrites a scapkit trace whole.</span>
      ) : null}
    </div>
  );
}

export type { TableId };
