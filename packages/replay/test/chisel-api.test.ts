// The chisel API around the built-ins: listing and describing (-cl, -i), loading by name or module path,
// argument checking, a user-written chisel module run through the pipeline, and a chisel combined with the
// user's filter; results are checked against sysdig 0.29.3 and its reference chisel list.
import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CaptureRecord, readSysdigCapture } from '@scapkit/scap-format';
import { describe, expect, test } from 'vitest';
import { CHISEL_SPECS } from '../src/chisels/builtins/tops.js';
import {
  ChiselError,
  createChiselRun,
  describeChisel,
  formatChiselList,
  isBuiltinChisel,
  listChisels,
  loadChisel,
  parseChiselCommandLine,
  runChisel,
  splitChiselArgs,
} from '../src/chisels/index.js';
import { UnknownFieldError } from '../src/fields/types.js';
import { importChiselModule } from '../src/node/index.js';
import { compareTables, HAVE_SYSDIG, runOn, sysdigLines } from './chisel-support.js';
import { CAPTURES } from './support/replay-capture.js';

/** name → one-line description, from sysdig's `-cl` output (reference/sysdig_chisels_list.txt). */
function sysdigList(): Map<string, string> {
  const text = readFileSync('/work/shared/reference/sysdig_chisels_list.txt', 'utf8');
  const out = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split('\n')) {
    if (/^(Category:|-+$|Use the -i)/.test(line) || line.trim() === '') {
      last = undefined;
      continue;
    }
    if (line.startsWith(' '.repeat(16)) && last !== undefined) {
      // sysdig wraps long descriptions at a fixed width, mid-word.
      out.set(last, out.get(last)! + line.slice(16));
      continue;
    }
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    last = m[1]!;
    out.set(last, m[2]!);
  }
  return out;
}

const BUILTINS = [
  'topscalls',
  'topscalls_time',
  'topfiles_bytes',
  'topfiles_time',
  'topprocs_net',
  'topprocs_file',
  'topprocs_cpu',
  'topconns',
  'fdbytes_by',
  'fdcount_by',
  'iobytes',
  'iobytes_file',
  'iobytes_net',
  'echo_fds',
  'spy_file',
  'spy_users',
  'lscontainers',
  'ps',
  'lsof',
  'netstat',
  'proctree',
];

describe('listing and describing', () => {
  test('every built-in is listed once, with sysdig’s one-line description where sysdig has the chisel', () => {
    const list = listChisels();
    expect(list.map((c) => c.name).sort()).toEqual([...BUILTINS].sort());
    const ref = sysdigList();
    for (const c of list) {
      if (c.name === 'proctree') continue; // scapkit's own
      expect(ref.get(c.name), c.name).toBe(c.description);
    }
  });

  test('-cl text groups by category like sysdig', () => {
    const lines = formatChiselList();
    expect(lines).toContain('Category: Net');
    expect(lines).toContain('topconns        Top network connections by total bytes');
    const i = lines.indexOf('topfiles_bytes  Top files by R+W bytes');
    expect(i).toBeGreaterThan(0);
  });

  test('-i describes the arguments', async () => {
    const d = await describeChisel('fdbytes_by');
    expect(d.join('\n')).toContain('key');
    expect(d.join('\n')).toContain('The filter field used for grouping');
    expect((await describeChisel('topscalls')).join('\n')).toContain('Args: (None)');
  });
});

describe('loading', () => {
  test('unknown names, missing and extra arguments are ChiselErrors', async () => {
    await expect(loadChisel('no_such_chisel', [])).rejects.toThrow(ChiselError);
    await expect(loadChisel('fdbytes_by', [])).rejects.toThrow(/missing argument 'key'/);
    await expect(loadChisel('topscalls', ['x'])).rejects.toThrow(/takes 0 argument/);
    await expect(loadChisel('spy_users', ['deep'])).rejects.toThrow(/max_depth must be a number/);
  });

  test('the words after -c NAME split into chisel arguments and filter as sysdig splits them', async () => {
    const parse = async (name: string, words: string[]) => {
      const r = await parseChiselCommandLine(name, words);
      return { args: r.chisel.args.length, filter: r.filter, chiselFilter: r.chisel.filter };
    };
    // A required argument always takes the next word.
    expect((await parse('fdbytes_by', ['proc.name', 'evt.type=read'])).filter).toBe('evt.type=read');
    // No arguments: everything is the filter.
    expect((await parse('topscalls', ['proc.name=curl', 'and', 'evt.dir=<'])).filter).toBe(
      'proc.name=curl and evt.dir=<',
    );
    // Only optional arguments: the word is the filter when the rest of the line is a valid one…
    expect((await parse('spy_file', ['proc.name=cat'])).filter).toBe('proc.name=cat');
    // …and the chisel's otherwise.
    const w = await parse('spy_file', ['W', 'proc.name=cat']);
    expect(w.filter).toBe('proc.name=cat');
    expect(w.chiselFilter).toContain('evt.is_io_write=true');
    // A single filter argument (lsof) always takes the word.
    const l = await parse('lsof', ['proc.name=sshd']);
    expect(l.filter).toBeUndefined();
    expect(splitChiselArgs("'# Calls' evt.count `a b`")).toEqual(['# Calls', 'evt.count', 'a b']);
  });

  test('a field the registry does not know fails at load time', async () => {
    await expect(loadChisel('fdbytes_by', ['no.such_field'])).rejects.toThrow(UnknownFieldError);
  });

  test('a module that exports no chisel, or a missing file, is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-chisel-'));
    writeFileSync(join(dir, 'bad.mjs'), 'export default { hello: 1 };\n');
    const importModule = importChiselModule;
    await expect(loadChisel(join(dir, 'bad.mjs'), [], { importModule })).rejects.toThrow(
      /does not default-export a chisel/,
    );
    await expect(loadChisel(join(dir, 'missing.mjs'), [], { importModule })).rejects.toThrow(ChiselError);
  });

  test('a module by path without an importer (the browser entry alone) is a ChiselError that says what loads one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-chisel-'));
    writeFileSync(
      join(dir, 'ok.mjs'),
      "export default { description: 'x', create: () => ({ onEvent() {}, onEnd() {} }) };\n",
    );
    await expect(loadChisel(join(dir, 'ok.mjs'), [])).rejects.toThrow(
      /importChiselModule from @scapkit\/replay\/node/,
    );
    await expect(describeChisel(join(dir, 'ok.mjs'))).rejects.toThrow(ChiselError);
    expect((await describeChisel(join(dir, 'ok.mjs'), { importModule: importChiselModule }))[0]).toBe(
      '-- ok',
    );
  });

  test.skipIf(!HAVE_SYSDIG)('a user module (-c ./my-chisel.mjs) runs like a built-in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scapkit-chisel-'));
    const file = join(dir, 'opens-by-proc.mjs');
    // A plain ES module: no import of scapkit needed, fields come through env.
    writeFileSync(
      file,
      `export default {
  description: 'successful opens per process',
  args: [{ name: 'min', description: 'least count shown', optional: true }],
  create(args, env) {
    const name = env.field('proc.name');
    const counts = new Map();
    return {
      filter: 'evt.type=open and evt.dir=< and evt.failed=false',
      onEvent(ctx) {
        const n = name.get(ctx);
        counts.set(n, (counts.get(n) ?? 0) + 1);
      },
      onEnd(out) {
        for (const [n, c] of counts) if (c >= Number(args.min ?? 0)) out(n + ' ' + c);
      },
    };
  },
};
`,
    );
    const chisel = await loadChisel(file, ['1'], { importModule: importChiselModule });
    expect(chisel.name).toBe('opens-by-proc');
    const out: string[] = [];
    await runChisel(chisel, readSysdigCapture(createReadStream(`${CAPTURES}/curl_google.scap`)), {
      write: (l) => out.push(l),
    });
    // sysdig's own count of the same events.
    const names = sysdigLines('curl_google', '', [], undefined, [
      '-p',
      '%proc.name',
      'evt.type=open and evt.dir=< and evt.failed=false',
    ]);
    const expected = new Map<string, number>();
    for (const n of names) expected.set(n, (expected.get(n) ?? 0) + 1);
    expect(out.sort()).toEqual([...expected].map(([n, c]) => `${n} ${c}`).sort());
  });
});

test.skipIf(!HAVE_SYSDIG)(
  'a chisel sees only the events of the user filter (sysdig -c topscalls FILTER)',
  async () => {
    const filter = 'proc.name=curl';
    const ours = await runOn('curl_google', 'topscalls', [], filter);
    const theirs = sysdigLines('curl_google', 'topscalls', [], filter);
    const spec = CHISEL_SPECS.topscalls!;
    const full = sysdigLines(
      'curl_google',
      'table_generator',
      [
        spec.keys.join(','),
        spec.keyDescs.join(','),
        spec.value,
        spec.valueDesc,
        spec.filter ?? '',
        '0',
        spec.units,
      ],
      filter,
    );
    expect(theirs.length).toBeGreaterThan(10);
    expect(compareTables(ours, theirs, full)).toEqual([]);
  },
);

describe('isBuiltinChisel (the CLI lets readers reuse batch buffers for these only)', () => {
  test('a built-in name is one; a module path, even named like a built-in, and an unknown name are not', () => {
    expect(isBuiltinChisel('topfiles_bytes')).toBe(true);
    expect(isBuiltinChisel('spy_users')).toBe(true);
    expect(isBuiltinChisel('./topfiles_bytes.mjs')).toBe(false);
    expect(isBuiltinChisel('/tmp/topfiles_bytes')).toBe(false);
    expect(isBuiltinChisel('no_such_chisel')).toBe(false);
  });
});

describe('ChiselParts (a table chisel replayed in parts, the parts joined)', () => {
  test.each([
    ['topscalls', []],
    ['topfiles_bytes', []],
    ['topfiles_time', []],
    ['fdbytes_by', ['fd.name']],
  ])(
    '%s: the parts of three stretches of a capture, joined in order, print the whole report',
    async (name, args) => {
      // The capture's events cut into batches of 100: the parts are taken between batches.
      const records: CaptureRecord[] = [];
      for await (const rec of readSysdigCapture(createReadStream(`${CAPTURES}/curl_google.scap`))) {
        if (rec.kind !== 'events') {
          records.push(rec);
          continue;
        }
        const { data, offsets, count } = rec.batch;
        for (let i = 0; i < count; i += 100) {
          const n = Math.min(100, count - i);
          records.push({ kind: 'events', batch: { data, offsets: offsets.subarray(i, i + n), count: n } });
        }
      }
      const batches = records.filter((r) => r.kind === 'events').length;
      expect(batches).toBeGreaterThan(2);
      const whole: string[] = [];
      const one = createChiselRun(await loadChisel(name, args), { write: (l) => whole.push(l) });
      for (const rec of records) one.push(rec);
      one.end();
      expect(whole.length).toBeGreaterThan(3);
      // One run reads the capture and hands its sums over at two cuts and at the end; another joins them.
      const split = createChiselRun(await loadChisel(name, args), { write: () => {} });
      const joined: string[] = [];
      const join = createChiselRun(await loadChisel(name, args), { write: (l) => joined.push(l) });
      const cuts = new Set([Math.floor(batches / 3), Math.floor((2 * batches) / 3)]);
      let batch = 0;
      for (const rec of records) {
        if (rec.kind === 'events' && cuts.has(batch++)) join.parts?.add(split.parts?.take());
        split.push(rec);
      }
      join.parts?.add(split.parts?.take());
      join.end(split.span());
      expect(joined).toEqual(whole);
    },
  );

  test('a chisel that is no sum over events has none', async () => {
    const run = createChiselRun(await loadChisel('topprocs_cpu', []), { write: () => {} });
    expect(run.parts).toBeUndefined();
  });
});
