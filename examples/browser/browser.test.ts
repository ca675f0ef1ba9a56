// The browser example, driven in headless Chromium: the page is bundled (esbuild), served from 127.0.0.1,
// and given real captures through its <input type=file>. What it shows is checked against facts that do
// not come from scapkit: the event counts of SOURCES.md and what sysdig 0.29.3 says (topscalls, parents).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { type CaptureMetadata, type EventBatch, MemorySink, ScapkitWriter } from '@scapkit/scap-format';
import { bestLz4Codec, nativeZstdCodec, openCaptureFile } from '@scapkit/scap-format/node';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_LAUNCH, HAVE_CHROMIUM } from '../../test/support/chromium.mjs';
import { capture, lines, sourcesEventCount, sysdig } from '../test/helpers.js';
import { buildBrowserApp } from './build.mjs';

if (!HAVE_CHROMIUM)
  console.warn(`browser example test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

function fail(why: string): never {
  throw new Error(why);
}

/** Rewrites a capture as a scapkit trace: its metadata and event batches, through ScapkitWriter. */
async function toScapkit(
  src: string,
  edit?: (md: CaptureMetadata) => void,
  codec: 'lz4' | 'zstd' = 'lz4',
): Promise<Uint8Array> {
  const sink = new MemorySink();
  const writer = new ScapkitWriter(
    sink,
    { recorderVersion: 'examples browser test' },
    {
      codec:
        codec === 'zstd'
          ? (nativeZstdCodec() ?? fail('zstd-napi is not installed (npm test installs it)'))
          : bestLz4Codec(),
    },
  );
  for await (const rec of openCaptureFile(src)) {
    if (rec.kind === 'metadata') {
      edit?.(rec.metadata);
      await writer.writeMetadata(rec.metadata);
    } else if (rec.kind === 'events') await writer.writeBatch(rec.batch as EventBatch);
  }
  await writer.close();
  return sink.bytes();
}

/** sysdig's topscalls table (every event but switch, enter and exit together) as a map. */
function topscalls(name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines(sysdig(['-r', capture(name), '-c', 'topscalls']))) {
    const m = /^(\d+)\s+(\S+)\s*$/.exec(l);
    if (m) out.set(m[2]!, Number(m[1]));
  }
  return out;
}

/** pid, ppid and parent name of the process named `comm`, as sysdig's state engine knows them. */
function sysdigParent(name: string, comm: string): { pid: number; ppid: number; pname: string } {
  const [first] = lines(
    sysdig(['-r', capture(name), '-p', '%proc.pid %proc.ppid %proc.pname', `proc.name=${comm}`]),
  );
  const [pid, ppid, pname] = first!.split(' ');
  return { pid: Number(pid), ppid: Number(ppid), pname: pname! };
}

interface Shown {
  status: string;
  format: string;
  events: number;
  types: [string, number][];
}

describe.skipIf(!HAVE_CHROMIUM)('browser example (headless Chromium)', () => {
  let dir: string;
  let server: Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scapkit-browser-'));
    const site = await buildBrowserApp(join(dir, 'site'));
    const types: Record<string, string> = {
      '.html': 'text/html; charset=utf-8',
      '.js': 'text/javascript; charset=utf-8',
      '.map': 'application/json',
    };
    server = createServer(async (req, res) => {
      // Only the files the build wrote; a path with anything else in it is refused.
      const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1) || 'index.html';
      if (!/^[\w.-]+$/.test(name)) return void res.writeHead(404).end();
      try {
        const body = await readFile(join(site, name));
        res.writeHead(200, { 'content-type': types[extname(name)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch(CHROMIUM_LAUNCH);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Opens the page, picks `file` in its input, and waits for the read to end. */
  async function open(file: string): Promise<{ page: Page; shown: Shown }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(base);
    await page.setInputFiles('#file', file);
    await page.waitForSelector('#status[data-state="done"], #status[data-state="error"]', {
      state: 'attached',
    });
    expect(errors).toEqual([]);
    const shown = await page.evaluate(() => ({
      status: document.getElementById('status')!.textContent ?? '',
      format: document.getElementById('format')!.textContent ?? '',
      events: Number(document.getElementById('events')!.textContent),
      types: [...document.querySelectorAll('#types tr')].map(
        (tr) => [tr.children[0]!.textContent ?? '', Number(tr.children[1]!.textContent)] as [string, number],
      ),
    }));
    return { page, shown };
  }

  /** The label of a process and the pid of the list item it is nested in. */
  const processAt = (page: Page, pid: number) =>
    page.evaluate((pid) => {
      const li = document.querySelector(`#tree li[data-pid="${pid}"]`);
      const parent = li?.parentElement?.closest('li');
      return {
        label: li?.querySelector(':scope > .proc')?.textContent,
        parentPid: parent ? Number(parent.getAttribute('data-pid')) : undefined,
        parentLabel: parent?.querySelector(':scope > .proc')?.textContent,
      };
    }, pid);

  /** Every row the page shows matches sysdig's topscalls (which leaves out switch events). */
  function expectTypesLikeSysdig(shown: Shown, name: string): void {
    const golden = topscalls(name);
    const rows = shown.types.filter(([t]) => t !== 'switch');
    expect(rows.length).toBeGreaterThan(5);
    for (const [type, n] of rows) expect([type, n]).toEqual([type, golden.get(type)]);
  }

  it('reads a gzip sysdig capture: count, types, cat under bash (cat_write.scap)', async () => {
    const { page, shown } = await open(capture('cat_write.scap'));
    expect(shown.status).toBe('done');
    expect(shown.format).toBe('sysdig 1.0 (gzip)');
    expect(shown.events).toBe(sourcesEventCount('cat_write.scap'));
    expectTypesLikeSysdig(shown, 'cat_write.scap');
    expect(shown.types.find(([t]) => t === 'mmap')).toEqual([
      'mmap',
      topscalls('cat_write.scap').get('mmap'),
    ]);

    const cat = sysdigParent('cat_write.scap', 'cat');
    expect(cat.pname).toBe('bash');
    const p = await processAt(page, cat.pid);
    expect(p.label).toBe(`${cat.pid} cat /dev/null`);
    expect(p.parentPid).toBe(cat.ppid);
    expect(p.parentLabel?.startsWith(`${cat.ppid} bash`)).toBe(true);
    await page.close();
  });

  // zstd chunks are written by the native codec and read in the page by the pure decoder (fzstd).
  it.each(['lz4', 'zstd'] as const)(
    'reads a scapkit trace with %s chunks: count, types, curl under bash (curl_google.scap converted)',
    async (codec) => {
      const file = join(dir, `curl_google.${codec}.scapkit`);
      await writeFile(file, await toScapkit(capture('curl_google.scap'), undefined, codec));
      const { page, shown } = await open(file);
      expect(shown.status).toBe('done');
      expect(shown.format).toBe('scapkit 1.1');
      expect(shown.events).toBe(sourcesEventCount('curl_google.scap'));
      expectTypesLikeSysdig(shown, 'curl_google.scap');

      const curl = sysdigParent('curl_google.scap', 'curl');
      expect(curl.pname).toBe('bash');
      const p = await processAt(page, curl.pid);
      expect(p.label).toBe(`${curl.pid} curl -6 http://www.google.com`);
      expect(p.parentPid).toBe(curl.ppid);
      expect(p.parentLabel?.startsWith(`${curl.ppid} bash`)).toBe(true);
      await page.close();
    },
  );

  it('shows markup from a trace as text, never as markup', async () => {
    const evil = '<img src=x onerror="document.title=\'pwned\'">';
    const file = join(dir, 'evil.scapkit');
    await writeFile(
      file,
      await toScapkit(capture('cat_write.scap'), (md) => {
        const bash = md.threads.find((t) => t.tid === 11310)!;
        bash.comm = evil;
        bash.args = ['<script>document.title="pwned"</script>'];
      }),
    );
    const { page, shown } = await open(file);
    expect(shown.status).toBe('done');
    const p = await processAt(page, 11310);
    expect(p.label).toBe(`11310 ${evil} <script>document.title="pwned"</script>`);
    expect(await page.locator('#tree img, #tree script').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');
    await page.close();
  });

  it('says why it cannot read a file that is not a capture', async () => {
    const file = join(dir, 'notes.txt');
    await writeFile(file, 'not a capture\n');
    const { page, shown } = await open(file);
    expect(shown.status).toMatch(/cannot read notes\.txt: not a capture: it starts with bytes 6e 6f 74 20/);
    expect(await page.locator('#results').isHidden()).toBe(true);
    await page.close();
  });
});
