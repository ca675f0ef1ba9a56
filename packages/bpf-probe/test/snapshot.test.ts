// takeSnapshot against the real /proc: a Python child opens one fd of each kind with exact flags, starts
// a thread, and reports what the kernel says about them (fstat, getsockname, native thread ids); the
// snapshot must list the same things. Expected PPM_O_* and PPM_CL_* values are libs' constants
// (driver/ppm_events_public.h), written out here rather than taken from the code under test.
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { type CaptureMetadata, type FdInfo, FdType, type ThreadInfo } from '@scapkit/scap-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ProcSnapshotError,
  type SnapshotIssue,
  takeSnapshot,
  takeSnapshotWithReport,
} from '../src/snapshot/index.js';
import {
  PPM_O_APPEND,
  PPM_O_CLOEXEC,
  PPM_O_DSYNC,
  PPM_O_NONBLOCK,
  PPM_O_RDONLY,
  PPM_O_RDWR,
  PPM_O_SYNC,
  PPM_O_WRONLY,
} from './support/ppm-flags.js';

const HELPER = `
import ctypes, json, os, select, socket, sys, threading
d = sys.argv[1]
libc = ctypes.CDLL(None, use_errno=True)
keep = []
def k(x):
    keep.append(x)
    return x
out = {}
out['append'] = os.open(d + '/append.log', os.O_WRONLY | os.O_CREAT | os.O_APPEND)
out['rdonly_nb'] = os.open(d + '/append.log', os.O_RDONLY | os.O_NONBLOCK)
os.set_inheritable(out['rdonly_nb'], True)   # clears FD_CLOEXEC: no PPM_O_CLOEXEC expected
out['dsync'] = os.open(d + '/append.log', os.O_RDWR | os.O_DSYNC)
out['sync'] = os.open(d + '/append.log', os.O_WRONLY | os.O_SYNC)
out['dir'] = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
r, w = os.pipe()
out['pipe_r'], out['pipe_w'] = r, w
os.mkfifo(d + '/fifo')
out['fifo'] = os.open(d + '/fifo', os.O_RDWR)
lst = k(socket.socket(socket.AF_INET, socket.SOCK_STREAM)); lst.bind(('127.0.0.1', 0)); lst.listen()
cli = k(socket.create_connection(lst.getsockname()))
srv, _ = lst.accept(); k(srv)
out['listen'], out['client'], out['accepted'] = lst.fileno(), cli.fileno(), srv.fileno()
out['listen_port'] = lst.getsockname()[1]
out['client_port'] = cli.getsockname()[1]
udp = k(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)); udp.bind(('127.0.0.1', 0))
udpc = k(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)); udpc.connect(udp.getsockname())
out['udp'], out['udp_port'] = udp.fileno(), udp.getsockname()[1]
out['udp_conn'], out['udp_conn_port'] = udpc.fileno(), udpc.getsockname()[1]
try:
    l6 = k(socket.socket(socket.AF_INET6, socket.SOCK_STREAM)); l6.bind(('::1', 0)); l6.listen()
    out['listen6'], out['listen6_port'] = l6.fileno(), l6.getsockname()[1]
except OSError:
    pass
us = k(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)); us.bind(d + '/unix.sock'); us.listen()
out['unix'] = us.fileno()
nl = k(socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)); nl.bind((0, 0))   # listed once bound
out['netlink'] = nl.fileno()
out['eventfd'] = os.eventfd(0)
out['epoll'] = k(select.epoll()).fileno()
out['memfd'] = os.memfd_create('scapkit')
out['pidfd'] = os.pidfd_open(os.getpid())
out['inotify'] = libc.inotify_init1(0)
out['timerfd'] = libc.timerfd_create(1, 0)
mask = ctypes.c_uint64(0)
out['signalfd'] = libc.signalfd(-1, ctypes.byref(mask), 0)
# Raw syscalls (x86_64 numbers) for the kinds Python has no call for; each may be refused by the kernel.
if os.uname().machine == 'x86_64':
    libc.syscall.restype = ctypes.c_long
    attr = (ctypes.c_uint32 * 32)(2, 4, 8, 1)   # bpf(BPF_MAP_CREATE, {ARRAY, key 4, value 8, 1 entry})
    out['bpf'] = libc.syscall(321, 0, ctypes.byref(attr), 128)
    params = (ctypes.c_uint8 * 120)()
    out['io_uring'] = libc.syscall(425, 4, ctypes.byref(params))   # io_uring_setup(4, &params)
    out['userfaultfd'] = libc.syscall(323, os.O_CLOEXEC)
st = os.stat(d + '/append.log')
out['file_ino'], out['file_dev'] = st.st_ino, [os.major(st.st_dev), os.minor(st.st_dev)]
out['pipe_ino'] = os.fstat(r).st_ino
out['fifo_ino'] = os.stat(d + '/fifo').st_ino
go = threading.Event()
started = threading.Event()
tids = []
def worker():
    tids.append(threading.get_native_id())
    started.set()
    go.wait()
t = threading.Thread(target=worker, daemon=True); t.start(); started.wait()
out['thread'] = tids[0]
out['pid'] = os.getpid()
print(json.dumps(out), flush=True)
sys.stdin.read()
`;

interface HelperReport {
  [fd: string]: number | number[];
}

let child: ChildProcessWithoutNullStreams;
let helper: HelperReport;
let dir: string;
let snap: CaptureMetadata;
let issues: SnapshotIssue[];
let tasksBefore: number;
let tasksAfter: number;

// The interpreter itself, not a shim (pyenv's python3 is a script that execs the real one).
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).trim();

const countTasks = () =>
  Number(
    execFileSync('sh', ['-c', 'ls -d /proc/[0-9]*/task/[0-9]* 2>/dev/null | wc -l'], { encoding: 'utf8' }),
  );

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'scapkit-snapshot-')));
  child = spawn(PYTHON, ['-c', HELPER, dir, 'arg two'], {
    argv0: 'scapkit-helper', // what the snapshot must report as exe (argv[0])
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SCAPKIT_SNAPSHOT_TEST: 'yes' },
  });
  const lines = createInterface({ input: child.stdout });
  let stderr = '';
  child.stderr.on('data', (b) => {
    stderr += b;
  });
  helper = await new Promise<HelperReport>((resolve, reject) => {
    lines.once('line', (l) => resolve(JSON.parse(l)));
    child.once('exit', (code) => reject(new Error(`helper exited (${code}): ${stderr}`)));
  });
  tasksBefore = countTasks();
  const report = await takeSnapshotWithReport();
  tasksAfter = countTasks();
  snap = report.metadata;
  issues = report.issues;
});

afterAll(() => {
  child?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const threadOf = (tid: number): ThreadInfo | undefined => snap.threads.find((t) => t.tid === tid);
const fdOf = (fd: number | number[]): FdInfo | undefined =>
  snap.fds.get(helper.pid as number)?.find((f) => f.fd === fd);

// PPM_CL_CLONE_FILES | PPM_CL_CLONE_THREAD
const THREAD_FLAGS = (1 << 0) | (1 << 13);

describe('takeSnapshot threads', () => {
  it('has the helper process with its exe, args, env and cwd', () => {
    const t = threadOf(helper.pid as number);
    expect(t).toBeDefined();
    expect(t!.pid).toBe(helper.pid);
    expect(t!.ptid).toBe(process.pid);
    expect(t!.comm).toBe(basename(PYTHON).slice(0, 15));
    expect(t!.exe).toBe('scapkit-helper');
    expect(t!.exepath).toBe(realpathSync(PYTHON));
    expect(t!.args).toEqual(['-c', HELPER, dir, 'arg two']);
    expect(t!.env).toContain('SCAPKIT_SNAPSHOT_TEST=yes');
    expect(t!.cwd).toBe(dir);
    expect(t!.root).toBe('/');
    expect(t!.flags).toBe(0);
    expect(t!.uid).toBe(process.getuid!());
    expect(t!.gid).toBe(process.getgid!());
    expect(t!.vtid).toBe(t!.tid);
    expect(t!.vpid).toBe(t!.pid);
    expect(t!.sid).toBe(
      Number(execFileSync('ps', ['-o', 'sid=', '-p', String(helper.pid)], { encoding: 'utf8' })),
    );
    expect(t!.pgid).toBe(
      Number(execFileSync('ps', ['-o', 'pgid=', '-p', String(helper.pid)], { encoding: 'utf8' })),
    );
    expect(t!.vmrssKb).toBeGreaterThan(1000);
    expect(t!.vmsizeKb).toBeGreaterThan(t!.vmrssKb);
    expect(t!.pfMinor).toBeGreaterThan(0);
    expect(t!.fdlimit).toBe(Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' })));
    expect(t!.cgroups.length).toBeGreaterThan(0);
    for (const c of t!.cgroups) expect(c).toMatch(/^[\w=,.-]+=\//);
    expect(t!.exeIno).toBeGreaterThan(0);
    expect(BigInt(t!.exeInoMtime)).toBeGreaterThan(0n);
  });

  it('has the helper thread under its own tid, sharing the process fd table', () => {
    const t = threadOf(helper.thread as number);
    expect(t).toBeDefined();
    expect(t!.tid).not.toBe(helper.pid);
    expect(t!.pid).toBe(helper.pid);
    expect(t!.ptid).toBe(process.pid);
    expect(t!.flags).toBe(THREAD_FLAGS);
    expect(t!.args).toEqual(['-c', HELPER, dir, 'arg two']);
    expect(t!.cwd).toBe(dir);
    expect(snap.fds.has(helper.thread as number)).toBe(false);
  });

  it('lists about as many threads as /proc has tasks', () => {
    const lo = Math.min(tasksBefore, tasksAfter);
    const hi = Math.max(tasksBefore, tasksAfter);
    // Other work runs on the box meanwhile: allow some churn either way.
    const slack = Math.max(10, Math.ceil(hi * 0.05));
    expect(snap.threads.length).toBeGreaterThanOrEqual(lo - slack);
    expect(snap.threads.length).toBeLessThanOrEqual(hi + slack);
    expect(new Set(snap.threads.map((t) => t.tid)).size).toBe(snap.threads.length);
    // Vanished processes are not issues; what is (EACCES on a protected process) names its process.
    for (const i of issues) {
      expect(i.code).not.toMatch(/^(ENOENT|ESRCH)$/);
      expect(i.path.startsWith(`/proc/${i.pid}/`)).toBe(true);
    }
  });

  it('leaves excluded processes out, threads and fds', async () => {
    const again = await takeSnapshot({ excludePids: [helper.pid as number] });
    expect(again.threads.some((t) => t.pid === helper.pid)).toBe(false);
    expect(again.fds.has(helper.pid as number)).toBe(false);
    expect(again.threads.some((t) => t.pid === process.pid)).toBe(true);
  });
});

describe('takeSnapshot fds', () => {
  it('types and names files, directories and pipes', () => {
    const append = fdOf(helper.append);
    expect(append).toMatchObject({ type: FdType.FILE_V2, name: `${dir}/append.log`, ino: helper.file_ino });
    // Python opens fds close-on-exec; the kernel has already dropped O_CREAT.
    expect(append!.openFlags).toBe(PPM_O_WRONLY | PPM_O_APPEND | PPM_O_CLOEXEC);
    const [major, minor] = helper.file_dev as number[];
    expect(append!.dev).toBe(((minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12)) >>> 0);
    expect(fdOf(helper.rdonly_nb)!.openFlags).toBe(PPM_O_RDONLY | PPM_O_NONBLOCK);
    // O_SYNC is O_DSYNC plus a bit of its own: a data-only sync must not read as a full one.
    expect(fdOf(helper.dsync)!.openFlags).toBe(PPM_O_RDWR | PPM_O_DSYNC | PPM_O_CLOEXEC);
    expect(fdOf(helper.sync)!.openFlags).toBe(PPM_O_WRONLY | PPM_O_SYNC | PPM_O_DSYNC | PPM_O_CLOEXEC);
    expect(fdOf(helper.dir)).toMatchObject({ type: FdType.DIRECTORY, name: dir });
    const pipeName = `pipe:[${helper.pipe_ino}]`;
    expect(fdOf(helper.pipe_r)).toMatchObject({ type: FdType.FIFO, name: pipeName, ino: helper.pipe_ino });
    expect(fdOf(helper.pipe_w)).toMatchObject({ type: FdType.FIFO, name: pipeName, ino: helper.pipe_ino });
    expect(fdOf(helper.fifo)).toMatchObject({ type: FdType.FIFO, name: `${dir}/fifo`, ino: helper.fifo_ino });
    // Node gives a spawned child unix socketpairs as stdin/stdout/stderr: unnamed sockets.
    expect(fdOf(0)).toMatchObject({ type: FdType.UNIX_SOCK, name: '' });
  });

  it('resolves TCP and UDP sockets to tuples, client end first', () => {
    const port = helper.listen_port as number;
    expect(fdOf(helper.listen)).toMatchObject({
      type: FdType.IPV4_SERVSOCK,
      sip: '127.0.0.1',
      sport: port,
      l4proto: 2,
    });
    const tuple = { sip: '127.0.0.1', sport: helper.client_port, dip: '127.0.0.1', dport: port, l4proto: 2 };
    expect(fdOf(helper.client)).toMatchObject({ type: FdType.IPV4_SOCK, ...tuple });
    expect(fdOf(helper.accepted)).toMatchObject({ type: FdType.IPV4_SOCK, ...tuple });
    expect(fdOf(helper.udp)).toMatchObject({
      type: FdType.IPV4_SERVSOCK,
      sip: '127.0.0.1',
      sport: helper.udp_port,
      l4proto: 3,
    });
    expect(fdOf(helper.udp_conn)).toMatchObject({
      type: FdType.IPV4_SOCK,
      sip: '127.0.0.1',
      sport: helper.udp_conn_port,
      dip: '127.0.0.1',
      dport: helper.udp_port,
      l4proto: 3,
    });
    if (helper.listen6 !== undefined) {
      expect(fdOf(helper.listen6)).toMatchObject({
        type: FdType.IPV6_SERVSOCK,
        sip: '::1',
        sport: helper.listen6_port,
        l4proto: 2,
      });
    }
  });

  it('resolves unix and netlink sockets', () => {
    const unix = fdOf(helper.unix);
    expect(unix).toMatchObject({ type: FdType.UNIX_SOCK, name: `${dir}/unix.sock` });
    expect(typeof unix!.source).toBe('bigint');
    expect(fdOf(helper.netlink)?.type).toBe(FdType.NETLINK);
  });

  it('types anonymous inodes, memfds and pidfds', () => {
    expect(fdOf(helper.eventfd)).toMatchObject({ type: FdType.EVENT, name: '' });
    expect(fdOf(helper.epoll)?.type).toBe(FdType.EVENTPOLL);
    expect(fdOf(helper.inotify)?.type).toBe(FdType.INOTIFY);
    expect(fdOf(helper.timerfd)?.type).toBe(FdType.TIMERFD);
    expect(fdOf(helper.signalfd)?.type).toBe(FdType.SIGNALFD);
    expect(fdOf(helper.pidfd)?.type).toBe(FdType.PIDFD);
    expect(fdOf(helper.memfd)).toMatchObject({ type: FdType.MEMFD, name: '/memfd:scapkit (deleted)' });
    // Only where the kernel let the helper create them (x86_64, bpf/io_uring/userfaultfd allowed).
    const optional: [string, number][] = [
      ['bpf', FdType.BPF],
      ['io_uring', FdType.IOURING],
      ['userfaultfd', FdType.USERFAULTFD],
    ];
    for (const [kind, type] of optional) {
      if (((helper[kind] as number | undefined) ?? -1) >= 0)
        expect(fdOf(helper[kind])?.type, kind).toBe(type);
    }
  });

  it('lists exactly the fds the process has, in order', () => {
    const listed = snap.fds.get(helper.pid as number)!.map((f) => f.fd);
    const inProc = execFileSync('ls', [`/proc/${helper.pid}/fd`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .sort((a, b) => a - b);
    expect(listed).toEqual(inProc);
  });
});

describe('takeSnapshot machine, users, interfaces', () => {
  it('describes the machine', () => {
    const m = snap.machine!;
    expect(m.hostname).toBe(execFileSync('hostname', { encoding: 'utf8' }).trim());
    expect(m.kernel).toBe(execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
    expect(m.arch).toBe(execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim());
    expect(m.numCpus).toBe(Number(execFileSync('getconf', ['_NPROCESSORS_ONLN'], { encoding: 'utf8' })));
    expect(m.memoryBytes).toBeGreaterThan(0);
    // Boot time agrees with /proc/stat's btime (whole seconds) within a second or so.
    const btime = Number(/^btime (\d+)/m.exec(execFileSync('cat', ['/proc/stat'], { encoding: 'utf8' }))![1]);
    expect(Math.abs(Number(BigInt(m.bootTs) / 1_000_000n) - btime * 1000)).toBeLessThan(2000);
  });

  it('has root, the loopback, and the containers named in cgroups', () => {
    expect(snap.users).toContainEqual(
      expect.objectContaining({ uid: 0, gid: 0, name: 'root', homedir: '/root' }),
    );
    expect(snap.groups).toContainEqual({ gid: 0, name: 'root' });
    expect(snap.interfaces).toContainEqual(
      expect.objectContaining({ name: 'lo', family: 'ipv4', addr: '127.0.0.1', netmask: '255.0.0.0' }),
    );
    for (const c of snap.containers) {
      expect(c.fullId).toMatch(/^[0-9a-f]{64}$/);
      expect(snap.threads.some((t) => t.cgroups.some((g) => g.includes(c.fullId as string)))).toBe(true);
    }
  });
});

describe('takeSnapshot on a changing box', () => {
  it('skips processes that exit during the scan without recording them', async () => {
    // A parent that forks short-lived children as fast as they die, while three snapshots run.
    const churn = spawn(PYTHON, [
      '-c',
      'import os, time\nwhile True:\n    pid = os.fork()\n    if pid == 0: os._exit(0)\n    os.waitpid(pid, 0)\n    time.sleep(0.001)',
    ]);
    try {
      for (let i = 0; i < 3; i++) {
        const r = await takeSnapshotWithReport();
        expect(r.stats.threads).toBeGreaterThan(0);
        for (const issue of r.issues) expect(issue.code).not.toMatch(/^(ENOENT|ESRCH)$/);
      }
    } finally {
      churn.kill();
    }
  });

  it('fails with a typed error when procRoot cannot be listed', async () => {
    await expect(takeSnapshot({ procRoot: `${dir}/no-such-proc` })).rejects.toThrow(ProcSnapshotError);
    await expect(takeSnapshot({ procRoot: `${dir}/no-such-proc` })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
