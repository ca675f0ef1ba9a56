// process-tree against sysdig: every process sysdig sees doing something sits under its parent with its
// command line (`sysdig -p '%proc.pid|%proc.ppid|%proc.cmdline'`), and every process of the table sysdig
// prints at the end of the capture (`sysdig -c ps`) is in the tree with its name.
import { describe, expect, it } from 'vitest';
import { main } from '../process-tree.js';
import { capture, lines, run, sysdig } from './helpers.js';

interface Node {
  pid: number;
  depth: number;
  text: string;
  parent: number | undefined;
}

/** The printed tree back into nodes: two spaces of indentation per level. */
function parse(out: string): Map<number, Node> {
  const nodes = new Map<number, Node>();
  const path: number[] = []; // pid at each depth on the way to the current line
  for (const line of lines(out)) {
    const m = /^( *)(\d+) (.*)$/.exec(line);
    if (!m) throw new Error(`bad line: ${JSON.stringify(line)}`);
    const depth = m[1]!.length / 2;
    const pid = Number(m[2]);
    expect(nodes.has(pid), `pid ${pid} printed twice`).toBe(false);
    expect(depth).toBeLessThanOrEqual(path.length);
    path.length = depth;
    nodes.set(pid, { pid, depth, text: m[3]!, parent: path[depth - 1] });
    path.push(pid);
  }
  return nodes;
}

describe('process-tree', () => {
  for (const name of ['cat_write.scap', 'curl_google.scap', 'run_as_user_65534_container.scap']) {
    it(`puts every active process of ${name} under its parent`, async () => {
      const tree = parse(await run(main, [capture(name)]));
      // The last line sysdig prints for a pid is the process as the capture leaves it (after its execs).
      const last = new Map<number, [ppid: number, cmdline: string]>();
      for (const l of lines(sysdig(['-r', capture(name), '-p', '%proc.pid|%proc.ppid|%proc.cmdline']))) {
        const [pid, ppid, cmdline] = l.split('|');
        last.set(Number(pid), [Number(ppid), cmdline!]);
      }
      expect(last.size).toBeGreaterThan(0);
      for (const [pid, [ppid, cmdline]] of last) {
        const node = tree.get(pid);
        expect(node, `pid ${pid} (${cmdline})`).toBeDefined();
        expect(node!.text).toBe(cmdline);
        // A parent the capture never described cannot be shown: the process is then a root.
        expect(node!.parent).toBe(tree.has(ppid) ? ppid : undefined);
      }
    });
  }

  it('shows cat under the bash that started it (cat_write.scap)', async () => {
    const tree = parse(await run(main, [capture('cat_write.scap')]));
    const [line] = lines(
      sysdig(['-r', capture('cat_write.scap'), '-p', '%proc.pid %proc.ppid %proc.pname', 'proc.name=cat']),
    );
    const [pid, ppid, pname] = line!.split(' ');
    expect(pname).toBe('bash');
    expect(tree.get(Number(pid))?.text).toBe('cat /dev/null');
    expect(tree.get(Number(pid))?.parent).toBe(Number(ppid));
    expect(tree.get(Number(ppid))?.text.split(' ')[0]).toBe('bash');
  });

  it('holds every process of the table sysdig prints with -c ps', async () => {
    const tree = parse(await run(main, [capture('cat_write.scap')]));
    const ps = lines(sysdig(['-r', capture('cat_write.scap'), '-c', 'ps'])).slice(1);
    let processes = 0;
    for (const row of ps) {
      // TID PID USER VIRT RES FDLIMIT CMD; threads (TID != PID) are not processes.
      const [tid, pid, , , , , cmd] = row.trim().split(/\s+/);
      if (tid !== pid) continue;
      processes++;
      expect(tree.get(Number(pid))?.text.split(' ')[0], `pid ${pid}`).toBe(cmd);
    }
    expect(processes).toBeGreaterThan(30);
  });
});
