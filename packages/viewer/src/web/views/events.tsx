// Events: a virtual list over the model's events (only the rows in sight are in the DOM; lines come from
// the worker a page at a time, in sysdig's default line), a detail panel with every field of the selected
// event, and find (f). Past a few million rows the scroll bar is scaled (browsers cap an element's height).
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { EventRow, FieldValueText } from '../../model/types.js';
import type { ViewContext } from '../app.js';

const ROW_PX = 20;
/** Largest spacer height used; beyond it one pixel of scroll is more than one row. */
const MAX_SCROLL_PX = 8_000_000;
const PAGE = 200;

export function EventsView({
  ctx,
  findOpen,
  closeFind,
}: {
  ctx: ViewContext;
  findOpen: boolean;
  closeFind: () => void;
}) {
  const { model, client, nav } = ctx;
  const total = model.events;
  const key = model.key;
  const viewport = useRef<HTMLDivElement>(null);
  const layer = useRef<HTMLDivElement>(null);
  const cache = useRef(new Map<number, EventRow>());
  const loading = useRef(new Set<number>());
  const [height, setHeight] = useState(600);
  const [first, setFirst] = useState(0);
  const [, redraw] = useState(0);
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const [fields, setFields] = useState<FieldValueText[] | undefined>();

  const visible = Math.ceil(height / ROW_PX) + 1;
  const spacer = Math.min(total * ROW_PX, MAX_SCROLL_PX);
  const maxFirst = Math.max(0, total - visible + 1);

  useEffect(() => {
    cache.current = new Map();
    loading.current = new Set();
    redraw((x) => x + 1);
  }, [key]);

  const ensure = useCallback(
    (start: number) => {
      for (let p = Math.floor(start / PAGE) * PAGE; p < start + visible + PAGE / 2 && p < total; p += PAGE) {
        if (cache.current.has(p) || loading.current.has(p)) continue;
        loading.current.add(p);
        const k = key;
        client.request({ op: 'rows', key: k, start: p, count: PAGE }).then(
          (rows) => {
            if (k !== key) return;
            for (const r of rows) cache.current.set(r.row, r);
            loading.current.delete(p);
            redraw((x) => x + 1);
          },
          () => loading.current.delete(p),
        );
      }
    },
    [client, key, visible, total],
  );

  /** Maps the scroll position to the first row shown. */
  const onScroll = useCallback(() => {
    const v = viewport.current;
    if (!v) return;
    const scrollable = Math.max(1, spacer - v.clientHeight);
    const f =
      total * ROW_PX <= MAX_SCROLL_PX
        ? Math.floor(v.scrollTop / ROW_PX)
        : Math.round((v.scrollTop / scrollable) * maxFirst);
    setFirst(Math.min(maxFirst, Math.max(0, f)));
  }, [spacer, total, maxFirst]);

  useLayoutEffect(() => {
    const v = viewport.current;
    if (!v) return;
    const ro = new ResizeObserver(() => setHeight(v.clientHeight));
    ro.observe(v);
    return () => ro.disconnect();
  }, []);
  useLayoutEffect(() => {
    // The layer of rows stays in view: it moves with the scroll position.
    if (layer.current && viewport.current)
      layer.current.style.transform = `translateY(${viewport.current.scrollTop}px)`;
  });
  useEffect(() => ensure(first), [ensure, first]);

  const scrollToRow = useCallback(
    (row: number) => {
      const v = viewport.current;
      if (!v) return;
      if (row >= first && row < first + visible - 2) return;
      const target = Math.max(0, row - Math.floor(visible / 3));
      v.scrollTop =
        total * ROW_PX <= MAX_SCROLL_PX
          ? target * ROW_PX
          : (Math.min(target, maxFirst) / Math.max(1, maxFirst)) * Math.max(1, spacer - v.clientHeight);
      onScroll();
    },
    [first, visible, total, maxFirst, spacer, onScroll],
  );

  // The selected event from the URL (a deep link): find its row once the list is there.
  useEffect(() => {
    if (nav.event === undefined) return setSelected(undefined);
    let live = true;
    client.request({ op: 'rowOf', key, num: nav.event }).then((row) => {
      if (!live) return;
      setSelected(row);
      scrollToRow(row);
    });
    return () => {
      live = false;
    };
  }, [key, nav.event]);

  const selRow = selected !== undefined ? cache.current.get(selected) : undefined;
  useEffect(() => {
    if (!selRow) return setFields(undefined);
    let live = true;
    client.request({ op: 'fields', num: selRow.num }).then((f) => live && setFields(f));
    return () => {
      live = false;
    };
  }, [selRow?.num]);

  const select = (row: number) => {
    if (row < 0 || row >= total) return;
    setSelected(row);
    scrollToRow(row);
    const r = cache.current.get(row);
    if (r) ctx.setNav({ ...nav, event: r.num }, true);
  };
  ctx.selection.echo = () => {
    if (!selRow) return;
    ctx.go({ label: `I/O of event ${selRow.num}`, view: 'io', filter: '', follow: { num: selRow.num } });
  };
  ctx.selection.dig = () => {};

  const onKey = (e: KeyboardEvent) => {
    const cur = selected ?? first - 1;
    const page = visible - 2;
    const to: Record<string, number> = {
      ArrowDown: cur + 1,
      ArrowUp: cur - 1,
      PageDown: cur + page,
      PageUp: cur - page,
      Home: 0,
      End: total - 1,
    };
    const target = Object.hasOwn(to, e.key) ? to[e.key] : undefined;
    if (target === undefined) return;
    e.preventDefault();
    select(Math.max(0, Math.min(total - 1, target)));
  };

  const rows = [];
  for (let i = first; i < Math.min(total, first + visible); i++) {
    const r = cache.current.get(i);
    rows.push(
      // biome-ignore lint/a11y/useKeyWithClickEvents: the list moves its selection with the arrow keys
      <div
        role="option"
        tabIndex={-1}
        aria-selected={i === selected}
        key={i - first}
        class={i === selected ? 'ev sel' : 'ev'}
        data-row={i}
        data-num={r?.num}
        onClick={() => select(i)}
      >
        {r ? r.line : '…'}
      </div>,
    );
  }
  return (
    <div class="events-view">
      {findOpen ? (
        <FindBar
          ctx={ctx}
          selected={selected}
          first={first}
          onFound={(row) => select(row)}
          close={closeFind}
        />
      ) : null}
      <div class="events-split">
        <div
          role="listbox"
          aria-label="events"
          class="events-list"
          ref={viewport}
          onScroll={onScroll}
          tabIndex={0}
          onKeyDown={onKey}
          id="events"
        >
          <div style={{ height: `${spacer}px` }} />
          <div class="ev-layer" ref={layer}>
            {rows}
          </div>
          {total === 0 ? <p class="empty">No events for this filter and range.</p> : null}
        </div>
        <aside class="detail" id="detail">
          {selRow ? (
            <>
              <h3>
                Event {selRow.num}{' '}
                <button type="button" class="ghost small" onClick={() => ctx.selection.echo?.()}>
                  follow fd (e)
                </button>
              </h3>
              <table class="fields">
                <tbody>
                  {(fields ?? []).map((f) => (
                    <tr key={f.name} data-field={f.name}>
                      <th>{f.name}</th>
                      <td>{f.value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p class="muted">
              Select an event to see every field. ↑↓ PgUp PgDn Home End move; e follows its fd.
            </p>
          )}
        </aside>
      </div>
    </div>
  );
}

function FindBar({
  ctx,
  selected,
  first,
  onFound,
  close,
}: {
  ctx: ViewContext;
  /** The search starts after (or before) the selected row, else at the first row in sight. */
  selected: number | undefined;
  first: number;
  onFound: (row: number) => void;
  close: () => void;
}) {
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const find = async (dir: 1 | -1) => {
    if (!text) return;
    setStatus('searching…');
    try {
      const row = await ctx.client.request({
        op: 'find',
        key: ctx.model.key,
        text,
        start: selected === undefined ? first : selected + dir,
        dir,
      });
      if (row < 0) setStatus('not found');
      else {
        setStatus('');
        onFound(row);
      }
    } catch (e) {
      setStatus((e as Error).message === 'superseded' ? '' : (e as Error).message);
    }
  };
  return (
    <form
      class="find"
      id="find"
      onSubmit={(e) => {
        e.preventDefault();
        void find(1);
      }}
    >
      <label for="find-input">find</label>
      <input
        id="find-input"
        ref={input}
        value={text}
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && e.shiftKey) {
            e.preventDefault();
            void find(-1);
          } else if (e.key === 'Escape') close();
        }}
        placeholder="text in the event lines (Enter: next, Shift+Enter: previous)"
      />
      <span class="muted" id="find-status">
        {status}
      </span>
    </form>
  );
}
