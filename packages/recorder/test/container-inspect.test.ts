// How an inspect document becomes a record, where libsinsp's docker engine defines it: image names split
// as split_container_image does, the tag "latest" when none is named, health checks from Config.Healthcheck
// (CMD: the command; CMD-SHELL: /bin/sh -c; NONE: none), the registry digest from the image's RepoDigests.
import { describe, expect, it } from 'vitest';
import { containerFromInspect, rfc3339Ns, splitImage } from '../src/containers/inspect.js';

describe('splitImage', () => {
  it.each([
    ['nginx', 'nginx', '', ''],
    ['nginx:1.25', 'nginx', '1.25', ''],
    ['docker.io/library/nginx:1.25', 'docker.io/library/nginx', '1.25', ''],
    ['registry:5000/team/app', 'registry:5000/team/app', '', ''],
    ['registry:5000/team/app:v2', 'registry:5000/team/app', 'v2', ''],
    [`ghcr.io/x/y@sha256:${'a'.repeat(64)}`, 'ghcr.io/x/y', '', `sha256:${'a'.repeat(64)}`],
    [`ghcr.io/x/y:1@sha256:${'b'.repeat(64)}`, 'ghcr.io/x/y', '1', `sha256:${'b'.repeat(64)}`],
  ])('%s', (image, repo, tag, digest) => {
    expect(splitImage(image)).toEqual({ repo, tag, digest });
  });
});

describe('containerFromInspect', () => {
  const id = 'f'.repeat(64);
  const doc = (over: Record<string, unknown>) => ({
    Id: id,
    Name: '/web',
    Image: `sha256:${'e'.repeat(64)}`,
    Created: '2026-12-07T00:12:19.438508693Z',
    Config: { Image: 'nginx', Labels: { a: 'b' }, User: '101' },
    HostConfig: { Privileged: false, NetworkMode: 'host', PidMode: '', IpcMode: 'host' },
    NetworkSettings: {
      IPAddress: '',
      Networks: { bridge: { IPAddress: '172.17.0.3' } },
      Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] },
    },
    ...over,
  });

  it('reads what docker says, as libsinsp does', () => {
    const image = { RepoDigests: [`nginx@sha256:${'d'.repeat(64)}`] };
    const c = containerFromInspect(doc({}), 'docker', image);
    expect(c).toMatchObject({
      id: id.slice(0, 12),
      name: 'web',
      image: 'nginx',
      imageRepo: 'nginx',
      imageTag: 'latest',
      imageId: 'e'.repeat(64),
      imageDigest: `sha256:${'d'.repeat(64)}`,
      user: '101',
      privileged: false,
      hostNetwork: true,
      hostPid: false,
      hostIpc: true,
      ip: '172.17.0.3',
      ports: [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
      createdTs: 1_796_602_339_438_508_693n,
    });
    expect({ ...c.labels }).toEqual({ a: 'b' });
  });

  it.each([
    [
      ['CMD', 'curl', '-f', 'http://localhost/'],
      { kind: 'healthcheck', exe: 'curl', args: ['-f', 'http://localhost/'] },
    ],
    [
      ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'],
      { kind: 'healthcheck', exe: '/bin/sh', args: ['-c', 'curl -f http://localhost/ || exit 1'] },
    ],
    [['NONE'], undefined],
  ])('health check %j', (test, probe) => {
    const c = containerFromInspect(doc({ Config: { Image: 'x', Healthcheck: { Test: test } } }), 'docker');
    expect(c.healthProbes).toEqual(probe ? [probe] : []);
  });

  it('reads RFC 3339 times to the nanosecond, any offset', () => {
    expect(rfc3339Ns('1970-01-01T00:00:01Z')).toBe(1_000_000_000n);
    expect(rfc3339Ns('1970-01-01T01:00:01.5+01:00')).toBe(1_500_000_000n);
    expect(rfc3339Ns('not a time')).toBe(0n);
  });
});
