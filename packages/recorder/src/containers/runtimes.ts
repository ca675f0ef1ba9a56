// The container runtimes a recorder can ask about a container, each by its own API: docker's REST API on
// its socket (podman's docker-compatible socket too), podman's libpod REST API on its socket, and, when no
// podman socket runs (the usual case: it is socket-activated by systemd), `podman inspect`. Each answers
// with a ContainerInfo or a LookupError that says why not.
import { execFile } from 'node:child_process';
import type { ContainerInfo } from '@scapkit/scap-format';
import { containerFromInspect } from './inspect.js';
import { getJson, LookupError } from './unix-http.js';

export interface ContainerRuntime {
  /** What the record's `lookup.source` says: `docker /var/run/docker.sock`, `podman inspect`, … */
  readonly source: string;
  /** The record of the container with this full id; rejects with a LookupError. */
  lookup(fullId: string, timeoutMs: number): Promise<ContainerInfo>;
}

/** Docker's API (`GET /containers/ID/json`, then the image for its registry digest). */
export function dockerApi(socketPath: string, type = 'docker'): ContainerRuntime {
  const source = `${type === 'docker' ? 'docker' : `${type} (docker API)`} ${socketPath}`;
  return {
    source,
    async lookup(fullId, timeoutMs) {
      const doc = await getJson(socketPath, `/containers/${fullId}/json`, timeoutMs);
      const imageId =
        typeof (doc as { Image?: unknown }).Image === 'string' ? (doc as { Image: string }).Image : '';
      let image: unknown;
      let imageError: string | undefined;
      if (imageId !== '') {
        try {
          image = await getJson(socketPath, `/images/${imageId}/json`, timeoutMs);
        } catch (e) {
          imageError = `image ${imageId.slice(0, 19)}: ${(e as Error).message}`;
        }
      }
      const c = containerFromInspect(doc, type, image);
      check(c, fullId, source);
      c.lookup = imageError ? { state: 'partial', source, error: imageError } : { state: 'ok', source };
      return c;
    },
  };
}

/**
 * Podman's own API (`GET /v4.0.0/libpod/containers/ID/json`: the document `podman inspect` prints). Its
 * libpod paths need a version (podman 4 and later take 4.0.0; a podman 3 socket fails, and `podman inspect`
 * is asked next).
 */
export function libpodApi(socketPath: string): ContainerRuntime {
  const source = `podman ${socketPath}`;
  return {
    source,
    async lookup(fullId, timeoutMs) {
      const c = containerFromInspect(
        await getJson(socketPath, `/v4.0.0/libpod/containers/${fullId}/json`, timeoutMs),
        'podman',
      );
      check(c, fullId, source);
      c.lookup = { state: 'ok', source };
      return c;
    },
  };
}

/**
 * `podman inspect`. One process at a time, for every id that waits: a burst of container starts costs a
 * few processes, not one each (a podman process costs ~0.2 s of CPU).
 */
export function podmanCli(program = 'podman'): ContainerRuntime {
  const source = `${program} inspect`;
  let waiting = new Map<string, { resolve: (c: ContainerInfo) => void; reject: (e: Error) => void }[]>();
  let running = false;
  let runTimeout = 0;

  const run = (): void => {
    if (running || waiting.size === 0) return;
    running = true;
    const batch = waiting;
    waiting = new Map();
    const ids = [...batch.keys()];
    execFile(
      program,
      ['inspect', '--type', 'container', '--format', 'json', ...ids],
      { timeout: runTimeout, maxBuffer: 64 << 20, killSignal: 'SIGKILL' },
      (err, stdout) => {
        running = false;
        // podman prints the containers it found, and exits 125 when one of them is not there.
        let docs: unknown[] = [];
        try {
          const parsed = JSON.parse(stdout || '[]');
          if (Array.isArray(parsed)) docs = parsed;
        } catch {}
        const byId = new Map<string, unknown>();
        for (const d of docs) {
          const id = (d as { Id?: unknown }).Id;
          if (typeof id === 'string') byId.set(id, d);
        }
        const failure = cliError(program, err, runTimeout);
        for (const [id, waiters] of batch) {
          const doc = byId.get(id);
          for (const w of waiters) {
            if (doc) {
              const c = containerFromInspect(doc, 'podman');
              c.lookup = { state: 'ok', source };
              w.resolve(c);
            } else w.reject(failure ?? new LookupError('notFound', `${source}: no such container`));
          }
        }
        run();
      },
    );
  };

  return {
    source,
    lookup(fullId, timeoutMs) {
      runTimeout = timeoutMs;
      return new Promise((resolve, reject) => {
        const list = waiting.get(fullId) ?? [];
        list.push({ resolve, reject });
        waiting.set(fullId, list);
        run();
      });
    },
  };
}

function cliError(program: string, err: Error | null, timeoutMs: number): LookupError | undefined {
  if (!err) return undefined;
  const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
  if (e.code === 'ENOENT') return new LookupError('absent', `${program} is not installed`);
  if (e.code === 'EACCES') return new LookupError('denied', `${program}: permission denied`);
  if (e.killed) return new LookupError('timeout', `${program} inspect: no answer within ${timeoutMs} ms`);
  // Exit 125 with the others found: the missing one is simply not a podman container.
  return undefined;
}

/** A document for another container than the one asked about is not an answer. */
function check(c: ContainerInfo, fullId: string, source: string): void {
  if (c.fullId !== fullId)
    throw new LookupError('bad', `${source}: answered for ${c.fullId.slice(0, 12) || 'nothing'}`);
}
