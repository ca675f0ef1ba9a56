// Chisels that aggregate per process or per key with logic of their own (not a plain table_generator):
// topprocs_cpu (CPU share from procinfo events, as topprocs_cpu.lua and sinsp's thread.cpu compute it) and
// fdcount_by (distinct fds per key, fdcount_by.lua).

import { paramUint } from '@scapkit/scap-format';
import type { FieldValue } from '../../fields/types.js';
import type { Thread } from '../../state/thread.js';
import { captureDelta, GroupTable, keyText, printSortedTable } from '../table.js';
import { luaString } from '../text.js';
import type { ChiselDefinition } from '../types.js';

export const topprocsCpu: ChiselDefinition = {
  name: 'topprocs_cpu',
  category: 'CPU Usage',
  description: 'Top processes by CPU usage',
  details: 'Show the top process defined by the highest CPU utilization.',
  args: [],
  create(_args, env) {
    const keys = [env.field('proc.name'), env.field('proc.pid')];
    const table = new GroupTable(2);
    const vals: FieldValue[] = [undefined, undefined];
    // sinsp's thread.cpu keeps the last total (user + system ticks) on the thread itself; a thread that
    // is replaced (tid reused) starts over, hence a WeakMap keyed by the Thread object.
    const lastTotal = new WeakMap<Thread, number>();
    return {
      filter: 'evt.type=procinfo',
      onEvent(ctx) {
        let i = 0;
        for (const f of keys) {
          const k = f.get(ctx);
          if (k === undefined) return;
          vals[i++] = k;
        }
        const t = ctx.state.thread;
        const v = ctx.view;
        const iu = v.paramIndex('cpu_usr');
        const is = v.paramIndex('cpu_sys');
        if (t === undefined || iu < 0 || is < 0) return;
        const tot = paramUint(v, iu) + paramUint(v, is);
        const last = lastTotal.get(t) ?? 0;
        // thread.cpu: ticks since the thread's previous procinfo, capped at 100 (0 the first time).
        const cpu = last !== 0 ? Math.min(tot - last, 100) : 0;
        lastTotal.set(t, tot);
        // topprocs_cpu.lua adds cpu * 10^7 (ticks of 10 ms, in ns), zero included.
        table.add(keys, vals, cpu * 10000000);
      },
      onEnd(out, info) {
        printSortedTable(
          out,
          table.rows,
          { keyDescs: ['Process', 'PID'], valueDesc: 'CPU%', top: 10, units: 'timepct' },
          captureDelta(info),
        );
      },
    };
  },
};

export const fdcountBy: ChiselDefinition = {
  name: 'fdcount_by',
  category: 'I/O',
  description: 'FD count, aggregated by an arbitrary filter field',
  details:
    'Groups all the active FDs based on the given filter field, and returns the fd count for each key. For example, it can be used to list the number of connections per process or per IP endpoint.',
  args: [{ name: 'key', description: 'The filter field used for grouping', type: 'string' }],
  create(args, env) {
    const key = env.field(args.key!);
    const fdnum = env.field('fd.num');
    const fdname = env.field('fd.name');
    // key → fd number → the fd names seen with it; `count` is the number of distinct (number, name) pairs
    // (Lua's tostring(fdnum) .. fdname), kept without building that string per event.
    const groups = new Map<unknown, { text: string; count: number; fds: Map<number, Set<string>> }>();
    return {
      onEvent(ctx) {
        const k = key.get(ctx);
        const n = fdnum.get(ctx);
        const name = fdname.get(ctx);
        if (k === undefined || typeof n !== 'number' || !(n > 0) || typeof name !== 'string' || name === '')
          return;
        let g = groups.get(k);
        if (g === undefined) {
          g = { text: keyText(key, k), count: 0, fds: new Map() };
          groups.set(k, g);
        }
        let names = g.fds.get(n);
        if (names === undefined) {
          names = new Set();
          g.fds.set(n, names);
        }
        if (!names.has(name)) {
          names.add(name);
          g.count++;
        }
      },
      onEnd(out) {
        // Largest count first; Lua's print(k, v) separates with a tab.
        const rows = [...groups.values()].sort((a, b) => b.count - a.count);
        for (const g of rows) out(`${g.text}\t${luaString(g.count)}`);
      },
    };
  },
};
