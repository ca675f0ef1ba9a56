// The goldens of the container field tests (test/container-fields.test.ts), all printed by Debian's
// sysdig 0.29.3 with TZ=UTC:
// - <capture>.fields.txt.gz: `sysdig -r ../shared/captures/<capture>.scap -p REAL_FIELDS` for the real
//   captures that hold containers (capture.scap: only its events in containers, `container.id!=host`, and
//   without the k8s fields, which sysdig takes there from the Kubernetes API state recorded in the
//   capture's k8s events; scapkit reads k8s.* from container labels only);
// - containers.*.txt for containers.scap, below.
//
// Writes containers.scap, a small sysdig capture whose container records exercise every container.* and
// k8s.* field (docker, containerd/CRI with its pod sandbox, cri-o, podman, a failed lookup, a container
// that appears mid-capture), then records what Debian's sysdig 0.29.3 prints for it: the goldens the
// container field tests compare scapkit with. The capture is written by scapkit's own exporter (built:
// `pnpm exec tsc -b`), so sysdig reading it also checks the export of container records.
//
//   node packages/replay/test/golden/containers/make.mjs   (needs /usr/bin/sysdig)
//
// Commit containers.scap and the *.txt files it writes.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import {
  blankContainer,
  blankThread,
  containerEvent,
  EventBatchBuilder,
  EventEncoder,
  emptyMetadata,
  writeSysdigCapture,
} from '../../../../scap-format/dist/index.js';
import { CAPTURES_DIR } from '../../../../../test/support/captures.mjs';

const dir = fileURLToPath(new URL('.', import.meta.url));
const hex64 = (c) => c.repeat(64);
const T0 = 1_700_000_000_000_000_000n;

const docker = Object.assign(blankContainer(hex64('a').slice(0, 12), hex64('a'), 'docker'), {
  name: 'web',
  image: 'docker.io/library/nginx:1.25',
  imageRepo: 'docker.io/library/nginx',
  imageTag: '1.25',
  imageDigest: `sha256:${hex64('d')}`,
  imageId: hex64('e'),
  labels: { 'com.example.team': 'payments', maintainer: 'NGINX Docker Maintainers', empty: '' },
  privileged: true,
  hostNetwork: false,
  hostPid: true,
  hostIpc: false,
  mounts: [
    { source: '/srv/www', dest: '/usr/share/nginx/html', mode: 'ro', rw: false, propagation: 'rprivate' },
    { source: '/var/log/web', dest: '/var/log/nginx', mode: '', rw: true, propagation: 'rshared' },
  ],
  ports: [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
  user: 'nginx',
  createdTs: 1_699_999_000_000_000_000n,
  ip: '172.17.0.2',
  healthProbes: [{ kind: 'healthcheck', exe: 'curl', args: ['-f', 'http://localhost/'] }],
  lookup: { state: 'ok', source: 'docker /var/run/docker.sock' },
});
const sandboxId = hex64('b');
const sandbox = Object.assign(blankContainer(sandboxId.slice(0, 12), sandboxId, 'containerd'), {
  name: 'k8s_POD_frontend-7d4b9c_shop',
  image: 'registry.k8s.io/pause:3.9',
  imageRepo: 'registry.k8s.io/pause',
  imageTag: '3.9',
  labels: {
    app: 'frontend',
    tier: 'web',
    'io.kubernetes.pod.name': 'frontend-7d4b9c',
    'io.kubernetes.pod.namespace': 'shop',
    'io.kubernetes.pod.uid': '3e41dc6b-08a8-44db-bc2a-3724b18ab19a',
    'io.kubernetes.container.name': 'POD',
  },
  isPodSandbox: true,
  ip: '10.244.1.7',
  lookup: { state: 'ok', source: 'containerd CRI /run/containerd/containerd.sock' },
});
const cri = Object.assign(blankContainer(hex64('c').slice(0, 12), hex64('c'), 'containerd'), {
  name: 'frontend',
  image: 'ghcr.io/example/frontend:2.1.0',
  imageRepo: 'ghcr.io/example/frontend',
  imageTag: '2.1.0',
  imageId: hex64('f'),
  labels: {
    'io.kubernetes.container.name': 'frontend',
    'io.kubernetes.pod.name': 'frontend-7d4b9c',
    'io.kubernetes.pod.namespace': 'shop',
    'io.kubernetes.pod.uid': '3e41dc6b-08a8-44db-bc2a-3724b18ab19a',
    'io.kubernetes.sandbox.id': sandboxId,
  },
  privileged: false,
  healthProbes: [
    { kind: 'liveness', exe: '/bin/check', args: ['--live'] },
    { kind: 'readiness', exe: '/bin/check', args: ['--ready'] },
  ],
  lookup: { state: 'ok', source: 'containerd CRI /run/containerd/containerd.sock' },
});
const crio = Object.assign(blankContainer(hex64('1').slice(0, 12), hex64('1'), 'cri-o'), {
  name: 'db',
  image: 'quay.io/example/postgres:16',
  imageRepo: 'quay.io/example/postgres',
  imageTag: '16',
  lookup: { state: 'ok', source: 'cri-o /var/run/crio/crio.sock' },
});
const podman = Object.assign(blankContainer(hex64('2').slice(0, 12), hex64('2'), 'podman'), {
  name: 'webapp',
  image: 'localhost/bb:1',
  imageRepo: 'localhost/bb',
  imageTag: '1',
  privileged: false,
  lookup: { state: 'ok', source: 'podman inspect' },
});
const failed = Object.assign(blankContainer(hex64('3').slice(0, 12), hex64('3'), 'docker'), {
  lookup: { state: 'failed', source: 'docker /var/run/docker.sock', error: 'no answer within 2000 ms' },
});
// Appears mid-capture: its container event follows its first events.
const late = Object.assign(blankContainer(hex64('4').slice(0, 12), hex64('4'), 'docker'), {
  name: 'late',
  image: 'busybox:latest',
  imageRepo: 'busybox',
  imageTag: 'latest',
  lookup: { state: 'ok', source: 'docker /var/run/docker.sock' },
});

const containers = [docker, sandbox, cri, crio, podman, failed];
const md = emptyMetadata();
md.machine = { hostname: 'box', numCpus: 1, memoryBytes: 1 << 30, bootTs: 0 };
const cgroupOf = { docker: 'docker/', containerd: 'kubepods/besteffort/pod3e41dc6b/', 'cri-o': 'crio-', podman: 'libpod-' };
let tid = 100;
const threads = [];
for (const c of [...containers, late, undefined]) {
  const t = blankThread(tid);
  t.pid = tid;
  t.ptid = 1;
  t.comm = c ? (c.name || 'proc') : 'host-proc';
  t.exe = t.comm;
  t.exepath = `/bin/${t.comm}`;
  t.uid = 0;
  t.gid = 0;
  const path = c ? `/${cgroupOf[c.type]}${c.fullId}` : '/user.slice';
  t.cgroups = [`cpu=${path}`, `memory=${path}`];
  md.threads.push(t);
  threads.push(tid++);
}
md.containers = containers;

const enc = new EventEncoder();
const GETCWD_E = 92;
const GETCWD_X = 93;
async function* stream() {
  yield { kind: 'metadata', metadata: md };
  const b = new EventBatchBuilder();
  let ts = T0;
  for (const t of threads) {
    b.append(enc.encodeToBytes({ ts: ts++, tid: t, type: GETCWD_E, params: [] }), 0);
    b.append(enc.encodeToBytes({ ts: ts++, tid: t, type: GETCWD_X, params: [0n, '/'] }), 0);
  }
  b.append(containerEvent(late, ts++), 0);
  for (const t of threads) {
    b.append(enc.encodeToBytes({ ts: ts++, tid: t, type: GETCWD_E, params: [] }), 0);
    b.append(enc.encodeToBytes({ ts: ts++, tid: t, type: GETCWD_X, params: [0n, '/'] }), 0);
  }
  yield { kind: 'events', batch: b.take() };
}

const chunks = [];
await writeSysdigCapture(stream(), { write: (c) => void chunks.push(Buffer.from(c)), close() {} });
const scap = `${dir}containers.scap`;
writeFileSync(scap, Buffer.concat(chunks));

export const FIELDS =
  '*%evt.num|%evt.type|%thread.tid|%container.id|%container.name|%container.image|%container.image.id|%container.type|%container.privileged|%container.image.repository|%container.image.tag|%container.image.digest|%container.mounts|%container.mount[0]|%container.mount[1]|%container.mount[/srv/*]|%container.mount.source[/var/log/*]|%container.mount.dest[0]|%container.mount.mode[0]|%container.mount.rdwr[1]|%container.mount.propagation[1]|%container.healthcheck|%container.liveness_probe|%container.readiness_probe|%k8s.pod.name|%k8s.ns.name|%k8s.pod.id|%k8s.pod.labels|%k8s.pod.label.app|%k8s.pod.label.tier';
const sysdig = (...args) =>
  execFileSync('/usr/bin/sysdig', ['-r', scap, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
writeFileSync(`${dir}containers.fields.txt`, `${FIELDS}\n${sysdig('-p', FIELDS)}`);
writeFileSync(`${dir}containers.lscontainers.txt`, sysdig('-c', 'lscontainers'));
writeFileSync(`${dir}containers.default.txt`, sysdig());

// sysdig 0.29.3's container.* and k8s.* fields (its k8s.pod.label takes only the dotted form).
export const REAL_FIELDS =
  '*%evt.num|%container.id|%container.name|%container.image|%container.type|%container.privileged|%container.image.repository|%container.image.tag|%container.image.digest|%container.image.id|%container.mounts|%container.mount[0]|%container.mount[/var/*]|%container.mount.source[0]|%container.mount.dest[0]|%container.mount.mode[0]|%container.mount.rdwr[0]|%container.mount.propagation[0]|%container.healthcheck|%container.liveness_probe|%container.readiness_probe|%k8s.pod.name|%k8s.ns.name|%k8s.pod.id';
const NO_K8S = REAL_FIELDS.replace(/\|%k8s\.[^|]*/g, '');
export const REAL_CAPTURES = {
  privileged: { fields: REAL_FIELDS },
  run_as_user_0_container: { fields: REAL_FIELDS },
  run_as_user_65534_container: { fields: REAL_FIELDS },
  write_tmp_test: { fields: REAL_FIELDS },
  'open-multiple-files': { fields: REAL_FIELDS },
  '502Error': { fields: REAL_FIELDS },
  capture: { fields: NO_K8S, filter: 'container.id!=host' },
};
const captures = `${CAPTURES_DIR}/`;
for (const [name, { fields, filter }] of Object.entries(REAL_CAPTURES)) {
  const out = execFileSync('/usr/bin/sysdig', ['-r', `${captures}${name}.scap`, '-p', fields, ...(filter ? [filter] : [])], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    maxBuffer: 1 << 30,
  });
  writeFileSync(`${dir}${name}.fields.txt.gz`, gzipSync(`${fields}\n${filter ?? ''}\n${out}`));
}
