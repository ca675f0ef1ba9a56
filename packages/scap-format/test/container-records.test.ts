// Container records: sysdig's container event JSON (real events from sysdig captures) into the model and
// back, the scapkit metadata wire format (every field survives; a format 1.0 record takes defaults; a
// wrong type is a ScapFormatError), and the sysdig export (container events after each section's tables;
// podman's cgroupfs layout made readable for sysdig 0.29.3).
import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  blankContainer,
  blankThread,
  type CaptureMetadata,
  CONTAINER_EVENT_ID,
  type ContainerInfo,
  containerFromSysdigJson,
  containerToSysdigJson,
  EVENTS,
  EventBatchBuilder,
  EventEncoder,
  EventView,
  emptyMetadata,
  labelMap,
  MemorySink,
  PT,
  readScapkit,
  readSysdigCapture,
  restoreLabelMaps,
  ScapFormatError,
  ScapkitWriter,
  writeSysdigCapture,
} from '../src/index.js';
import { CAPTURES, chunks, collect } from './sysdig-helpers.js';

/** The JSON of every container event of a capture. */
async function containerJsons(name: string): Promise<string[]> {
  const v = new EventView();
  const out: string[] = [];
  for await (const rec of readSysdigCapture(createReadStream(`${CAPTURES}${name}.scap`))) {
    if (rec.kind !== 'events') continue;
    for (let i = 0; i < rec.batch.count; i++) {
      v.at(rec.batch, i);
      if (EVENTS[v.type]?.name === 'container' && v.paramCount() === 1) out.push(v.paramString(0));
    }
  }
  return out;
}

function richContainer(): ContainerInfo {
  return Object.assign(blankContainer('0123456789ab', `0123456789ab${'c'.repeat(52)}`, 'docker'), {
    name: 'web',
    image: 'docker.io/library/nginx:1.25',
    imageRepo: 'docker.io/library/nginx',
    imageTag: '1.25',
    imageDigest: `sha256:${'d'.repeat(64)}`,
    imageId: 'e'.repeat(64),
    // A label may be named __proto__ (JSON.parse makes it an own key, as it would be from a runtime).
    labels: labelMap(
      JSON.parse('{"team":"payments","__proto__":"not a prototype","io.kubernetes.pod.name":"p"}'),
    ),
    privileged: true,
    hostNetwork: false,
    hostPid: true,
    hostIpc: false,
    mounts: [{ source: '/srv', dest: '/www', mode: 'ro', rw: false, propagation: 'rprivate' }],
    ports: [{ hostIp: '192.168.1.10', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
    user: 'nginx',
    createdTs: 1_699_999_000_000_000_000n,
    ip: '172.17.0.2',
    healthProbes: [{ kind: 'healthcheck' as const, exe: 'curl', args: ['-f', 'http://localhost/'] }],
    podSandboxId: 'f'.repeat(64),
    podSandboxLabels: labelMap({ app: 'web' }),
    cniJson: '{"interfaces":{}}',
    isPodSandbox: false,
    memoryLimit: 1 << 30,
    swapLimit: 0,
    cpuShares: 512,
    cpuQuota: 50000,
    cpuPeriod: 100000,
    cpusetCpuCount: 2,
    lookup: { state: 'partial' as const, source: 'docker /var/run/docker.sock', error: 'image: no answer' },
  });
}

describe('sysdig container event JSON', () => {
  it('reads what the real events of privileged.scap and capture.scap say', async () => {
    const jsons = [...(await containerJsons('privileged')), ...(await containerJsons('capture'))];
    expect(jsons.length).toBeGreaterThan(10);
    for (const json of jsons) {
      const raw = JSON.parse(json).container;
      const c = containerFromSysdigJson(json)!;
      expect(c.id).toBe(raw.id);
      expect(c.name).toBe(raw.name);
      expect(c.image).toBe(raw.image);
      expect(c.imageId).toBe(raw.imageid ?? '');
      expect(c.imageRepo).toBe(raw.imagerepo ?? '');
      expect(c.type).toBe('docker');
      expect(c.privileged).toBe(raw.privileged);
      expect(c.mounts.map((m) => [m.source, m.dest, m.mode, m.rw, m.propagation])).toEqual(
        (raw.Mounts ?? []).map((m: Record<string, unknown>) => [
          m.Source,
          m.Destination,
          m.Mode,
          m.RW,
          m.Propagation,
        ]),
      );
      expect(c.lookup.state).toBe('ok');
    }
    const nginx = containerFromSysdigJson(jsons[0]!)!;
    expect(nginx).toMatchObject({
      id: '9dbcbd0c435f',
      image: 'nginx:latest',
      imageTag: 'latest',
      imageDigest: 'sha256:96fb261b66270b900ea5a2c17a26abbfabe95506e73c3a3c65869a6dbe83223a',
      ip: '172.17.0.2',
      privileged: true,
      labels: { maintainer: 'NGINX Docker Maintainers <docker-maint@nginx.com>' },
    });
  });

  it('writes what it reads back, every field included', () => {
    const c = richContainer();
    const back = containerFromSysdigJson(containerToSysdigJson(c))!;
    // created_time is in seconds in sysdig's JSON.
    expect(back).toEqual({ ...c, createdTs: 1_699_999_000_000_000_000n });
    expect(Object.getPrototypeOf(back.labels)).toBeNull();
    expect(Object.entries(back.labels)).toContainEqual(['__proto__', 'not a prototype']);
  });

  it('keeps what a failed lookup could not learn, and tells sysdig it failed', () => {
    const c = blankContainer('0123456789ab', '', 'podman');
    c.lookup = { state: 'failed', source: 'podman inspect', error: 'no answer within 2000 ms' };
    const json = JSON.parse(containerToSysdigJson(c)).container;
    expect(json.lookup_state).toBe(2); // libsinsp's FAILED
    expect(json.type).toBe(11);
    expect(containerFromSysdigJson(containerToSysdigJson(c))!.lookup).toEqual(c.lookup);
  });

  it('ignores text that is not a container record', () => {
    expect(containerFromSysdigJson('{')).toBeUndefined();
    expect(containerFromSysdigJson('{"container":{"name":"x"}}')).toBeUndefined();
    expect(containerFromSysdigJson('[1]')).toBeUndefined();
  });
});

async function scapkitRoundTrip(md: CaptureMetadata): Promise<CaptureMetadata> {
  const sink = new MemorySink();
  const w = new ScapkitWriter(sink, { recorderVersion: 'test', snaplen: 80, startTs: 1n });
  await w.writeMetadata(md);
  await w.close({ eventsSeen: 0, eventsWritten: 0, drops: {} });
  const got = await collect(readScapkit(chunks(sink.bytes())));
  if (got.err) throw got.err;
  const rec = got.recs.find((r) => r.kind === 'metadata');
  return (rec as { metadata: CaptureMetadata }).metadata;
}

describe('scapkit metadata wire format', () => {
  it('carries every field of a container record', async () => {
    const md = emptyMetadata();
    md.containers.push(richContainer(), blankContainer('abc', '', 'cri-o'));
    const back = await scapkitRoundTrip(md);
    expect(back.containers).toEqual(md.containers);
    expect(Object.getPrototypeOf(back.containers[0]!.labels)).toBeNull();
  });

  it('reads a container of format 1.0 (id, type, name, image) with the unknown values', async () => {
    const md = emptyMetadata();
    md.containers.push({ id: 'x', type: 'docker', name: 'n', image: 'i' } as unknown as ContainerInfo);
    const [c] = (await scapkitRoundTrip(md)).containers;
    expect(c).toEqual({
      ...blankContainer('x', '', 'docker'),
      name: 'n',
      image: 'i',
      lookup: { state: 'failed', source: 'cgroup', error: 'not looked up' },
    });
  });

  it('refuses a record whose fields have the wrong type, naming the field', async () => {
    for (const bad of [
      { labels: { a: 1 } },
      { mounts: [{ rw: 'yes' }] },
      { lookup: 'ok' },
      { createdTs: 'x' },
    ]) {
      const md = emptyMetadata();
      md.containers.push({ ...blankContainer('x', '', 'docker'), ...bad } as unknown as ContainerInfo);
      const e = await scapkitRoundTrip(md).catch((err) => err);
      expect(e).toBeInstanceOf(ScapFormatError);
      expect(e.message).toMatch(new RegExp(`containers\\[0\\]\\.${Object.keys(bad)[0]}`));
    }
  });
});

async function exportToSysdig(md: CaptureMetadata, events: Uint8Array[]): Promise<Uint8Array> {
  const b = new EventBatchBuilder();
  for (const e of events) b.append(e, 0);
  async function* stream() {
    yield { kind: 'metadata' as const, metadata: md };
    if (events.length) yield { kind: 'events' as const, batch: b.take() };
  }
  const parts: Uint8Array[] = [];
  await writeSysdigCapture(stream(), { write: (c) => void parts.push(c), close() {} });
  return Buffer.concat(parts);
}

describe('container label maps across threads', () => {
  it('restoreLabelMaps gives a structured clone its prototype-free label maps back, __proto__ label kept', () => {
    const tables = emptyMetadata();
    tables.containers.push(richContainer());
    const cloned = structuredClone(tables); // what a worker's postMessage delivers
    const [before] = cloned.containers;
    expect(Object.getPrototypeOf(before?.labels)).toBe(Object.prototype); // what the clone did
    const [c] = restoreLabelMaps(cloned).containers;
    expect(Object.getPrototypeOf(c?.labels)).toBeNull();
    expect(c?.labels.constructor).toBeUndefined();
    expect({ ...c?.labels }).toEqual({ ...richContainer().labels });
    expect(Object.getOwnPropertyDescriptor(c?.labels, '__proto__')?.value).toBe('not a prototype');
  });
});

describe('sysdig export', () => {
  const enc = new EventEncoder();
  const getcwdX = (ts: bigint, tid: number) => enc.encodeToBytes({ ts, tid, type: 93, params: [0n, '/'] });

  it("writes the metadata's containers as container events stamped with the first event's time", async () => {
    const md = emptyMetadata();
    md.containers.push(richContainer(), blankContainer('abc', '', 'cri-o'));
    const bytes = await exportToSysdig(md, [getcwdX(5000n, 1)]);
    const v = new EventView();
    const seen: [number, bigint, number, string][] = [];
    for await (const rec of readSysdigCapture(chunks(bytes))) {
      if (rec.kind !== 'events') continue;
      for (let i = 0; i < rec.batch.count; i++) {
        v.at(rec.batch, i);
        seen.push([v.type, v.ts, v.tid, v.type === CONTAINER_EVENT_ID ? v.paramString(0) : '']);
      }
    }
    expect(seen.map(([t, ts, tid]) => [t, ts, tid])).toEqual([
      [CONTAINER_EVENT_ID, 5000n, -1],
      [CONTAINER_EVENT_ID, 5000n, -1],
      [93, 5000n, 1],
    ]);
    expect(containerFromSysdigJson(seen[0]![3])).toEqual(md.containers[0]);
    expect(containerFromSysdigJson(seen[1]![3])!.type).toBe('cri-o');
  });

  it("gives podman's cgroupfs paths the .scope sysdig 0.29.3 knows, in the tables and in clone events", async () => {
    const id = 'a'.repeat(64);
    const md = emptyMetadata();
    const t = blankThread(10);
    t.cgroups = [
      `cpu=/libpod_parent/libpod-${id}`,
      'memory=/other',
      `pids=/machine.slice/libpod-${id}.scope`,
    ];
    md.threads.push(t);
    const cloneX = EVENTS.findIndex(
      (e) => e.name === 'clone' && e.dir === '<' && e.paramIndex.has('cgroups'),
    );
    const params = EVENTS[cloneX]!.params.map((p) =>
      p.name === 'cgroups'
        ? new TextEncoder().encode(`cpu=/libpod_parent/libpod-${id}\0`)
        : p.type === PT.BYTEBUF
          ? new Uint8Array(0)
          : p.type === PT.CHARBUF
            ? ''
            : 0n,
    );
    const clone = enc.encodeToBytes({ ts: 1n, tid: 11, type: cloneX, params: params as never });
    const bytes = await exportToSysdig(md, [clone]);
    const got = await collect(readSysdigCapture(chunks(bytes)));
    const meta = got.recs.find((r) => r.kind === 'metadata') as { metadata: CaptureMetadata };
    expect(meta.metadata.threads[0]!.cgroups).toEqual([
      `cpu=/libpod_parent/libpod-${id}.scope`,
      'memory=/other',
      `pids=/machine.slice/libpod-${id}.scope`,
    ]);
    const v = new EventView();
    const ev = got.recs.find((r) => r.kind === 'events') as { batch: never };
    v.at(ev.batch, 0);
    const cg = new TextDecoder().decode(v.paramBytes(v.paramIndex('cgroups')));
    expect(cg).toBe(`cpu=/libpod_parent/libpod-${id}.scope\0`);
  });
});
