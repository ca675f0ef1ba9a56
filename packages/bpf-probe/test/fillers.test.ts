// Every filler against the event table: the `/* Parameter N: name (type: PT_X) */` comments of each BPF
// program (and of the helpers it delegates to) must list exactly the event's parameters, in order, with
// the table's names and types. Runs without root: it reads the sources, not the kernel.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENTS, PARAM_TYPE_NAMES } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';

const bpf = fileURLToPath(new URL('../src/bpf/', import.meta.url));
const read = (p: string) => readFileSync(join(bpf, p), 'utf8');

function* files(dir: string): Generator<string> {
  for (const e of readdirSync(join(bpf, dir))) {
    const p = join(dir, e);
    if (statSync(join(bpf, p)).isDirectory()) yield* files(p);
    else if (p.endsWith('.bpf.c')) yield p;
  }
}

// Event ids of the SCAPE_* names, from the generated header the programs compile against.
const ids = new Map<string, number>();
for (const m of read('scap_events.generated.h').matchAll(/^\t(SCAPE_\w+) = (\d+),/gm))
  ids.set(m[1]!, Number(m[2]));

/** The body of a static function in a helper header. */
function helperBody(header: string, fn: string): string {
  const src = read(`helpers/${header}`);
  const at = src.indexOf(` ${fn}(`);
  if (at < 0) throw new Error(`${fn} not in helpers/${header}`);
  return braced(src, at, fn);
}

/** The `{…}` block that follows `at` in `src` (without its closing brace). */
function braced(src: string, at: number, what: string): string {
  const open = src.indexOf('{', at);
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === '{') depth++;
    else if (src[i] === '}' && --depth === 0) return src.slice(open, i);
  }
  throw new Error(`${what}: unbalanced braces`);
}

const DELEGATES: Record<string, [string, string]> = {
  proc__store_clone_params: ['proc.h', 'proc__store_clone_params'],
  proc__store_execve_params: ['proc.h', 'proc__store_execve_params'],
  filler__store_accept_params: ['filler.h', 'filler__store_accept_params'],
  filler__store_pipe_params: ['filler.h', 'filler__store_pipe_params'],
  filler__store_vm_params: ['filler.h', 'filler__store_vm_params'],
  filler__store_sockopt_params: ['filler.h', 'filler__store_sockopt_params'],
};

interface Documented {
  name: string;
  type?: string;
}

function documentedParams(body: string): Map<number, Documented> {
  let text = body;
  for (const [call, [header, fn]] of Object.entries(DELEGATES)) {
    if (body.includes(`${call}(`)) text += helperBody(header, fn);
  }
  const params = new Map<number, Documented>();
  const add = (n: number, d: Documented) => {
    if (params.has(n)) throw new Error(`parameter ${n} documented twice`);
    params.set(n, d);
  };
  for (const m of text.matchAll(/Parameter (\d+): (\w+) \(type: PT_(\w+)\)/g))
    add(Number(m[1]), { name: m[2]!, type: m[3]! });
  for (const m of text.matchAll(/Parameters (\d+)-(\d+): ([^*]+)\*\//g)) {
    const names = m[3]!
      .replace(/\(PT_\w+\)/g, '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const first = Number(m[1]);
    expect(names.length).toBe(Number(m[2]) - first + 1);
    for (const [k, name] of names.entries()) add(first + k, { name });
  }
  return params;
}

/** A static function's text in `src`, or undefined. */
function localFunction(src: string, fn: string): string | undefined {
  const at = src.search(new RegExp(`static __always_inline \\w+ ${fn}\\(`));
  return at < 0 ? undefined : braced(src, at, fn);
}

const programs: { file: string; section: string; prog: string; event: string; body: string }[] = [];
for (const dir of ['programs/tail_called', 'programs/attached/events']) {
  for (const file of files(dir)) {
    let src = read(file);
    // An enter filler's two programs come from ENTER_PROGRAMS(name, nr) (helpers/enter.h): write them out
    // as the macro does, so that both are checked like any other program.
    src = src.replace(
      /^ENTER_PROGRAMS\((\w+), \d+\)$/m,
      (_, n) =>
        `SEC("tp_btf/sys_enter")\nint BPF_PROG(${n}_e, struct pt_regs *regs, long id)\n{ return ${n}_e_body(args, task); }\n` +
        `SEC("tracepoint/syscalls/sys_enter_${n}")\nint ${n}_e_tp(struct trace_event_raw_sys_enter *ctx)\n{ return ${n}_e_body(args, task); }\n`,
    );
    const parts = src.split(/SEC\("([^"]+)"\)\s*\n/).slice(1);
    for (let k = 0; k < parts.length; k += 2) {
      const section = parts[k]!;
      let body = parts[k + 1]!;
      const prog = /BPF_PROG\((\w+)/.exec(body)?.[1] ?? /^int (\w+)\(/.exec(body)?.[1] ?? '?';
      // An enter filler's programs (tp_btf and tracepoint) share one body function in the file.
      const shared = /return (\w+_body)\(/.exec(body)?.[1];
      if (shared) body = localFunction(src, shared) ?? body;
      // A filler written straight into the ring for several record sizes builds its event in a local
      // `<name>_fill` function, called once per size class.
      for (const fill of new Set([...body.matchAll(/\b(\w+_fill)\(/g)].map((m) => m[1]!)))
        body += localFunction(src, fill) ?? '';
      const event =
        /(?:filler__start(?:_tid|_current)?|direct__emit_\w+)\((SCAPE_\w+),|direct__reserve(?:_tid)?\([^;]*?, (SCAPE_\w+),/.exec(
          body,
        );
      if (!event) throw new Error(`${file} ${prog}: no filler__start(SCAPE_…)`);
      programs.push({ file, section, prog, event: (event[1] ?? event[2])!, body });
    }
  }
}
// The generic event is written by a helper, not a filler program: check the whole header.
programs.push({
  file: 'helpers/generic.h',
  section: '',
  prog: 'generic__emit',
  event: 'SCAPE_SYSCALL_X',
  body: read('helpers/generic.h'), // its parameters are documented on its struct
});

describe('fillers follow the event table', () => {
  it('finds the fillers', () => {
    expect(programs.length).toBeGreaterThan(50);
  });
  for (const { file, prog, event, body } of programs) {
    it(`${prog} (${file}) writes ${event} as the table lists it`, () => {
      const id = ids.get(event);
      expect(id, `${event} in scap_events.generated.h`).toBeDefined();
      const info = EVENTS[id!]!;
      const doc = documentedParams(body);
      const want = info.params.map((p, i) => `${i + 1}:${p.name}:${PARAM_TYPE_NAMES[p.type]}`);
      const got = [...doc.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([n, d]) => `${n}:${d.name}:${d.type ?? PARAM_TYPE_NAMES[info.params[n - 1]?.type ?? 0]}`);
      expect(got).toEqual(want);
      // The header's nparams comes from the generated count, not a literal.
      expect(body.includes(`${event}_NPARAMS`)).toBe(true);
    });
  }
});

describe('filler table', () => {
  it('installs every tail-called program, and only those', () => {
    const table = read('shared_definitions/filler_table.h');
    const listed = [...table.matchAll(/X\(__NR_\w+, (\w+)\)/g)].map((m) => m[1]!).sort();
    const tailCalled = programs
      .filter((p) => p.file.startsWith('programs/tail_called/') && p.section.startsWith('tp_btf/'))
      .map((p) => p.prog)
      .sort();
    expect(listed).toEqual(tailCalled);
  });
  it('ENTER_PROGRAMS makes the two programs the filler table and the loader name', () => {
    const macro = read('helpers/enter.h').split('#define ENTER_PROGRAMS(name, nr)')[1] ?? '';
    expect(macro).toMatch(/SEC\("tp_btf\/sys_enter"\)\s*\\\s*int BPF_PROG\(name##_e,/);
    expect(macro).toMatch(/SEC\("tracepoint\/syscalls\/sys_enter_" #name\)\s*\\\s*int name##_e_tp\(/);
    expect(macro).toMatch(/return name##_e_body\(args, bpf_get_current_task_btf\(\)\);/);
    expect(macro).toMatch(/enter__wanted_tp\(nr, task\)[\s\S]*return name##_e_body\(args, task\);/);
  });
  it("gives each enter filler its syscall's own tracepoint program too", () => {
    const table = read('shared_definitions/filler_table.h');
    const enter = table.slice(table.indexOf('PROBE_ENTER_FILLERS'));
    for (const m of enter.matchAll(/X\(__NR_(\w+), (\w+)\)/g)) {
      const tp = programs.find((p) => p.section === `tracepoint/syscalls/sys_enter_${m[1]}`);
      expect(tp?.prog, m[1]).toBe(`${m[2]}_tp`);
    }
  });
});
