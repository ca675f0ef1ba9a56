// The "System State" chisels: they end the capture at the first event they see (sysdig.end_capture) and
// print the tables as they are then: containers (lscontainers), processes (ps), open fds (lsof),
// connections (netstat), plus scapkit's own process tree (proctree).
import type { ChiselDefinition } from '../types.js';
import { extendString } from '../text.js';

interface ContainerRow {
  type: string;
  image: string;
  name: string;
  id: string;
}

export const lscontainers: ChiselDefinition = {
  name: 'lscontainers',
  category: 'System State',
  description: 'List the running containers',
  details: 'List the running containers and the metadata',
  args: [{ name: 'desc', description: "'desc' prints the result set as a data structure", optional: true }],
  create(args) {
    const desc = args.desc === 'desc';
    let rows: ContainerRow[] | undefined;
    return {
      onEvent(ctx, ctl) {
        // The table as it is after the first event, like sysdig's end_capture in on_event.
        rows = [...ctx.state.containers.values()].map((c) => ({
          type: c.type,
          image: c.image,
          name: c.name,
          id: c.id,
        }));
        ctl.stop();
      },
      onEnd(out, info) {
        // sysdig prints nothing for a capture whose first event never came.
        if (info.events === 0 && rows === undefined) rows = [];
        const list = rows ?? [];
        if (desc) {
          out(JSON.stringify(list, null, 1));
          return;
        }
        out(
          extendString('container.type', 15) +
            extendString('container.image', 16) +
            extendString('container.name', 20) +
            extendString('container.id', 13),
        );
        out(
          extendString('-'.repeat(15), 15) +
            extendString('-'.repeat(16), 16) +
            extendString('-'.repeat(20), 20) +
            extendString('-'.repeat(13), 13),
        );
        for (const c of list) {
          out(extendString(c.type, 15) + extendString(c.image, 16) + extendString(c.name, 20) + extendString(c.id, 13));
        }
      },
    };
  },
};
