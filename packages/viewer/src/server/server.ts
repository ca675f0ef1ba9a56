// The loopback server behind `scapkit view TRACE`: it serves the built page, the model of the one trace it
// was given (read here, answered request by request), and the trace's name with the alerts to mark on the
// timeline. Nothing else (not the trace file itself). Every request must carry the session's random token
// as the first path segment and name this server in its Host header (a page elsewhere cannot reach it by
// DNS rebinding); every response forbids caching, framing and sniffing, and the page comes with a strict
// Content-Security-Policy.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCaptureFile } from '@scapkit/scap-format/node';
import type { Alert, EventJudge } from '../model/alerts.js';
import type { Request } from '../model/protocol.js';
import { wireReplacer } from '../model/wire.js';
import { ModelService } from './service.js';

export interface ViewerServerOptions {
  /** The trace to serve (a scapkit trace or a sysdig/Falco .scap). */
  trace: string;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** The built page (default: this package's dist/web/index.html). */
  page?: string;
  /** Alerts to mark on the timeline (Falco's JSON objects, as `scapkit detect --json` prints them). */
  alerts?: readonly Alert[];
  /**
   * Rules to run in the first pass (@scapkit/rules through the view command): their alerts are marked
   * on the timeline with `alerts`.
   */
  judge?: EventJudge;
  /** A fixed token (tests); a random one by default. */
  token?: string;
}

export interface ViewerServer {
  /** The page's URL, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

/** The page `npm run build` writes (scripts/build.mjs), relative to this module in src/ and in dist/. */
export function builtPagePath(): string {
  return fileURLToPath(new URL('../../dist/web/index.html', import.meta.url));
}

export class PageNotBuiltError extends Error {
  override readonly name = 'PageNotBuiltError';
}

const SECURITY_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

export async function startViewerServer(opts: ViewerServerOptions): Promise<ViewerServer> {
  const pagePath = opts.page ?? builtPagePath();
  let page: Buffer;
  try {
    page = await readFile(pagePath);
  } catch {
    throw new PageNotBuiltError(
      `the viewer's page is not built (${pagePath} is missing): run 'npm run build' (or node packages/viewer/scripts/build.mjs)`,
    );
  }
  // The policy the build wrote into the page (it holds the hashes of the page's inline script and style).
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page.toString('utf8'))?.[1];
  if (!csp) throw new PageNotBuiltError(`${pagePath} has no Content-Security-Policy: rebuild it`);
  // Its header read now: a missing file, or one that is not a capture, fails here with the reader's message
  // (what `scapkit view` prints), not later in the browser.
  for await (const rec of openCaptureFile(opts.trace)) if (rec.kind === 'header') break;
  // The first pass starts now: by the time a browser asks, part of the trace is read.
  const service = new ModelService(opts.trace, opts.judge);
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const meta = Buffer.from(JSON.stringify({ name: basename(opts.trace), alerts: opts.alerts ?? [] }));
  const host = opts.host ?? '127.0.0.1';
  let port = 0;

  const allowedHosts = () =>
    new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${hostForUrl(host)}:${port}`]);

  function handle(req: IncomingMessage, res: ServerResponse): void {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (!allowedHosts().has(req.headers.host ?? '')) return void res.writeHead(421).end('wrong host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    }
    const [path, query] = (req.url ?? '/').split('?') as [string, string | undefined];
    const m = /^\/([A-Za-z0-9_-]+)\/(|meta|api)$/.exec(path);
    const given = m?.[1] !== undefined ? Buffer.from(m[1]) : undefined;
    if (!given || given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes)) {
      return void res.writeHead(404).end();
    }
    switch (m![2]) {
      case '':
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': `${csp}; frame-ancestors 'none'`,
          'content-length': page.length,
        });
        return void res.end(req.method === 'HEAD' ? undefined : page);
      case 'meta':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': meta.length });
        return void res.end(req.method === 'HEAD' ? undefined : meta);
      case 'api':
        return void serveAnswer(service, query, res);
    }
  }

  const server: Server = createServer(handle);
  try {
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(opts.port ?? 0, host, () => ok());
    });
  } catch (e) {
    await service.close();
    throw e;
  }
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${hostForUrl(host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host)}:${port}/${token}/`,
    port,
    token,
    close: async () => {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      await service.close();
    },
  };
}

const hostForUrl = (h: string) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);

/**
 * One request of the page (`api?q=JSON`, a Request of model/protocol.ts), answered as JSON lines: progress
 * lines while it runs, then the result or the error.
 */
function serveAnswer(service: ModelService, query: string | undefined, res: ServerResponse): void {
  let req: Request;
  try {
    req = JSON.parse(new URLSearchParams(query ?? '').get('q') ?? '') as Request;
    if (typeof req !== 'object' || req === null || typeof req.op !== 'string') throw new Error('no op');
  } catch {
    return void res.writeHead(400).end('expected api?q={"op":…}\n');
  }
  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
  void service
    .answer(req, (line) => res.write(`${JSON.stringify(line, wireReplacer)}\n`))
    .finally(() => res.end());
}
