// The pid filter follows forks in the kernel (followForks, childrenOf): a process forked by a recorded one
// is recorded from its first event, and nothing else is. What `scapkit record --only-command` relies on.
// Real kernel, real processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { type EventBatch, EventView } from '@scapkit/scap-format';
import { afterAll, describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { openProbe, type ProbeOptions } from '../src/index.js';

const started: ChildProcess[] = [];
afterAll(() => {
  for (const c of started) c.kill('SIGKILL');
});

/** An event, as much of it as these tests look at. */
interface Seen {
  tid: number;
  name: string;
  dir: string;
  /** Successful execve exits: the program and its arguments (argv[1…]), joined by spaces. */
  args?: string;
}

/** Records with `opts` while `during` runs, then drains and decodes. */
async function recordWhile(opts: ProbeOptions, during: () => Promise<void>): Promise<Seen[]> {
  const probe = openProbe(opts);
  const batches: EventBatch[] = [];
  const reading = (async () => {
    for await (const b of probe) batches.push(b);
  })();
  try {
    await during();
  } finally {
    await probe.close();
    await reading;
  }
  const v = new EventView();
  const out: Seen[] = [];
  for (const b of batches) {
    for (let i = 0; i < b.count; i++) {
      v.at(b, i);
      const info = v.info!;
      const e: Seen = { tid: v.tid, name: info.name, dir: info.dir };
      const a = v.paramIndex('args');
      if (info.name === 'execve' && info.dir === '<' && a >= 0 && v.paramI64(0) === 0)
        e.args = [
          v.paramString(v.paramIndex('exe')),
          ...new TextDecoder().decode(v.paramBytes(a)).split('\0'),
        ]
          .filter(Boolean)
          .join(' ');
      out.push(e);
    }
  }
  return out;
}

/** Runs a command to its end; resolves with its pid. */
function run(argv: string[], input?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const c = spawn(argv[0]!, argv.slice(1), {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'inherit'],
    });
    if (input !== undefined) c.stdin!.end(input);
    c.on('error', reject);
    c.on('exit', () => resolve(c.pid!));
  });
}

const marker = `follow-${process.pid}`;

describe.skipIf(!CAN_LOAD_PROBE)('bpf-probe: the pid filter follows forks', () => {
  it('childrenOf: the processes this one starts and their descendants, none of the rest', async () => {
    // Started before the probe: neither it nor the cats it keeps starting are this process's new children.
    const noise = spawn(
      'sh',
      ['-c', `while :; do cat /etc/hostname > /dev/null; sleep 0.01; done # noise-${marker}`],
      {
        stdio: 'ignore',
      },
    );
    started.push(noise);
    let cmdPid = 0;
    const events = await recordWhile({ childrenOf: process.pid, followForks: true }, async () => {
      // A child, its child (cat), its grandchild (a nested sh's echo is a builtin: the nested sh itself).
      cmdPid = await run(['sh', '-c', `cat /etc/hostname > /dev/null; sh -c 'true ${marker}'; : ${marker}`]);
    });
    const execs = events.filter((e) => e.args !== undefined).map((e) => e.args!);
    expect(execs).toContain(`sh -c cat /etc/hostname > /dev/null; sh -c 'true ${marker}'; : ${marker}`);
    expect(execs).toContain('cat /etc/hostname');
    expect(execs).toContain(`sh -c true ${marker}`);
    // The child's very first event, before it exec'd: its side of the clone.
    expect(events.some((e) => e.tid === cmdPid && e.name.startsWith('clone') && e.dir === '<')).toBe(true);
    // Nothing of the noise loop, nor of this process.
    expect(events.filter((e) => e.tid === noise.pid || e.tid === process.pid)).toEqual([]);
    expect(execs.filter((a) => a.includes(`noise-${marker}`))).toEqual([]);
    // Every exec seen is of the command's tree: sh, cat, the nested sh.
    for (const a of execs) expect(a.startsWith('sh -c') || a === 'cat /etc/hostname').toBe(true);
  });

  it('pids with followForks records what a listed process forks; without it, only the process', async () => {
    const runShell = async (follow: boolean): Promise<{ events: Seen[]; pid: number }> => {
      // A shell that waits for a line, then starts a cat: listed before it forks.
      const sh = spawn('sh', ['-c', `read x; cat /etc/hostname > /dev/null # ${marker}-${follow}`], {
        stdio: ['pipe', 'ignore', 'inherit'],
      });
      started.push(sh);
      const exited = new Promise<void>((r) => sh.on('exit', () => r()));
      const events = await recordWhile({ pids: [sh.pid!], followForks: follow }, async () => {
        sh.stdin!.end('go\n');
        await exited;
      });
      return { events, pid: sh.pid! };
    };
    const followed = await runShell(true);
    expect(followed.events.some((e) => e.args === 'cat /etc/hostname')).toBe(true);
    expect(followed.events.some((e) => e.tid === followed.pid)).toBe(true);
    const alone = await runShell(false);
    expect(alone.events.some((e) => e.tid === alone.pid)).toBe(true);
    expect(alone.events.filter((e) => e.tid !== alone.pid)).toEqual([]);
  });

  it('childrenOf without followForks is refused', () => {
    expect(() => openProbe({ childrenOf: process.pid })).toThrow(/childrenOf needs followForks/);
  });
});
