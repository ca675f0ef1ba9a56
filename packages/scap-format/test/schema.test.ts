// The event schema has one source, schema/*.tsv (libs' event table): the generated TypeScript table and
// the probe's C header must be what the generator makes of it today, and the runtime table must say what
// the TSV says.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  EVENT_MAX,
  EVENTS,
  EVENTS_SYSDIG_0_29,
  PARAM_TYPE_NAMES,
  PRINT_FORMAT_NAMES,
  SYSCALL_NAMES,
} from '../src/index.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
// @ts-expect-error: a plain .mjs module without declarations
const gen = await import('../scripts/gen-schema.mjs');

describe('event schema', () => {
  const tsv = readFileSync(here('../schema/event_table.tsv'), 'utf8');

  it('generated files are up to date with the TSVs (run `pnpm --filter @scapkit/scap-format gen`)', () => {
    const head = gen.parseEventTable(tsv);
    const old = gen.parseEventTable(readFileSync(here('../schema/event_table_sysdig_0.29.3.tsv'), 'utf8'));
    const sc = gen.parseSyscallCodes(readFileSync(here('../schema/ppm_sc_codes.tsv'), 'utf8'));
    expect(readFileSync(here('../src/schema/event-table.generated.ts'), 'utf8')).toBe(
      gen.generateTs(head, old, sc),
    );
    const header = readFileSync(here('../../bpf-probe/src/bpf/scap_events.generated.h'), 'utf8');
    // The C header's event part is generated from the same rows (the generator may append more tables).
    for (const line of gen
      .generateC(head)
      .split('\n')
      .filter((l: string) => l.includes('= ') && l.includes('SCAPE_'))) {
      expect(header).toContain(line);
    }
  });

  it('the runtime table says what each TSV row says', () => {
    const rows = tsv.trim().split('\n');
    expect(EVENT_MAX).toBe(rows.length);
    for (const row of rows) {
      const [id, name, dir, cat, flags, n, params = ''] = row.split('\t');
      const e = EVENTS[Number(id)]!;
      expect(e.name).toBe(name);
      expect(e.dir).toBe(dir);
      expect(e.category).toBe(Number.parseInt(cat!, 16));
      expect(e.flags).toBe(Number.parseInt(flags!, 16));
      expect(e.params.length).toBe(Number(n));
      const ps = params ? params.split(', ') : [];
      ps.forEach((p, i) => {
        const [pn, t, f] = p.split(':');
        expect(e.params[i]!.name).toBe(pn);
        expect(PARAM_TYPE_NAMES[e.params[i]!.type]).toBe(t);
        expect(PRINT_FORMAT_NAMES[e.params[i]!.format]).toBe(f);
      });
    }
    expect(EVENTS_SYSDIG_0_29.length).toBe(336);
    expect(SYSCALL_NAMES[2]).toBe('exit');
  });

  it.skipIf(!existsSync(here('../../../../shared/reference')))(
    'the TSVs are the shared reference copies',
    () => {
      const ref = (f: string) => readFileSync(here(`../../../../shared/reference/${f}`), 'utf8');
      expect(tsv).toBe(ref('event_table_libs_HEAD.tsv'));
      expect(readFileSync(here('../schema/event_table_sysdig_0.29.3.tsv'), 'utf8')).toBe(
        ref('event_table_libs_e5c53d64_sysdig0.29.3.tsv'),
      );
      expect(readFileSync(here('../schema/ppm_sc_codes.tsv'), 'utf8')).toBe(
        ref('ppm_sc_codes_libs_HEAD.tsv'),
      );
    },
  );
});
