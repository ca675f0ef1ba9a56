// Overview: Sysdig Inspect's tiles, grouped, each with its value over the current range and filter and a
// sparkline of it over the whole trace. A tile opens its table, narrowed by the tile's own filter.
import { TILES, type TileSpec } from '../../model/specs.js';
import type { Model } from '../../model/types.js';
import type { ViewContext } from '../app.js';
import { formatValue } from '../format.js';

export function OverviewView({ ctx }: { ctx: ViewContext }) {
  ctx.selection.dig = () => ctx.go({ label: 'Events', view: 'events', filter: '' });
  return (
    <Tiles
      model={ctx.model}
      whole={ctx.whole}
      range={ctx.nav.range}
      slotNs={ctx.info.slotNs}
      open={(t) => ctx.go({ label: t.title, view: 'table', table: t.drill, filter: t.filter })}
    />
  );
}

/** The tiles of `model` (values) with the sparklines of `whole`; also shown, filling in, while reading. */
export function Tiles({
  model,
  whole,
  range,
  slotNs,
  open,
}: {
  model: Model;
  whole: Model;
  range?: [number, number];
  slotNs: number;
  open?: (t: TileSpec) => void;
}) {
  const values = new Map(model.tiles.map((t) => [t.id, t.value]));
  const series = new Map(whole.tiles.map((t) => [t.id, t.series]));
  const groups = [...new Set(TILES.map((t) => t.group))];
  return (
    <div class="overview" id={open ? 'overview' : 'overview-partial'}>
      {groups.map((g) => (
        <section class="tile-group" key={g}>
          <h2>{g}</h2>
          <div class="tiles">
            {TILES.filter((t) => t.group === g).map((t) => {
              const v = values.get(t.id) ?? 0;
              return (
                <button
                  type="button"
                  class={v > 0 ? 'tile' : 'tile zero'}
                  key={t.id}
                  data-tile={t.id}
                  data-value={v}
                  title={`${t.filter}\n(click: the ${t.drill} behind it)`}
                  disabled={open === undefined}
                  onClick={() => open?.(t)}
                >
                  <span class="tile-title">{t.title}</span>
                  <span class="tile-value">{formatValue(v, t.units)}</span>
                  <Sparkline values={series.get(t.id)} range={range} slotNs={slotNs} />
                </button>
              );
            })}
          </div>
        </section>
      ))}
    </div>
  );
}

/** A polyline of a series over the trace's slots, the selected range shaded. */
export function Sparkline({
  values,
  range,
  slotNs,
}: {
  values: Float64Array | undefined;
  range?: [number, number];
  slotNs: number;
}) {
  if (!values || values.length === 0) return <svg class="spark" viewBox="0 0 100 20" aria-hidden="true" />;
  let max = 0;
  for (const v of values) if (v > max) max = v;
  const n = values.length;
  const w = 100 / Math.max(1, n - 1);
  let d = '';
  for (const [i, v] of values.entries()) {
    const y = max > 0 ? 19 - (18 * v) / max : 19;
    d += `${i === 0 ? 'M' : 'L'}${(i * w).toFixed(2)},${y.toFixed(2)}`;
  }
  const span = n * slotNs;
  return (
    <svg class="spark" viewBox="0 0 100 20" preserveAspectRatio="none" aria-hidden="true">
      {range ? (
        <rect
          class="spark-range"
          x={(100 * range[0]) / span}
          width={Math.max(0.5, (100 * (range[1] - range[0])) / span)}
          y={0}
          height={20}
        />
      ) : null}
      <path d={`${d}L100,20L0,20Z`} class="spark-fill" />
      <path d={d} class="spark-line" />
    </svg>
  );
}
