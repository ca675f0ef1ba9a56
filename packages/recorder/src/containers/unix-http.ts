// GET a JSON document from a REST API on a unix socket (docker's, podman's), with a deadline and a size
// bound, and errors a user can act on: no socket, no permission, nobody listening, no answer in time.
import { request } from 'node:http';

/** Why a runtime could not be asked or did not answer; `message` says it for a person. */
export class LookupError extends Error {
  override readonly name = 'LookupError';
  constructor(
    /** absent: no such socket or program; denied: no permission; down: nobody answers; timeout; notFound:
     *  the runtime does not know the container; bad: an answer that is not what the API documents. */
    readonly kind: 'absent' | 'denied' | 'down' | 'timeout' | 'notFound' | 'bad',
    message: string,
  ) {
    super(message);
  }
}

/** Bytes of an answer past which it is refused: an inspect is a few KB, a long label list tens. */
const MAX_ANSWER_BYTES = 8 << 20;

export function getJson(socketPath: string, path: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', headers: { host: 'localhost' } }, (res) => {
      const parts: Buffer[] = [];
      let size = 0;
      res.on('data', (b: Buffer) => {
        size += b.length;
        if (size > MAX_ANSWER_BYTES) {
          req.destroy();
          reject(new LookupError('bad', `${socketPath}: an answer over ${MAX_ANSWER_BYTES} bytes`));
          return;
        }
        parts.push(b);
      });
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status === 404) return reject(new LookupError('notFound', `${socketPath}: no such container`));
        if (status < 200 || status >= 300) {
          return reject(
            new LookupError('bad', `${socketPath}: HTTP ${status} for ${path}: ${text.slice(0, 200)}`),
          );
        }
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new LookupError('bad', `${socketPath}: an answer that is not JSON`));
        }
      });
      res.on('error', (e) => reject(socketError(socketPath, e)));
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      reject(new LookupError('timeout', `${socketPath}: no answer within ${timeoutMs} ms`));
    });
    req.on('error', (e) => reject(socketError(socketPath, e)));
    req.end();
  });
}

function socketError(socketPath: string, e: Error): LookupError {
  if (e instanceof LookupError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new LookupError('absent', `no socket at ${socketPath}`);
    case 'EACCES':
    case 'EPERM':
      return new LookupError(
        'denied',
        `permission denied on ${socketPath} (run the recorder as root, or as a member of the socket's group)`,
      );
    case 'ECONNREFUSED':
      return new LookupError('down', `nothing listens on ${socketPath} (is the runtime's daemon running?)`);
    default:
      return new LookupError('down', `${socketPath}: ${code ?? e.message}`);
  }
}
