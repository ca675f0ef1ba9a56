// The process tree: every process of the trace (those in the first metadata and those it saw start), each
// under its parent, with when it started, last exec'd and exited. A process opens its events.
import { useMemo, useState } from 'preact/hooks';
import type { ProcessNode } from '../../model/types.js';
import type { ViewContext } from '../app.js';
import { formatRel } from '../format.js';

interface TreeNode {
  p: ProcessNode;
  kids: TreeNode[];
}

/** Parents before children; a pid whose parent is unknown (or a cycle from pid reuse) is a root. */
export function buildTree(list: readonly ProcessNode[]): TreeNode[] {
  const nodes = new Map(list.map((p) => [p.pid, { p, kids: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const n of nodes.values()) {
    const parent = nodes.get(n.p.ppid);
    let cyc = false;
    for (let a = parent, hops = 0; a && hops < 10_000; a = nodes.get(a.p.ppid), hops++) {
      if (a === n) {
        cyc = true;
        break;
      }
    }
    if (parent && parent !== n && !cyc) parent.kids.push(n);
    else roots.push(n);
  }
  const byPid = (a: TreeNode, b: TreeNode) => a.p.pid - b.p.pid;
  for (const n of nodes.values()) n.kids.sort(byPid);
  return roots.sort(byPid);
}

export function TreeView({ ctx }: { ctx: ViewContext }) {
  const roots = useMemo(() => buildTree(ctx.first.processes ?? []), [ctx.first]);
  const [sel, setSel] = useState<number | undefined>();
  const dig = (pid: number | undefined, name = '') => {
    if (pid !== undefined) ctx.go({ label: `${name} (${pid})`, view: 'events', filter: `proc.pid=${pid}` });
  };
  ctx.selection.dig = () => dig(sel);
  return (
    <div class="tree-view scroll" id="tree">
      <p class="muted">
        {ctx.first.processes?.length ?? 0} processes · click to select, double-click or <kbd>d</kbd> for its
        events
      </p>
      <ul class="tree">
        {roots.map((n) => (
          <Branch key={n.p.pid} n={n} sel={sel} setSel={setSel} dig={dig} />
        ))}
      </ul>
    </div>
  );
}

function Branch({
  n,
  sel,
  setSel,
  dig,
}: {
  n: TreeNode;
  sel: number | undefined;
  setSel: (p: number) => void;
  dig: (pid: number, name: string) => void;
}) {
  const [open, setOpen] = useState(true);
  const p = n.p;
  return (
    <li data-pid={p.pid}>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the selected process is opened with d, as everywhere */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a tree row, selected by click */}
      <div
        class={sel === p.pid ? 'proc sel' : 'proc'}
        onClick={() => setSel(p.pid)}
        onDblClick={() => dig(p.pid, p.name)}
      >
        {n.kids.length > 0 ? (
          <button type="button" class="twisty" onClick={() => setOpen(!open)} aria-label="fold">
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span class="twisty" />
        )}
        <span class="pid">{p.pid}</span> <span class="pname">{p.name}</span>{' '}
        <span class="cmd">{p.cmdline}</span>
        <span class="times">
          {p.start >= 0 ? <span>started {formatRel(p.start)}</span> : null}
          {p.exec >= 0 ? <span>exec {formatRel(p.exec)}</span> : null}
          {p.exit >= 0 ? <span>exit {formatRel(p.exit)}</span> : null}
        </span>
      </div>
      {open && n.kids.length > 0 ? (
        <ul>
          {n.kids.map((k) => (
            <Branch key={k.p.pid} n={k} sel={sel} setSel={setSel} dig={dig} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
