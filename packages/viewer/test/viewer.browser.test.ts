// The viewer in Debian's Chromium (playwright-core): served by `startViewerServer` as `scapkit view` does,
// and opened from disk with a dropped file. What each view shows is checked against what other programs
// print for the same trace: `scapkit replay` (its filter and -p fields), the chisels, sysdig 0.29.3 where
// it has the same chisel. A screenshot of each view is written to test/artifacts/.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { formatBytes } from '@scapkit/replay';
import {
  type CaptureMetadata,
  EC,
  EVENTS,
  type EventBatch,
  MemorySink,
  openCapture,
  ScapkitWriter,
} from '@scapkit/scap-format';
import { bestLz4Codec, fileByteSource, openCaptureFile } from '@scapkit/scap-format/node';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewerServer, type ViewerServer } from '../src/server/server.js';
import {
  artifact,
  buildPage,
  capture,
  haveCaptures,
  haveChromium,
  launchChromium,
  lines,
  repo,
  scapkit,
  scapkitOut,
} from './support.js';

/** Sums of the value printed after the last space of each line, by what precedes it (positive values). */
function sumsByKey(out: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines(out)) {
    const at = l.lastIndexOf(' ');
    const v = Number(l.slice(at + 1));
    if (v > 0) m.set(l.slice(0, at), (m.get(l.slice(0, at)) ?? 0) + v);
  }
  return m;
}

const sum = (out: string) => lines(out).reduce((n, l) => n + Math.max(0, Number(l)), 0);

describe.skipIf(!haveChromium || !haveCaptures)('scapkit view in Chromium', () => {
  let dir: string;
  let page: string;
  let browser: Browser;
  const servers: ViewerServer[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scapkit-viewer-'));
    page = await buildPage(join(dir, 'web'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A fresh page that records script errors and CSP violations (each test asserts there were none). */
  async function newPage(): Promise<Page> {
    const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    problems.length = 0;
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(m.text());
    });
    return p;
  }

  /** Serves `trace` and opens the page; resolves once the overview is up. */
  async function serve(trace: string, alerts: import('../src/model/alerts.js').Alert[] = []): Promise<Page> {
    const s = await startViewerServer({ trace, page, alerts });
    servers.push(s);
    const p = await newPage();
    await p.goto(s.url);
    await p.waitForSelector('#overview');
    return p;
  }

  const tile = async (p: Page, id: string) =>
    Number(await p.getAttribute(`[data-tile="${id}"]`, 'data-value'));

  /** The rows of the table shown: cell texts and, for numeric cells, their exact values. */
  async function tableRows(p: Page): Promise<{ text: string[]; value: (number | undefined)[] }[]> {
    return p.$$eval('#table tbody tr', (trs) =>
      trs.map((tr) => ({
        text: [...tr.children].map((td) => td.textContent ?? ''),
        value: [...tr.children].map((td) => {
          const v = td.getAttribute('data-value');
          return v === null ? undefined : Number(v);
        }),
      })),
    );
  }

  async function openTab(p: Page, tab: string) {
    await p.click(`[data-tab="${tab}"]`);
    await p.waitForSelector(
      `#view[data-view="${tab === 'events' || tab === 'tree' || tab === 'alerts' ? tab : 'table'}"]`,
    );
  }

  const shownEvents = async (p: Page) => {
    await p.waitForSelector('#status[data-busy="false"]');
    return Number((await p.textContent('#shown-events'))!.replace(/,/g, ''));
  };

  it('overview and tables of curl_google.scap equal replay, the chisels and sysdig', async () => {
    const trace = capture('curl_google.scap');
    const p = await serve(trace);
    // Read and decoded by the server (`scapkit view`'s process), not in the page.
    expect(await p.getAttribute('#trace-reader', 'data-reader')).toBe('server');
    await p.screenshot({ path: artifact('overview.png') });
    const io = (f: string) => scapkitOut(['replay', '-r', trace, '-p', '%evt.rawarg.res', f]);
    expect(await tile(p, 'file-in')).toBe(
      sum(await io('fd.type=file and evt.is_io=true and evt.is_io_read=true')),
    );
    expect(await tile(p, 'net-in')).toBe(
      sum(await io('(fd.type=ipv4 or fd.type=ipv6) and evt.is_io_read=true')),
    );
    expect(await tile(p, 'net-out')).toBe(
      sum(await io('(fd.type=ipv4 or fd.type=ipv6) and evt.is_io_write=true')),
    );
    expect(await tile(p, 'file-in')).toBeGreaterThan(0);
    const events = lines(await scapkitOut(['replay', '-r', trace]));
    expect(await shownEvents(p)).toBe(events.length);
    const pids = new Set(
      lines(await scapkitOut(['replay', '-r', trace, '-p', '%proc.pid', 'proc.pid exists'])),
    );
    expect(await tile(p, 'processes')).toBe(pids.size);

    // Files: each row's bytes are replay's sum for that file; the largest as -c topfiles_bytes prints them.
    await openTab(p, 'files');
    const files = await tableRows(p);
    const want = sumsByKey(
      await scapkitOut([
        'replay',
        '-r',
        trace,
        '-p',
        '%fd.name %evt.rawarg.res',
        'fd.type=file and evt.is_io=true',
      ]),
    );
    expect(files.length).toBe([...want.keys()].length + files.filter((r) => r.value[3] === 0).length);
    for (const r of files)
      if (r.value[3]! > 0) expect([r.text[0], r.value[3]]).toEqual([r.text[0], want.get(r.text[0]!)]);
    const top = lines(await scapkitOut(['replay', '-r', trace, '-c', 'topfiles_bytes'])).slice(2);
    expect(top.length).toBeGreaterThan(3);
    for (const l of top) {
      const [bytes, name] = [l.slice(0, 20).trim(), l.slice(20)];
      expect(files.find((r) => r.text[0] === name)?.text[3]).toBe(bytes);
    }
    await p.screenshot({ path: artifact('table-files.png') });

    // Connections: sysdig's own topconns chisel.
    await openTab(p, 'connections');
    const conns = await tableRows(p);
    const golden = lines(await sysdigOut(['-r', trace, '-c', 'topconns'])).slice(2);
    expect(golden.length).toBe(2);
    for (const l of golden) {
      const [bytes, proto, conn] = [l.slice(0, 20).trim(), l.slice(20, 40).trim(), l.slice(40)];
      const row = conns.find((r) => r.text[1] === conn);
      expect([row?.text[0], row?.text[5]]).toEqual([proto, bytes]);
    }
    await p.screenshot({ path: artifact('table-connections.png') });
    expect(problems).toEqual([]);
    await p.close();
  });

  it('every table opens from the list; threads and system calls count what replay and sysdig count', async () => {
    const trace = capture('curl_google.scap');
    const p = await serve(trace);
    const ids = [
      'processes',
      'threads',
      'files',
      'directories',
      'connections',
      'ports',
      'containers',
      'syscalls',
      'errors',
      'commands',
    ];
    for (const id of ids) {
      await p.selectOption('#table-select', id);
      await p.waitForSelector(`.table-view[data-table="${id}"]`);
    }
    await p.selectOption('#table-select', 'threads');
    await p.waitForSelector('.table-view[data-table="threads"]');
    const tids = new Set(
      lines(await scapkitOut(['replay', '-r', trace, '-p', '%thread.tid', 'thread.tid exists'])),
    );
    expect((await tableRows(p)).map((r) => r.text[0]).sort()).toEqual([...tids].sort());
    await p.selectOption('#table-select', 'syscalls');
    await p.waitForSelector('.table-view[data-table="syscalls"]');
    const calls = new Map((await tableRows(p)).map((r) => [r.text[0], r.value[1]]));
    const golden = lines(await sysdigOut(['-r', trace, '-c', 'topscalls'])).slice(2);
    expect(golden.length).toBeGreaterThan(10);
    // sysdig's chisels also see internal events (procinfo …), which replay and the viewer do not show.
    const internal = new Set(EVENTS.filter((e) => e.category & EC.INTERNAL).map((e) => e.name));
    for (const l of golden) {
      const [n, name] = l.trim().split(/\s+/);
      if (!internal.has(name!)) expect([name, calls.get(name!)]).toEqual([name, Number(n)]);
    }
    await p.screenshot({ path: artifact('table-syscalls.png') });
    expect(problems).toEqual([]);
    await p.close();
  });

  it('follows a connection (e): the bytes shown are evt.buffer of each call', async () => {
    const trace = capture('curl_google.scap');
    const p = await serve(trace);
    await openTab(p, 'connections');
    const rows = await tableRows(p);
    const tcp = rows.findIndex((r) => r.text[0] === 'tcp');
    await p.click(`#table tbody tr:nth-child(${tcp + 1}) td`);
    await p.keyboard.press('e');
    await p.waitForSelector('#io .io-chunk');
    await p.screenshot({ path: artifact('io-printable.png') });
    await p.click('[data-mode="dotted"]');
    const shown = await p.$$eval('#io .io-data', (els) => els.map((e) => e.textContent ?? ''));
    const filter = `fd.l4proto=tcp and fd.name="${rows[tcp]!.text[1]}" and (fd.type=ipv4 or fd.type=ipv6) and evt.is_io=true and evt.rawres>0`;
    const buffers = lines(await scapkitOut(['replay', '-r', trace, '-p', '%evt.buffer', filter]));
    expect(shown.length).toBe(buffers.length);
    expect(shown).toEqual(buffers);
    expect(shown.some((s) => s.startsWith('GET / HTTP/1.1'))).toBe(true);
    await p.click('[data-mode="hex"]');
    await p.screenshot({ path: artifact('io-hex.png') });
    // Backspace goes back up to the table.
    await p.keyboard.press('Backspace');
    await p.waitForSelector('#view[data-view="table"]');
    expect(problems).toEqual([]);
    await p.close();
  });

  it('process tree: every process under the parent -c proctree shows it under', async () => {
    const trace = capture('curl_google.scap');
    const p = await serve(trace);
    await openTab(p, 'tree');
    const tree = lines(await scapkitOut(['replay', '-r', trace, '-c', 'proctree']));
    const stack: number[] = [];
    let checked = 0;
    for (const l of tree) {
      const m = /^(\D*?)(\d+) (\S+)/.exec(l)!;
      const depth = [...m[1]!].length / 3;
      const pid = Number(m[2]);
      stack.length = depth;
      const parent = stack.at(-1);
      stack.push(pid);
      const shown = await p.evaluate((pid) => {
        const li = document.querySelector(`#tree li[data-pid="${pid}"]`);
        const up = li?.parentElement?.closest('li');
        return {
          name: li?.querySelector('.pname')?.textContent,
          parent: up ? Number(up.getAttribute('data-pid')) : undefined,
        };
      }, pid);
      expect([pid, shown.name, shown.parent]).toEqual([pid, m[3], parent]);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
    await p.screenshot({ path: artifact('process-tree.png') });
    expect(problems).toEqual([]);
    await p.close();
  });

  it('the filter box filters like replay and points at syntax errors', async () => {
    const trace = capture('curl_google.scap');
    const p = await serve(trace);
    const filter = 'proc.name=curl and evt.type in (connect, sendto, recvfrom)';
    await p.keyboard.press('s');
    await p.keyboard.type(filter);
    await p.keyboard.press('Enter');
    await p.waitForFunction(
      () =>
        document.querySelector('#status')?.getAttribute('data-busy') === 'false' &&
        location.hash.includes('filter'),
    );
    const want = lines(await scapkitOut(['replay', '-r', trace, filter]));
    expect(await shownEvents(p)).toBe(want.length);
    await p.keyboard.press('Escape'); // out of the filter box, where d is a letter
    await p.keyboard.press('d');
    await p.waitForSelector('#events .ev[data-num]');
    const shown = await p.$$eval('#events .ev[data-num]', (els) => els.map((e) => e.textContent));
    expect(shown).toEqual(want.slice(0, shown.length));
    await p.screenshot({ path: artifact('events-filtered.png') });

    const bad = 'proc.name=curl and (evt.type=open';
    await p.fill('#filter-input', bad);
    await p.press('#filter-input', 'Enter');
    const err = await p.waitForSelector('#filter-error');
    const r = await scapkit(['replay', '-r', trace, bad]);
    const pos = Number(/position (\d+)/.exec(r.stderr)![1]);
    expect(Number(await err.getAttribute('data-position'))).toBe(pos);
    expect(await p.textContent('#filter-error mark')).toBe(bad.slice(pos, pos + 1) || ' ');
    await p.screenshot({ path: artifact('filter-error.png') });
    expect(problems).toEqual([]);
    await p.close();
  });

  it('events: every field of the selected event, find, and a deep link that reopens them', async () => {
    const trace = capture('curl_google.scap');
    const p = await serve(trace);
    await openTab(p, 'events');
    await p.waitForSelector('#events .ev[data-num]');
    await p.keyboard.press('f');
    await p.keyboard.type('www.google.com');
    await p.keyboard.press('Enter');
    await p.waitForSelector('#events .ev.sel');
    const sel = await p.$eval('#events .ev.sel', (e) => ({
      num: Number(e.getAttribute('data-num')),
      line: e.textContent,
    }));
    expect(sel.line).toContain('www.google.com');
    const firstWith = lines(await scapkitOut(['replay', '-r', trace])).find((l) =>
      l.includes('www.google.com'),
    )!;
    expect(sel.line).toBe(firstWith);
    await p.waitForSelector('#detail [data-field="evt.num"]');
    const fields = await p.$$eval('#detail tr', (trs) =>
      Object.fromEntries(trs.map((tr) => [tr.getAttribute('data-field'), tr.children[1]!.textContent])),
    );
    // The panel shows values whole, as -j does (the default line cuts long ones).
    const names = [
      'evt.num',
      'evt.type',
      'proc.name',
      'proc.pid',
      'thread.tid',
      'evt.dir',
      'evt.args',
      'fd.name',
    ];
    const [golden] = lines(
      await scapkitOut([
        'replay',
        '-r',
        trace,
        '-j',
        '-p',
        names.map((n) => `*%${n}`).join(' '),
        `evt.num=${sel.num}`,
      ]),
    );
    const json = JSON.parse(golden!) as Record<string, unknown>;
    expect(names.map((n) => fields[n])).toEqual(
      names.map((n) => (json[n] === null ? undefined : String(json[n]))),
    );
    await p.screenshot({ path: artifact('events-detail.png') });

    const link = p.url();
    expect(link).toContain(`event=${sel.num}`);
    const q = await newPage();
    await q.goto(link);
    await q.waitForSelector('#events .ev.sel');
    expect(await q.$eval('#events .ev.sel', (e) => Number(e.getAttribute('data-num')))).toBe(sel.num);
    expect(problems).toEqual([]);
    await q.close();
    await p.close();
  });

  it('a brushed range narrows every view: its event count equals replay over that range', async () => {
    const trace = capture('sample.scap');
    const p = await serve(trace);
    const box = (await p.locator('#timeline .u-over').boundingBox())!;
    await p.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await p.mouse.down();
    await p.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2, { steps: 5 });
    await p.mouse.up();
    await p.waitForFunction(() => location.hash.includes('from='));
    const q = new URLSearchParams(new URL(p.url()).hash.slice(1));
    const [from, to] = [q.get('from')!, q.get('to')!];
    const n = await shownEvents(p);
    const want = lines(
      await scapkitOut(['replay', '-r', trace, `evt.rawtime>=${from} and evt.rawtime<=${to}`]),
    );
    expect(n).toBe(want.length);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(lines(await scapkitOut(['replay', '-r', trace])).length);
    const calls = Number(await p.getAttribute('[data-tile="syscalls"]', 'data-value'));
    const noSwitch = lines(
      await scapkitOut([
        'replay',
        '-r',
        trace,
        `evt.rawtime>=${from} and evt.rawtime<=${to} and evt.type!=switch`,
      ]),
    );
    expect(calls).toBe(noSwitch.length);
    await p.screenshot({ path: artifact('overview-range.png') });
    expect(problems).toEqual([]);
    await p.close();
  });

  it('opened from disk: a dropped scapkit trace shows what the served sysdig capture shows, and nothing goes out', async () => {
    const file = join(dir, 'curl_google.scapkit');
    await scapkitOut(['export', '-r', capture('curl_google.scap'), '-w', file, '--format', 'scapkit']);
    const p = await newPage();
    const requests: string[] = [];
    p.on('request', (r) => requests.push(r.url()));
    await p.goto(pathToFileURL(page).href);
    await p.setInputFiles('#file', file);
    await p.waitForSelector('#overview');
    const served = await serve(capture('curl_google.scap'));
    const tiles = (q: Page) =>
      q.$$eval('[data-tile]', (els) =>
        els.map((e) => [e.getAttribute('data-tile'), e.getAttribute('data-value')]),
      );
    expect(await tiles(p)).toEqual(await tiles(served));
    expect(await p.textContent('#trace-name')).toBe('curl_google.scapkit');
    // The same trace served: the server reads its chunks again through the index for the event lines.
    const indexed = await serve(file);
    expect(await tiles(indexed)).toEqual(await tiles(served));
    await openTab(indexed, 'events');
    await openTab(served, 'events');
    const lines = (q: Page) =>
      q.$$eval('#events .ev[data-num]', (els) => els.slice(0, 30).map((e) => e.textContent));
    await indexed.waitForSelector('#events .ev[data-num]');
    await served.waitForSelector('#events .ev[data-num]');
    expect(await lines(indexed)).toEqual(await lines(served));
    await indexed.close();
    expect(requests.filter((u) => !/^(file|blob|data):/.test(u))).toEqual([]);
    await p.click('#theme');
    await p.screenshot({ path: artifact('overview-dark-from-disk.png') });
    expect(problems).toEqual([]);
    await p.close();
    await served.close();
  });

  it('alerts are marked on the timeline and listed', async () => {
    const trace = capture('curl_google.scap');
    // Alerts in Falco's JSON form, one per connect curl made (times from replay's evt.rawtime).
    const times = lines(
      await scapkitOut(['replay', '-r', trace, '-p', '%evt.rawtime', 'evt.type=connect and evt.dir=<']),
    );
    const alerts = times.map((t) => ({
      ts: t,
      rule: 'Outbound connection',
      priority: 'Notice',
      output: `connect at ${t}`,
    }));
    const p = await serve(trace, alerts);
    await openTab(p, 'alerts');
    expect(await p.$$eval('#alerts tbody tr', (r) => r.length)).toBe(times.length);
    expect(await p.textContent('.alert-count')).toBe(`${times.length} alerts`);
    await p.screenshot({ path: artifact('alerts.png') });
    expect(problems).toEqual([]);
    await p.close();
  });

  it('trace strings reach the page as text, never as markup', async () => {
    const evil = '<img src=x onerror="document.title=\'pwned\'">';
    const file = join(dir, 'evil.scapkit');
    await writeFile(
      file,
      await rewrite(capture('cat_write.scap'), (md) => {
        const bash = md.threads.find((t) => t.tid === 11310)!;
        bash.comm = evil;
        bash.args = ['<script>document.title="pwned"</script>'];
      }),
    );
    const p = await serve(file);
    await openTab(p, 'tree');
    expect(await p.textContent('#tree li[data-pid="11310"] > .proc .pname')).toBe(evil);
    await openTab(p, 'processes');
    await openTab(p, 'events');
    await p.waitForSelector('#events .ev[data-num]');
    expect(await p.locator('img, script:not(:first-of-type)').count()).toBe(0);
    expect(await p.title()).toBe('scapkit view');
    expect(problems).toEqual([]);
    await p.close();
  });

  it('every input of the fuzz corpus leaves the page working, with a banner that names the offset', async () => {
    const corpus = join(repo, 'packages/scap-format/test/regressions');
    const golden = join(repo, 'packages/scap-format/test/golden');
    const inputs = [
      ...(await readdir(corpus)).filter((f) => /\.bin(\.gz)?$/.test(f)).map((f) => join(corpus, f)),
      ...['bad-crc', 'cut-in-chunk', 'major-2'].map((f) => join(golden, `${f}.scapkit`)),
    ];
    expect(inputs.length).toBeGreaterThan(10);
    const p = await newPage();
    for (const input of inputs) {
      let file = input;
      if (input.endsWith('.gz')) {
        file = join(dir, 'corpus.bin');
        await writeFile(file, gunzipSync(await readFile(input)));
      }
      const { offset, gzip } = await readerError(file);
      await p.goto(`${pathToFileURL(page).href}#`);
      await p.reload();
      await p.setInputFiles('#file', file);
      await p.waitForSelector('#overview');
      const banner = await p.$('#banner');
      if (offset === undefined) expect([input, banner]).toEqual([input, null]);
      else {
        expect([input, banner !== null]).toEqual([input, true]);
        const shown = Number(await banner!.getAttribute('data-offset'));
        if (gzip) {
          // A gzip stream that fails to inflate: the offset is in the inflated bytes, and how many of them
          // a decompressor hands out before it fails differs (Node's zlib those of the 16 KiB outputs it
          // finished, Chromium's DecompressionStream none of the piece that fails): no later than Node's.
          expect(await banner!.textContent()).toContain('bad gzip stream');
          expect([input, shown <= offset]).toEqual([input, true]);
        } else {
          expect([input, shown]).toEqual([input, offset]);
        }
        expect(await banner!.textContent()).toContain(`byte ${shown}`);
      }
      // Still working: another view renders.
      await openTab(p, 'events');
      await p.waitForSelector('#events');
    }
    expect(problems).toEqual([]);
    await p.close();
  });
});

/**
 * The offset of the error the reader ends in for `file` (undefined when it reads to the end), and whether
 * it is a gzip stream that fails to inflate: the reader the page runs (the pure-TypeScript codecs), fed from
 * Node.
 */
async function readerError(file: string): Promise<{ offset: number | undefined; gzip: boolean }> {
  try {
    for await (const _ of openCapture(fileByteSource(file))) {
      // read it all
    }
    return { offset: undefined, gzip: false };
  } catch (e) {
    const err = e as { offset?: number; message?: string };
    return { offset: err.offset ?? -1, gzip: /bad gzip stream/.test(err.message ?? '') };
  }
}

/** A capture rewritten as a scapkit trace through ScapkitWriter, its metadata edited first. */
async function rewrite(src: string, edit: (md: CaptureMetadata) => void): Promise<Uint8Array> {
  const sink = new MemorySink();
  const writer = new ScapkitWriter(sink, { recorderVersion: 'viewer test' }, { codec: bestLz4Codec() });
  for await (const rec of openCaptureFile(src)) {
    if (rec.kind === 'metadata') {
      edit(rec.metadata);
      await writer.writeMetadata(rec.metadata);
    } else if (rec.kind === 'events') await writer.writeBatch(rec.batch as EventBatch);
  }
  await writer.close();
  return sink.bytes();
}

async function sysdigOut(args: string[]): Promise<string> {
  const { execFileSync } = await import('node:child_process');
  return execFileSync('/usr/bin/sysdig', args, {
    env: { ...process.env, TZ: 'UTC' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

export { formatBytes };
