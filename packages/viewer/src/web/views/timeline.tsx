// The timeline: events per time slot over the whole trace, stacked by category (uPlot bars), for the
// current filter. Dragging across it selects a time range, which narrows every view; alerts are red marks.
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { ViewContext } from '../app.js';
import { formatRel } from '../format.js';
import { alertRel } from './alerts.js';

const COLORS: Record<string, string> = {
  file: '#4e79a7',
  net: '#f28e2b',
  ipc: '#76b7b2',
  process: '#e15759',
  memory: '#59a14f',
  sleep: '#b07aa1',
  other: '#9c9c9c',
};

export function Timeline({ ctx }: { ctx: ViewContext }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const { whole, info, nav, alerts } = ctx;
  const setNavRef = useRef(ctx.setNav);
  setNavRef.current = (r) => ctx.setNav(r);
  const navRef = useRef(nav);
  navRef.current = nav;
  const tl = whole.timeline;
  const slotS = info.slotNs / 1e9;
  const t0s = Number(BigInt(info.t0) / 1000n) / 1e6;

  useLayoutEffect(() => {
    const el = box.current;
    if (!el || !tl) return;
    const n = tl.slots;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = t0s + i * slotS;
    // Stacked: series k holds categories k… summed, drawn from the total down so each shows its own band.
    const stacks: Float64Array[] = [];
    let acc = new Float64Array(n);
    for (let c = tl.categories.length - 1; c >= 0; c--) {
      const s = new Float64Array(n);
      const counts = tl.counts[c] ?? [];
      for (let i = 0; i < n; i++) s[i] = (acc[i] ?? 0) + (counts[i] ?? 0);
      stacks.unshift(s);
      acc = s;
    }
    const bars = uPlot.paths.bars!({ size: [1, Number.POSITIVE_INFINITY], gap: 0, align: 1 });
    const alertXs = alerts.map((a) => t0s + alertRel(a.ts, info.t0) / 1e9);
    // Canvas colours cannot be CSS variables: read the theme's.
    const css = getComputedStyle(document.documentElement);
    const muted = css.getPropertyValue('--muted').trim() || '#888';
    const grid = css.getPropertyValue('--grid').trim() || '#ddd';
    const opts: uPlot.Options = {
      width: el.clientWidth || 800,
      height: 130,
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      scales: { x: { time: true, range: () => [t0s, t0s + Math.max(n, 1) * slotS] } },
      axes: [
        { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        {
          stroke: muted,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          size: 50,
          values: (_u, vals) =>
            vals.map((v) => (v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : String(v))),
        },
      ],
      series: [
        { value: (_u, v) => (v == null ? '' : formatRel((v - t0s) * 1e9)) },
        ...tl.categories.map((c, k) => ({
          label: c,
          fill: COLORS[c],
          stroke: COLORS[c],
          width: 0,
          paths: bars,
          value: (_u: uPlot, _v: number | null, _si: number, i: number | null) =>
            i == null ? '' : (tl.counts[k]?.[i] ?? 0).toLocaleString('en-US'),
        })),
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 2) return;
            const a = u.posToVal(u.select.left, 'x');
            const b = u.posToVal(u.select.left + u.select.width, 'x');
            const from = Math.max(0, Math.round((a - t0s) * 1e9));
            const to = Math.round((b - t0s) * 1e9);
            setNavRef.current({ ...navRef.current, range: [from, to], event: undefined });
          },
        ],
        draw: [
          (u) => {
            const c = u.ctx;
            c.save();
            c.strokeStyle = '#d62728';
            c.lineWidth = 2 * devicePixelRatio;
            for (const x of alertXs) {
              const px = u.valToPos(x, 'x', true);
              c.beginPath();
              c.moveTo(px, u.bbox.top);
              c.lineTo(px, u.bbox.top + u.bbox.height);
              c.stroke();
            }
            c.restore();
          },
        ],
      },
    };
    plot.current?.destroy();
    const u = new uPlot(opts, [xs, ...stacks] as unknown as uPlot.AlignedData, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: 130 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = undefined;
    };
  }, [tl, alerts, info.t0, ctx.theme]);

  // The range from the URL or elsewhere, drawn as uPlot's selection.
  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    const r = nav.range;
    if (!r) return u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    const l = u.valToPos(t0s + r[0] / 1e9, 'x');
    const w = u.valToPos(t0s + r[1] / 1e9, 'x') - l;
    u.setSelect({ left: l, top: 0, width: Math.max(1, w), height: u.bbox.height / devicePixelRatio }, false);
  }, [nav.range?.[0], nav.range?.[1], tl]);

  if (!tl) return null;
  return (
    <div class="timeline">
      <div ref={box} class="timeline-plot" id="timeline" />
      <div class="timeline-tools">
        {nav.range ? (
          <>
            <span id="range">
              range {formatRel(nav.range[0])} – {formatRel(nav.range[1])}
            </span>
            <button
              type="button"
              class="ghost small"
              onClick={() => ctx.setNav({ ...nav, range: undefined })}
            >
              whole trace
            </button>
          </>
        ) : (
          <span class="muted">drag across the timeline to select a time range</span>
        )}
        {alerts.length ? <span class="alert-count">{alerts.length} alerts</span> : null}
      </div>
    </div>
  );
}
