// A drill-down table (processes, files, connections, …): rows grouped by the table's key fields over the
// current range and filter, sortable by any column, narrowed by a text match. A row opens the events behind
// it (d, Enter, double-click): the table's filter and `key=value` for each key, as a breadcrumb; on files
// and connections, e follows the bytes.
import { quoteString } from '@scapkit/replay';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { TableId } from '../../model/specs.js';
import type { TableData } from '../../model/types.js';
import type { ViewContext } from '../app.js';
import { formatValue } from '../format.js';

/** `field=value`, the value quoted unless it is a plain integer. */
export function keyCondition(field: string, value: string): string {
  return `${field}=${/^-?\d+$/.test(value) ? value : quoteString(value)}`;
}

export function rowFilter(t: TableData, row: (string | number)[]): string {
  return [t.filter, ...t.keys.map((k, i) => keyCondition(k, String(row[i])))].join(' and ');
}

const ECHO_TABLES = new Set<TableId>(['files', 'connections']);

export function TableView({ ctx, table }: { ctx: ViewContext; table: TableId }) {
  const data = ctx.model.tables.find((t) => t.id === table);
  const [sort, setSort] = useState<{ col: number; desc: boolean } | undefined>();
  const [match, setMatch] = useState('');
  const [sel, setSel] = useState(0);
  const body = useRef<HTMLTableSectionElement>(null);

  const rows = useMemo(() => {
    if (!data) return [];
    const m = match.toLowerCase();
    const r = m
      ? data.rows.filter((row) => row.some((c) => String(c).toLowerCase().includes(m)))
      : [...data.rows];
    const col = sort?.col ?? data.sortBy;
    const desc = sort ? sort.desc : true;
    r.sort((a, b) => {
      const x = a[col] ?? '';
      const y = b[col] ?? '';
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return desc ? -c : c;
    });
    return r;
  }, [data, sort, match]);

  useEffect(() => setSel(0), [data, match]);
  useEffect(() => {
    body.current?.children[sel]?.scrollIntoView({ block: 'nearest' });
  }, [sel]);

  // The whole trace's tables come from a pass after the overview: until it ends, the model has none.
  if (!data)
    return (
      <p class="empty" id="tables-pending">
        {ctx.model.tables.length === 0 ? 'Counting the tables…' : 'No such table.'}
      </p>
    );
  const dig = (row: (string | number)[] | undefined) => {
    if (!row) return;
    ctx.go({ label: String(row[data.keys.length - 1]), view: 'events', filter: rowFilter(data, row) });
  };
  const echo = (row: (string | number)[] | undefined) => {
    if (!row || !ECHO_TABLES.has(table)) return;
    const filter = rowFilter(data, row);
    const name = String(row[data.keys.length - 1]);
    ctx.go({ label: `I/O ${name}`, view: 'io', filter: '', follow: { filter, name } });
  };
  ctx.selection.dig = () => dig(rows[sel]);
  ctx.selection.echo = () => echo(rows[sel]);

  const headers = [...data.keyTitles, ...data.columns.map((c) => c.title)];
  const nk = data.keys.length;
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setSel(Math.min(rows.length - 1, sel + 1));
    else if (e.key === 'ArrowUp') setSel(Math.max(0, sel - 1));
    else if (e.key === 'Enter') dig(rows[sel]);
    else return;
    e.preventDefault();
  };
  return (
    <div class="table-view" data-table={table}>
      <div class="table-tools">
        <h2>{data.title}</h2>
        <input
          type="search"
          class="match"
          placeholder="match rows…"
          value={match}
          onInput={(e) => setMatch((e.target as HTMLInputElement).value)}
        />
        <span class="muted">
          {data.totalRows > data.rows.length
            ? `${data.rows.length.toLocaleString('en-US')} largest of ${data.totalRows.toLocaleString('en-US')} rows`
            : `${data.totalRows.toLocaleString('en-US')} rows`}
        </span>
        <span class="muted hint">
          <kbd>Enter</kbd>/<kbd>d</kbd> events
          {ECHO_TABLES.has(table) ? (
            <>
              {' '}
              · <kbd>e</kbd> I/O
            </>
          ) : null}
        </span>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the table takes arrow keys and Enter when focused */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: as above */}
      <div class="scroll" tabIndex={0} onKeyDown={onKey}>
        <table class="grid" id="table">
          <thead>
            <tr>
              {headers.map((h, i) => {
                const active = (sort?.col ?? data.sortBy) === i;
                const desc = sort ? sort.desc : true;
                const numeric = i >= nk && data.columns[i - nk]?.text === false;
                return (
                  <th
                    key={h}
                    class={numeric ? 'num' : ''}
                    onClick={() => setSort({ col: i, desc: active ? !desc : numeric })}
                  >
                    {h}
                    {active ? (desc ? ' ▾' : ' ▴') : ''}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody ref={body}>
            {rows.slice(0, 2000).map((row, r) => (
              <tr
                key={row.slice(0, nk).join('\u0000')}
                class={r === sel ? 'sel' : ''}
                onClick={() => setSel(r)}
                onDblClick={() => dig(row)}
              >
                {row.map((c, i) => {
                  const col = i >= nk ? data.columns[i - nk] : undefined;
                  const numeric = col !== undefined && !col.text;
                  return (
                    <td key={i} class={numeric ? 'num' : ''} data-value={numeric ? String(c) : undefined}>
                      {numeric ? formatValue(c as number, col!.units) : String(c)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 ? <p class="empty">Nothing here for this filter and range.</p> : null}
      </div>
    </div>
  );
}
