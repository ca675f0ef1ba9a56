// Containers for real: podman + runc on this box (cgroups v1: runc, the cgroupfs manager, fixed ulimits).
// An image made once per run from busybox-static with `podman import`; containers with unique names,
// labels (the io.kubernetes.* ones a CRI runtime sets), --privileged and a bind mount. Every field the
// trace gives is checked against what `podman inspect` says; -c lscontainers and the sysdig export
// (read by sysdig 0.29.3) show the same names and images. The runtime APIs are asked for real too:
// podman's libpod and docker-compatible REST APIs (`podman system service` on a socket of the test's own).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { blankContainer } from '@scapkit/scap-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE, HAVE_SYSDIG } from '../../../test/support/machine.mjs';
import { ContainerEnricher } from '../src/containers/enricher.js';
import { dockerApi, libpodApi } from '../src/containers/runtimes.js';
import { getJson, LookupError } from '../src/containers/unix-http.js';
import { replayLines, scapkit, sysdig, tempDir, until } from './support/cli.js';

const run = promisify(execFile);
// biome-ignore lint/suspicious/noExplicitAny: inspect documents of podman and docker, read as the oracle
type Doc = Record<string, any>;
const haveDockerd = existsSync('/usr/sbin/dockerd') && existsSync('/usr/bin/docker');
const havePodman =
  existsSync('/usr/bin/podman') && existsSync('/usr/sbin/runc') && existsSync('/bin/busybox');
if (!havePodman)
  console.warn(
    'podman, runc or busybox-static is missing: the container tests are skipped (setup.sh installs them)',
  );

const tmp = tempDir('scapkit-containers-');
const IMAGE = 'localhost/scapkit-test-busybox:1';
const RUN_OPTS = [
  '--runtime', 'runc', '--cgroup-manager', 'cgroupfs', '--network', 'none',
  '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024',
]; // biome-ignore format: flag pairs
const PODMAN_GLOBAL = ['--cgroup-manager', 'cgroupfs', '--runtime', 'runc'];
let seq = 0;
const names: string[] = [];
/** A container name no other test (or run) uses. */
const unique = (what: string) => {
  const n = `scapkit-${what}-${process.pid}-${++seq}`;
  names.push(n);
  return n;
};

async function podman(...args: string[]): Promise<string> {
  const { stdout } = await run('podman', args, { maxBuffer: 64 << 20 });
  return stdout;
}

/** `podman inspect` of one container: the oracle. */
async function inspect(name: string): Promise<Doc> {
  return JSON.parse(await podman('inspect', '--type', 'container', name))[0];
}

beforeAll(async () => {
  if (!havePodman || !CAN_LOAD_PROBE) return;
  // The image: busybox-static and its applets, a passwd file.
  const root = join(tmp.dir, 'rootfs');
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'etc'));
  mkdirSync(join(root, 'data'));
  await run('cp', ['/bin/busybox', join(root, 'bin/busybox')]);
  for (const a of ['sh', 'cat', 'sleep', 'ls', 'true']) symlinkSync('busybox', join(root, 'bin', a));
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  await run('tar', ['-C', root, '-cf', join(tmp.dir, 'rootfs.tar'), '.']);
  await podman('import', join(tmp.dir, 'rootfs.tar'), IMAGE);
}, 120_000);

afterAll(async () => {
  if (havePodman && names.length > 0)
    await podman('rm', '-f', '-t', '0', '--ignore', ...names).catch(() => undefined);
  tmp.cleanup();
});

describe.skipIf(!CAN_LOAD_PROBE || !havePodman)('a recording with podman containers', () => {
  const trace = join(tmp.dir, 'pod.scap');
  const exported = join(tmp.dir, 'pod.sysdig.scap');
  const mountDir = join(tmp.dir, 'shared');
  const running = unique('web');
  const started = unique('late');
  let web: Doc;
  let late: Doc;
  let summary = '';

  beforeAll(async () => {
    mkdirSync(mountDir);
    // One container runs before the recording starts (the first file's tables describe it); a second one
    // starts while it records (a container event describes it).
    await podman(
      'run', '-d', ...RUN_OPTS, '--name', running, '--privileged', '-v', `${mountDir}:/data:ro`,
      '--label', 'app=web', '--label', 'io.kubernetes.pod.name=web-0', '--label', 'io.kubernetes.pod.namespace=shop',
      '--label', 'io.kubernetes.pod.uid=3e41dc6b-08a8-44db-bc2a-3724b18ab19a', IMAGE, 'sleep', '1000',
    ); // biome-ignore format: flag pairs
    web = await inspect(running);
    const r = await scapkit(
      [
        'record', '-w', trace, '--',
        'sh', '-c',
        `podman exec ${running} cat /etc/passwd >/dev/null; ` +
          `podman run ${RUN_OPTS.join(' ')} --name ${started} --label tier=batch ${IMAGE} cat /etc/passwd >/dev/null`,
      ],
      { timeoutMs: 120_000 },
    ); // biome-ignore format: flag pairs
    expect(r.code, r.stderr).toBe(0);
    summary = r.stderr;
    late = await inspect(started);
    const x = await scapkit(['export', '--format', 'scap', '-r', trace, '-w', exported], {
      timeoutMs: 120_000,
    });
    expect(x.code, x.stderr).toBe(0);
  }, 300_000);

  it('gives every container field of the running container as podman inspect says', async () => {
    const id = web.Id as string;
    const FIELDS = [
      'container.id', 'container.full_id', 'container.name', 'container.type', 'container.image',
      'container.image.id', 'container.image.repository', 'container.image.tag', 'container.image.digest',
      'container.privileged', 'container.host_network', 'container.host_pid', 'container.host_ipc',
      'container.mounts', 'container.mount.source[0]', 'container.mount.dest[0]', 'container.mount.rdwr[0]',
      'container.label[app]', 'container.healthcheck', 'k8s.pod.name', 'k8s.ns.name', 'k8s.pod.uid',
    ]; // biome-ignore format: a list
    const { lines, stderr } = await replayLines(
      trace,
      `*${FIELDS.map((f) => `%${f}`).join('|')}`,
      `container.id=${id.slice(0, 12)} and proc.name=cat`,
    );
    expect(lines.length, stderr).toBeGreaterThan(0);
    const m = web.Mounts[0];
    const [repo, tag] = (web.ImageName as string).split(/:(?=[^:/]*$)/);
    const want = [
      id.slice(0, 12), id, web.Name, 'podman', web.ImageName, web.Image, repo, tag, web.ImageDigest,
      String(web.HostConfig.Privileged), String(web.HostConfig.NetworkMode === 'host'),
      String(web.HostConfig.PidMode === 'host'), String(web.HostConfig.IpcMode === 'host'),
      `${m.Source}:${m.Destination}:${m.Mode}:${m.RW}:${m.Propagation}`, m.Source, m.Destination, String(m.RW),
      web.Config.Labels.app, 'NONE', web.Config.Labels['io.kubernetes.pod.name'],
      web.Config.Labels['io.kubernetes.pod.namespace'], web.Config.Labels['io.kubernetes.pod.uid'],
    ].join('|'); // biome-ignore format: follows FIELDS
    expect(web.HostConfig.Privileged).toBe(true);
    for (const l of lines) expect(l).toBe(want);
  });

  it('records the container started while recording, from its container event on', async () => {
    const id = (late.Id as string).slice(0, 12);
    const { lines } = await replayLines(
      trace,
      '*%evt.type|%container.name|%container.image|%container.privileged|%container.label[tier]',
      `container.id=${id}`,
    );
    const at = lines.findIndex((l) => l.startsWith('container|'));
    expect(at, lines.slice(0, 5).join('\n')).toBeGreaterThanOrEqual(0);
    const want = `${late.Name}|${late.ImageName}|false|batch`;
    // The container event and every later event of the container describe it; before it only the id is
    // known (runc's first steps in the container come before any runtime can be asked).
    for (const l of lines.slice(at)) expect(l.slice(l.indexOf('|') + 1)).toBe(want);
    for (const l of lines.slice(0, at)) expect(l).toMatch(/\|<NA>\|<NA>\|/);
  });

  // Falco's container plugin: container.start_ts is the thread's pidns_init_start_ts, the start of the
  // init process of its pid namespace as the kernel reports it (not the runtime's created time), and
  // container.duration the event's time minus it. The oracle: the start time the kernel gives in
  // /proc/PID/stat (clock ticks since boot) for the running container's init, podman's State.Pid.
  it("gives container.start_ts as the start of the container's init, container.duration since it", async () => {
    const stat = readFileSync(`/proc/${web.State.Pid}/stat`, 'utf8');
    const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const hz = Number((await run('getconf', ['CLK_TCK'])).stdout);
    // The wall clock and the uptime read together: again if the box made this test wait between the two
    // (a wait would move the boot time it computes by as much).
    let bootNs: bigint | undefined;
    while (bootNs === undefined) {
      const before = Date.now();
      const uptimeS = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
      if (Date.now() === before) bootNs = BigInt(before) * 1_000_000n - BigInt(Math.round(uptimeS * 1e9));
    }
    for (const file of [trace, exported]) {
      const { lines, stderr } = await replayLines(
        file,
        '*%evt.rawtime|%container.start_ts|%container.duration|%proc.pidns_init_start_ts',
        `container.id=${(web.Id as string).slice(0, 12)} and proc.name=cat`,
      );
      expect(lines.length, stderr).toBeGreaterThan(0);
      for (const l of lines) {
        const [ts, start, duration, pidns] = l.split('|').map(BigInt) as [bigint, bigint, bigint, bigint];
        expect(pidns).toBe(start);
        expect(duration).toBe(ts - start);
        // /proc/uptime has 10 ms steps and the boot time is computed from it: two ticks of slack, where
        // any other start (the host's init, cat's own start, podman's created time) is far off.
        const ticks = Number(((start - bootNs) * BigInt(hz)) / 1_000_000_000n);
        expect(Math.abs(ticks - startTicks), `${file}: ${l}`).toBeLessThanOrEqual(2);
      }
    }
    // The container started while recording: its init (the cat podman ran, pid 1 in it) started after
    // the first event of the trace, and before each of its events.
    const first = BigInt((await replayLines(trace, '%evt.rawtime', 'evt.num=1')).lines[0]!);
    const { lines } = await replayLines(
      trace,
      '*%evt.rawtime|%container.start_ts',
      `container.id=${(late.Id as string).slice(0, 12)} and proc.vpid=1`,
    );
    expect(lines.length).toBeGreaterThan(0);
    const starts = new Set(lines.map((l) => l.split('|')[1]));
    expect(starts.size, [...starts].join(' ')).toBe(1);
    for (const l of lines) {
      const [ts, start] = l.split('|').map(BigInt) as [bigint, bigint];
      expect(start).toBeGreaterThan(first);
      expect(start).toBeLessThanOrEqual(ts);
    }
  });

  it('lists the running container with -c lscontainers', async () => {
    const r = await scapkit(['replay', '-r', trace, '-c', 'lscontainers']);
    expect(r.code, r.stderr).toBe(0);
    const row = r.stdout.split('\n').find((l) => l.endsWith(`${(web.Id as string).slice(0, 12)} `));
    const pad = (s: string, n: number) => s.slice(0, n - 1).padEnd(n);
    expect(row).toBe(
      pad('podman', 15) + pad(web.ImageName, 16) + pad(web.Name, 20) + pad(web.Id.slice(0, 12), 13),
    );
  });

  it('says in the summary how many containers it saw and described', () => {
    expect(summary).toMatch(/containers: \d+ seen, \d+ described by their runtime/);
    const m = /containers: (\d+) seen, (\d+) described/.exec(summary)!;
    expect(Number(m[2])).toBeGreaterThanOrEqual(2);
  });

  it('carries the container table into every rotated file', async () => {
    const base = join(tmp.dir, 'rot.scap');
    // ~1M syscalls in the container (dd of one byte at a time): several 1 MB files.
    const r = await scapkit(
      ['record', '-w', base, '-C', '1', '--', 'podman', 'exec', running, 'sh', '-c', 'dd if=/dev/zero of=/dev/null bs=1 count=400000 2>/dev/null'],
      { timeoutMs: 180_000 },
    ); // biome-ignore format: flag pairs
    // 3: a loaded box may drop some of the storm's events (the summary says so); the tables are the point.
    expect([0, 3], r.stderr).toContain(r.code);
    const files = /files: +(.*) —/.exec(r.stderr)![1]!.split(', ');
    expect(files.length).toBeGreaterThan(2);
    const id = (web.Id as string).slice(0, 12);
    let reads = 0;
    for (const f of files) {
      // Each file read alone knows the container from its own tables.
      const ls = await scapkit(['replay', '-r', f, '-c', 'lscontainers']);
      expect(ls.stdout, f).toContain(`${web.Name.slice(0, 19).padEnd(20)}${id}`);
      const { lines } = await replayLines(
        f,
        '*%container.name|%container.image',
        `container.id=${id} and evt.type=read`,
      );
      for (const l of new Set(lines)) expect(l, f).toBe(`${web.Name}|${web.ImageName}`);
      reads += lines.length;
    }
    expect(reads).toBeGreaterThan(0);
  }, 240_000);

  it.skipIf(!HAVE_SYSDIG)('exports names and images sysdig 0.29.3 shows', async () => {
    for (const c of [web, late]) {
      // Without a leading '*', sysdig prints only the events that have both fields: those after the
      // container is known (its container event included).
      const r = await sysdig([
        '-r',
        exported,
        '-p',
        '%container.name|%container.image',
        `container.id=${c.Id.slice(0, 12)}`,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const lines = new Set(r.stdout.split('\n').filter(Boolean));
      expect([...lines]).toEqual([`${c.Name}|${c.ImageName}`]);
    }
    const ls = await sysdig(['-r', exported, '-c', 'lscontainers']);
    expect(ls.stdout).toContain(`${web.Name.slice(0, 19).padEnd(20)}${web.Id.slice(0, 12)}`);
  });
});

describe.skipIf(!CAN_LOAD_PROBE || !havePodman)("podman's REST APIs, on a socket of the test's own", () => {
  let service: ChildProcess;
  const sock = join(tmp.dir, 'podman.sock');
  const name = unique('api');
  let doc: Doc;

  beforeAll(async () => {
    service = spawn('podman', [...PODMAN_GLOBAL, 'system', 'service', '--time=0', `unix://${sock}`], {
      stdio: 'ignore',
    });
    await podman(
      'run',
      '-d',
      ...RUN_OPTS,
      '--name',
      name,
      '--label',
      'k=v',
      '-v',
      `${tmp.dir}:/t`,
      IMAGE,
      'sleep',
      '1000',
    );
    doc = await inspect(name);
    // Ready when it answers.
    await until(
      `podman system service on ${sock}`,
      () =>
        getJson(sock, '/v4.0.0/libpod/info', 2000).then(
          () => true,
          () => false,
        ),
      { everyMs: 100 },
    );
  }, 120_000);
  afterAll(() => service?.kill());

  for (const [api, runtime] of [
    ['libpod API', () => libpodApi(sock)],
    ['docker-compatible API', () => dockerApi(sock, 'podman')],
  ] as const) {
    it(`${api}: the record says what podman inspect says`, async () => {
      const c = await runtime().lookup(doc.Id, 10_000);
      expect(c).toMatchObject({
        id: doc.Id.slice(0, 12),
        fullId: doc.Id,
        name: doc.Name,
        type: 'podman',
        image: doc.ImageName,
        imageId: doc.Image,
        imageDigest: doc.ImageDigest,
        privileged: false,
        labels: { k: 'v' },
        lookup: { state: 'ok' },
      });
      expect(c.mounts[0]).toMatchObject({ source: doc.Mounts[0].Source, dest: '/t', rw: true });
      expect(Number(BigInt(c.createdTs) / 1_000_000n)).toBe(Date.parse(doc.Created));
    });
  }

  it('a container the runtime does not know: notFound', async () => {
    const e = await libpodApi(sock)
      .lookup('0'.repeat(64), 10_000)
      .catch((x) => x);
    expect(e).toBeInstanceOf(LookupError);
    expect(e.kind).toBe('notFound');
  });
});

describe('lookups that fail are recorded with their reason', () => {
  let silent: Server;
  const silentSock = join(tmp.dir, 'silent.sock');
  beforeAll(async () => {
    // A socket that accepts and never answers: a hung runtime.
    silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(silentSock, r));
  });
  afterAll(() => silent.close());

  it('a runtime that does not answer in time, a missing socket, an unknown runtime', async () => {
    const e = new ContainerEnricher({
      timeoutMs: 300,
      runtimes: {
        docker: [dockerApi(silentSock)],
        podman: [libpodApi(join(tmp.dir, 'nothing-here.sock'))],
      },
    });
    const meta = {
      threads: [], fds: new Map(), users: [], groups: [], interfaces: [],
      containers: [
        blank('a'.repeat(64), 'docker'),
        blank('b'.repeat(64), 'podman'),
        blank('c'.repeat(64), 'cri-o'),
      ],
    }; // biome-ignore format: a table
    e.onMetadata(meta);
    await e.settled();
    const byId = new Map(e.table().map((c) => [c.id, c]));
    expect(byId.get('aaaaaaaaaaaa')!.lookup).toMatchObject({
      state: 'failed',
      error: `docker ${silentSock}: no answer within 300 ms`,
    });
    expect(byId.get('bbbbbbbbbbbb')!.lookup).toMatchObject({
      state: 'failed',
      error: `no socket at ${join(tmp.dir, 'nothing-here.sock')}`,
    });
    expect(byId.get('cccccccccccc')!.lookup.state).toBe('failed');
    expect(byId.get('cccccccccccc')!.lookup.error).toBe('no socket at /var/run/crio/crio.sock');
    // The ids stay; the summary gives each reason once.
    expect(e.problems()).toHaveLength(3);
    expect(e.problems()[0]).toBe(`1 container (aaaaaaaaaaaa): docker ${silentSock}: no answer within 300 ms`);
  });

  it.skipIf(!CAN_LOAD_PROBE)('a socket the recorder may not open', async () => {
    // As an unprivileged user (nobody), a root-only socket refuses the connection.
    const sock = join(tmp.dir, 'private.sock');
    const srv = createServer((s) => s.end());
    await new Promise<void>((r) => srv.listen(sock, r));
    try {
      await run('chmod', ['0755', tmp.dir]);
      await run('chmod', ['0600', sock]);
      const mod = new URL('../dist/containers/unix-http.js', import.meta.url).pathname;
      const r = await run(
        process.execPath,
        [
          '-e',
          `import(${JSON.stringify(mod)}).then(m => m.getJson(${JSON.stringify(sock)}, '/x', 2000)).catch(e => console.log(e.kind, e.message))`,
        ],
        { uid: 65534, gid: 65534 },
      );
      expect(r.stdout.trim()).toBe(
        `denied permission denied on ${sock} (run the recorder as root, or as a member of the socket's group)`,
      );
    } finally {
      srv.close();
    }
  });
});

function blank(fullId: string, type: string) {
  return blankContainer(fullId.slice(0, 12), fullId, type);
}

describe.skipIf(!CAN_LOAD_PROBE || !haveDockerd || !havePodman)('a recording with a docker container', () => {
  // The engine of Debian's docker.io, started by the test when none runs (its own data root; no iptables,
  // no bridge: containers run with --network none). --privileged cannot run here: this VM's capability
  // bounding set lacks CAP_SYS_RESOURCE and docker asks for every capability (runc: "unable to apply caps").
  const SOCK = '/var/run/docker.sock';
  const docker = (...args: string[]) =>
    run('/usr/bin/docker', args, { maxBuffer: 64 << 20 }).then((r) => r.stdout);
  let dockerd: ChildProcess | undefined;
  const name = unique('docker');
  const trace = join(tmp.dir, 'docker.scap');
  let doc: Doc;

  beforeAll(async () => {
    if (!existsSync(SOCK)) {
      const root = join(tmp.dir, 'docker');
      dockerd = spawn(
        '/usr/sbin/dockerd',
        ['--iptables=false', '--bridge=none', '--data-root', `${root}/data`, '--exec-root', `${root}/exec`,
          '--pidfile', `${root}/dockerd.pid`, '--host', `unix://${SOCK}`],
        { stdio: 'ignore' },
      ); // biome-ignore format: flag pairs
      await until(
        `dockerd on ${SOCK}`,
        () => {
          if (dockerd.exitCode !== null) throw new Error(`dockerd exited with ${dockerd.exitCode}`);
          return getJson(SOCK, '/version', 2000).then(
            () => true,
            () => false,
          );
        },
        { everyMs: 200 },
      );
    }
    await docker('import', join(tmp.dir, 'rootfs.tar'), 'scapkit-test-busybox:1');
    await docker('run', '-d', '--network', 'none', '--name', name, '--label', 'team=payments', '-v', `${tmp.dir}:/t:ro`,
      'scapkit-test-busybox:1', 'sleep', '1000'); // biome-ignore format: flag pairs
    doc = JSON.parse(await docker('inspect', name))[0];
    const r = await scapkit(
      ['record', '-w', trace, '--', '/usr/bin/docker', 'exec', name, 'cat', '/etc/passwd'],
      {
        timeoutMs: 120_000,
      },
    );
    expect(r.code, r.stderr).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await docker('rm', '-f', name).catch(() => undefined);
    if (dockerd) {
      dockerd.kill('SIGTERM');
      await new Promise((r) => dockerd!.once('exit', r));
    }
  });

  it("gives the container's fields as docker inspect says", async () => {
    const { lines, stderr } = await replayLines(
      trace,
      '*%container.id|%container.full_id|%container.name|%container.type|%container.image|%container.image.id|%container.image.repository|%container.image.tag|%container.privileged|%container.label[team]|%container.mount.dest[0]|%container.mount.rdwr[0]',
      `container.id=${doc.Id.slice(0, 12)} and proc.name=cat`,
    );
    expect(lines.length, stderr).toBeGreaterThan(0);
    const m = doc.Mounts[0];
    const want = [
      doc.Id.slice(0, 12), doc.Id, doc.Name.slice(1), 'docker', doc.Config.Image, doc.Image.replace('sha256:', ''),
      'scapkit-test-busybox', '1', 'false', 'payments', m.Destination, String(m.RW),
    ].join('|'); // biome-ignore format: follows the format
    for (const l of lines) expect(l).toBe(want);
  });
});

const haveContainerd =
  existsSync('/usr/bin/containerd') &&
  existsSync('/usr/bin/ctr') &&
  existsSync('/usr/bin/containerd-shim-runc-v2');

describe.skipIf(!CAN_LOAD_PROBE || !haveContainerd || !havePodman)(
  "containerd's CRI, with a pod run through it",
  () => {
    // Debian's containerd (its CRI plugin), started by the test on sockets of its own, with a sandbox
    // ("pause") image made from busybox. The pod runs in the host's network namespace: no CNI here. The
    // CRI calls that make the pod (RunPodSandbox, CreateContainer, StartContainer) are the kubelet's.
    const dir = join(tmp.dir, 'ctrd');
    const sock = join(dir, 'containerd.sock');
    const PAUSE = 'localhost/scapkit-test-pause:1';
    const ctr = (...args: string[]) =>
      run('/usr/bin/ctr', ['--address', sock, '-n', 'k8s.io', ...args], { maxBuffer: 64 << 20 }).then(
        (r) => r.stdout,
      );
    let containerd: ChildProcess;
    let call: import('../src/containers/cri.js').CriCall;
    let close: () => void;
    let sandboxId = '';
    let containerId = '';
    const podUid = '3e41dc6b-08a8-44db-bc2a-3724b18ab19a';
    const sandboxConfig = {
      metadata: { name: 'shop-0', uid: podUid, namespace: 'shop', attempt: 0 },
      log_directory: join(dir, 'logs'),
      labels: { app: 'shop', tier: 'web' },
      linux: {
        cgroup_parent: `/kubepods/besteffort/pod${podUid}`,
        security_context: { namespace_options: { network: 2 } },
      },
    };

    beforeAll(async () => {
      mkdirSync(join(dir, 'logs'), { recursive: true });
      writeFileSync(
        join(dir, 'config.toml'),
        [
          'version = 2',
          `root = "${dir}/root"`,
          `state = "${dir}/state"`,
          '[grpc]',
          `  address = "${sock}"`,
          '[plugins."io.containerd.grpc.v1.cri"]',
          `  sandbox_image = "${PAUSE}"`,
          // This VM's capability bounding set lacks CAP_SYS_RESOURCE: no lowering of oom_score_adj below
          // containerd's own (the pause container's -998), else runc fails to start the sandbox.
          '  restrict_oom_score_adj = true',
          '  disable_apparmor = true',
          '  [plugins."io.containerd.grpc.v1.cri".containerd]',
          '    default_runtime_name = "runc"',
          '    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
          '      runtime_type = "io.containerd.runc.v2"',
        ].join('\n'),
      );
      containerd = spawn('/usr/bin/containerd', ['--config', join(dir, 'config.toml')], {
        stdio: ['ignore', 'ignore', openSync(join(dir, 'containerd.log'), 'w')],
      });
      // The sandbox image: busybox that sleeps; into containerd's k8s.io namespace.
      await podman('import', '--change', 'CMD ["/bin/sleep","1000"]', join(tmp.dir, 'rootfs.tar'), PAUSE);
      await podman('save', '--format', 'oci-archive', '-o', join(dir, 'pause.tar'), PAUSE);
      await until(
        'containerd answering ctr version',
        () => {
          if (containerd.exitCode !== null) throw new Error(`containerd exited with ${containerd.exitCode}`);
          return ctr('version').then(
            () => true,
            () => false,
          );
        },
        { everyMs: 200 },
      );
      await ctr('images', 'import', join(dir, 'pause.tar'));
      const { criClient, CRI_LOOKUP_PROTO } = await import('../src/containers/cri.js');
      const client = await criClient(sock, `${CRI_LOOKUP_PROTO}${KUBELET_PROTO}`);
      call = client.call;
      close = client.close;
      const pod = await call(
        'RunPodSandbox',
        'RunPodSandboxRequest',
        'RunPodSandboxResponse',
        { config: sandboxConfig },
        60_000,
      );
      sandboxId = pod.pod_sandbox_id;
      const created = await call(
        'CreateContainer',
        'CreateContainerRequest',
        'CreateContainerResponse',
        {
          pod_sandbox_id: sandboxId,
          config: {
            metadata: { name: 'app', attempt: 0 },
            image: { image: PAUSE },
            command: ['/bin/sleep', '1000'],
            labels: {
              'io.kubernetes.container.name': 'app',
              'io.kubernetes.pod.name': 'shop-0',
              'io.kubernetes.pod.namespace': 'shop',
              'io.kubernetes.pod.uid': podUid,
            },
            mounts: [{ container_path: '/data', host_path: tmp.dir, readonly: true }],
            log_path: 'app.log',
            linux: { security_context: { namespace_options: { network: 2 } } },
          },
          sandbox_config: sandboxConfig,
        },
        60_000,
      );
      containerId = created.container_id;
      await call(
        'StartContainer',
        'StartContainerRequest',
        'StartContainerResponse',
        { container_id: containerId },
        60_000,
      );
    }, 300_000);

    afterAll(async () => {
      if (sandboxId) {
        await call(
          'StopPodSandbox',
          'StopPodSandboxRequest',
          'StopPodSandboxResponse',
          { pod_sandbox_id: sandboxId },
          60_000,
        ).catch(() => undefined);
        await call(
          'RemovePodSandbox',
          'RemovePodSandboxRequest',
          'RemovePodSandboxResponse',
          { pod_sandbox_id: sandboxId },
          60_000,
        ).catch(() => undefined);
      }
      close?.();
      if (containerd) {
        containerd.kill('SIGTERM');
        await new Promise((r) => containerd.once('exit', r));
      }
    });

    it("finds the container from its process's cgroups, as a containerd container", async () => {
      const tasks = await ctr('tasks', 'ls');
      const pid = new RegExp(`^${containerId}\\s+(\\d+)`, 'm').exec(tasks)?.[1];
      expect(pid, tasks).toBeDefined();
      const { containerIdFromCgroups } = await import('@scapkit/scap-format');
      const cgroups = (await run('cat', [`/proc/${pid}/cgroup`])).stdout.trim().split('\n');
      expect(containerIdFromCgroups(cgroups)).toEqual({
        id: containerId.slice(0, 12),
        type: 'containerd',
        fullId: containerId,
      });
    });

    it('records the pod container with its Kubernetes fields (scapkit record --cri)', async () => {
      const trace = join(dir, 'cri.scap');
      const r = await scapkit(
      ['record', '-w', trace, '--cri', sock, '--', '/usr/bin/ctr', '--address', sock, '-n', 'k8s.io', 'tasks', 'exec',
        '--exec-id', `scapkit-${process.pid}`, containerId, 'cat', '/etc/passwd'],
      { timeoutMs: 120_000 },
    ); // biome-ignore format: flag pairs
      expect([0, 3], r.stderr).toContain(r.code);
      // The container's events from the point its record is known (the first file's tables, or its container
      // event when the lookup ended after the exec on a loaded box) on.
      const { lines, stderr } = await replayLines(
        trace,
        '*%container.name|%container.type|%container.image|%container.host_network|%k8s.pod.name|%k8s.ns.name|%k8s.pod.uid|%k8s.pod.label[app]|%k8s.pod.labels|%k8s.pod.sandbox_id',
        `container.id=${containerId.slice(0, 12)} and (proc.name=cat or evt.type=container)`,
      );
      const known = lines.filter((l) => !l.startsWith('<NA>|'));
      expect(known.length, `${stderr}\n${lines.join('\n')}`).toBeGreaterThan(0);
      for (const l of known)
        expect(l).toBe(
          `app|containerd|${PAUSE}|true|shop-0|shop|${podUid}|shop|app:shop, tier:web|${sandboxId.slice(0, 12)}`,
        );
    });

    it('asks the CRI: the record holds what the pod and the container were made with', async () => {
      const { criRuntime } = await import('../src/containers/cri.js');
      const c = await criRuntime(sock, 'containerd').lookup(containerId, 20_000);
      const info = JSON.parse(await ctr('containers', 'info', containerId));
      expect(c).toMatchObject({
        id: containerId.slice(0, 12),
        fullId: containerId,
        type: 'containerd',
        name: 'app',
        image: PAUSE,
        imageRepo: 'localhost/scapkit-test-pause',
        imageTag: '1',
        imageId: info.Image ? expect.any(String) : '',
        privileged: false,
        hostNetwork: true,
        hostPid: false,
        podSandboxId: sandboxId,
        lookup: { state: 'ok' },
      });
      expect(c.labels).toMatchObject({
        'io.kubernetes.pod.name': 'shop-0',
        'io.kubernetes.pod.namespace': 'shop',
      });
      expect({ ...c.podSandboxLabels }).toMatchObject({ app: 'shop', tier: 'web' });
      expect(c.mounts).toContainEqual({
        source: tmp.dir,
        dest: '/data',
        mode: '',
        rw: false,
        propagation: 'private',
      });
      expect(c.createdTs).toBeGreaterThan(0n);
      const e = await criRuntime(sock, 'containerd')
        .lookup('0'.repeat(64), 20_000)
        .catch((x) => x);
      expect(e).toBeInstanceOf(LookupError);
      expect(e.kind).toBe('notFound');
    });
  },
);

/** The kubelet's side of the CRI, to make a pod in the test (field numbers of k8s.io/cri-api). */
const KUBELET_PROTO = `
message KeyValue { string key = 1; string value = 2; }
message NamespaceOptionIn { int32 network = 1; int32 pid = 2; int32 ipc = 3; }
message LinuxSandboxSecurityContext { NamespaceOptionIn namespace_options = 1; bool privileged = 6; }
message LinuxPodSandboxConfig { string cgroup_parent = 1; LinuxSandboxSecurityContext security_context = 2; }
message PodSandboxConfig {
  PodSandboxMetadata metadata = 1; string hostname = 2; string log_directory = 3;
  map<string, string> labels = 6; map<string, string> annotations = 7; LinuxPodSandboxConfig linux = 8;
}
message RunPodSandboxRequest { PodSandboxConfig config = 1; string runtime_handler = 2; }
message RunPodSandboxResponse { string pod_sandbox_id = 1; }
message LinuxContainerSecurityContext { bool privileged = 2; NamespaceOptionIn namespace_options = 3; }
message LinuxContainerConfig { LinuxContainerSecurityContext security_context = 2; }
message ContainerConfig {
  ContainerMetadata metadata = 1; ImageSpec image = 2; repeated string command = 3; repeated string args = 4;
  string working_dir = 5; repeated KeyValue envs = 6; repeated Mount mounts = 7; map<string, string> labels = 9;
  map<string, string> annotations = 10; string log_path = 11; LinuxContainerConfig linux = 15;
}
message CreateContainerRequest { string pod_sandbox_id = 1; ContainerConfig config = 2; PodSandboxConfig sandbox_config = 3; }
message CreateContainerResponse { string container_id = 1; }
message StartContainerRequest { string container_id = 1; }
message StartContainerResponse {}
message StopPodSandboxRequest { string pod_sandbox_id = 1; }
message StopPodSandboxResponse {}
message RemovePodSandboxRequest { string pod_sandbox_id = 1; }
message RemovePodSandboxResponse {}
`;
