// The loopback server and `scapkit view`: only the page, the model's answers and the trace's metadata (not
// the trace file), only with the token and this server's Host; the page comes with its strict policy.
// Then the command as users type it: it prints the URL, serves, and stops on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rfc3339ToNs } from '../src/model/alerts.js';
import { startViewerServer, type ViewerServer } from '../src/server/server.js';
import { buildPage, capture, haveCaptures, lines, repo, scapkit } from './support.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw request (the Host header as given, no URL normalisation). */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () =>
          ok({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }),
        );
      },
    );
    req.on('error', fail);
    req.end();
  });
}

describe.skipIf(!haveCaptures)('the viewer server', () => {
  let dir: string;
  let server: ViewerServer;
  const trace = capture('curl_google.scap');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scapkit-viewer-server-'));
    const page = await buildPage(join(dir, 'web'));
    server = await startViewerServer({ trace, page });
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('binds loopback and puts a long random token in the URL', () => {
    const u = new URL(server.url);
    expect(u.hostname).toBe('127.0.0.1');
    expect(u.pathname).toBe(`/${server.token}/`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('serves the page with a strict Content-Security-Policy', async () => {
    const r = await get(server.port, `/${server.token}/`);
    expect(r.status).toBe(200);
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toMatch(
      /^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; worker-src blob:/,
    );
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body.toString()).toContain('<div id="app">');
  });

  it('serves the name of the trace it was given', async () => {
    const meta = JSON.parse((await get(server.port, `/${server.token}/meta`)).body.toString());
    expect(meta).toEqual({ name: 'curl_google.scap', alerts: [] });
  });

  it('answers nothing without the token, to another Host, or for anything else', async () => {
    const t = server.token;
    const wrong = `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`;
    for (const path of [
      '/',
      `/${wrong}/`,
      `/${wrong}/trace`,
      `/${wrong}/api?q=${encodeURIComponent('{"op":"fields","num":1}')}`,
      '/api',
      `/${t}`,
      `/${t}/../trace`,
      `/${t}/etc/passwd`,
      `/${t}/trace`,
      `/${t}/meta/x`,
      '/trace',
    ]) {
      const r = await get(server.port, path);
      expect([path, r.status, r.body.length]).toEqual([path, 404, 0]);
    }
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 sends its own Host.
    expect((await get(server.port, `/${t}/meta`, { host: `evil.example:${server.port}` })).status).toBe(421);
    expect((await get(server.port, `/${t}/meta`, { host: 'localhost:1' })).status).toBe(421);
    expect((await get(server.port, `/${t}/meta`, {}, 'POST')).status).toBe(405);
    // The model's answers: a request it cannot read is refused, one it can is answered as JSON lines.
    expect((await get(server.port, `/${t}/api?q=nonsense`)).status).toBe(400);
    const fields = await get(server.port, `/${t}/api?q=${encodeURIComponent('{"op":"fields","num":1}')}`);
    expect(fields.status).toBe(200);
    expect(fields.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const answer = JSON.parse(fields.body.toString('utf8').trim().split('\n').at(-1)!) as { result: unknown };
    expect(Array.isArray(answer.result)).toBe(true);
  });
});

describe.skipIf(!haveCaptures)('scapkit view', () => {
  it('prints the URL, serves the trace it was given, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [join(repo, 'packages/recorder/bin/scapkit.js'), 'view', capture('cat_write.scap'), '--no-open'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISPLAY: '' } },
    );
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const url = await new Promise<string>((ok, fail) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /^(http:\/\/127\.0\.0\.1:\d+\/[\w-]+\/)$/m.exec(out);
        if (m) ok(m[1]!);
      });
      child.on('exit', (code) => fail(new Error(`exited ${code}: ${err}`)));
    });
    const u = new URL(url);
    const r = await get(Number(u.port), `${u.pathname}meta`);
    expect(JSON.parse(r.body.toString())).toEqual({ name: 'cat_write.scap', alerts: [] });
    expect(err).toContain('open the URL above in a browser');
    const code = await new Promise<number | null>((ok) => {
      child.on('exit', ok);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });

  it('--detect judges the trace in its first pass: the alerts are those scapkit detect prints', async () => {
    const trace = capture('capture.scap');
    const detect = await scapkit(['detect', '-r', trace, '--json']);
    const want = lines(detect.stdout).map((l) => {
      const a = JSON.parse(l) as { rule: string; priority: string; time: string };
      return [a.rule, a.priority, String(rfc3339ToNs(a.time))];
    });
    expect(want.length).toBeGreaterThan(0);
    const child = spawn(
      process.execPath,
      [join(repo, 'packages/recorder/bin/scapkit.js'), 'view', trace, '--detect', '--no-open'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISPLAY: '' } },
    );
    let out = '';
    const url = await new Promise<string>((ok, fail) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /^(http:\/\/127\.0\.0\.1:\d+\/[\w-]+\/)$/m.exec(out);
        if (m) ok(m[1]!);
      });
      child.on('exit', (code) => fail(new Error(`exited ${code}`)));
    });
    // The page's first request: the overview, once the first pass is done, with the alerts it raised.
    const u = new URL(url);
    const q = encodeURIComponent(JSON.stringify({ op: 'open', source: { kind: 'served', name: '' } }));
    const r = await get(Number(u.port), `${u.pathname}api?q=${q}`);
    const last = JSON.parse(lines(r.body.toString('utf8')).at(-1)!) as {
      result: { alerts: { rule: string; priority: string; ts: string }[] };
    };
    expect(last.result.alerts.map((a) => [a.rule, a.priority, a.ts])).toEqual(want);
    await new Promise((ok) => {
      child.on('exit', ok);
      child.kill('SIGTERM');
    });
  });

  it('refuses a file that is not a trace, and says why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scapkit-view-'));
    const notes = join(dir, 'notes.txt');
    await writeFile(notes, 'not a capture\n');
    const r = await scapkit(['view', notes, '--no-open']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a capture: it starts with bytes 6e 6f 74 20/);
    expect(r.stdout).toBe('');
    const bad = await scapkit(['view', notes, '--host', 'example.com']);
    expect(bad.code).toBe(2);
    await rm(dir, { recursive: true, force: true });
  });
});
