// Finding and binding chisels: built-in names, or a path to an ES module whose default export is a
// ChiselDefinition (`-c ./my-chisel.js`), imported by the `importModule` the caller passes (Node's is
// importChiselModule in @scapkit/replay/node: this entry stays free of node:* for browsers). loadChisel checks
// the arguments against the declared ones, resolves the chisel's fields and compiles its filter once, so a
// bad chisel fails before the first event.
import { createFieldRegistry, type FieldRegistry } from '../fields/registry.js';
import { type CompiledField, UnknownFieldError } from '../fields/types.js';
import { compileFilter } from '../filter/index.js';
import { compileFormat } from '../output/format.js';
import { BUILTIN_CHISELS } from './builtins/index.js';
import type { Chisel, ChiselArg, ChiselDefinition, ChiselEnv } from './types.js';

/** A chisel name or module that cannot be loaded, or arguments it does not accept (a usage error). */
export class ChiselError extends Error {
  override readonly name = 'ChiselError';
}

/** Resolves `proc.aname[2]`, `evt.rawarg.res`, `fd.name` as a filter would write them. */
export function resolveFieldName(registry: FieldRegistry, text: string): CompiledField {
  const [, field, arg = ''] = /^([A-Za-z0-9_.]+)\[([^\]]*)\]$/.exec(text) ?? [];
  if (field) return registry.resolve(field, arg);
  if (registry.has(text)) return registry.resolve(text);
  // The longest known prefix takes the rest as its argument (evt.arg.data → evt.arg + data).
  for (let dot = text.lastIndexOf('.'); dot > 0; dot = text.lastIndexOf('.', dot - 1)) {
    const name = text.slice(0, dot);
    if (registry.has(name) && registry.argKind(name) !== 'none')
      return registry.resolve(name, text.slice(dot + 1));
  }
  throw new UnknownFieldError(text);
}

const BY_NAME = new Map<string, ChiselDefinition>(BUILTIN_CHISELS.map((d) => [d.name, d]));

/** Whether `s` names a module file rather than a built-in chisel. */
function isPath(s: string): boolean {
  return s.includes('/') || s.includes('\\') || /\.(m?js|cjs|ts|mts)$/.test(s);
}

/**
 * Whether `nameOrPath` names a built-in chisel. Built-ins keep nothing of an event past their onEvent call
 * (byte values become text first), so a reader may decode later chunks into the buffers of batches they
 * saw; a chisel module may keep what it was handed.
 */
export function isBuiltinChisel(nameOrPath: string): boolean {
  return !isPath(nameOrPath) && BY_NAME.has(nameOrPath);
}

/** Whether a module's default export is a chisel: what an `importModule` checks before returning it. */
export function isChiselDefinition(x: unknown): x is ChiselDefinition {
  if (typeof x !== 'object' || x === null) return false;
  const d = x as Record<string, unknown>;
  return typeof d.create === 'function' && typeof d.description === 'string';
}

/** Imports the chisel module at a path (as the user typed it) and returns its definition. */
export type ChiselModuleImporter = (path: string) => Promise<ChiselDefinition>;

async function findDefinition(
  nameOrPath: string,
  importModule: ChiselModuleImporter | undefined,
): Promise<ChiselDefinition> {
  if (!isPath(nameOrPath)) {
    const d = BY_NAME.get(nameOrPath);
    if (!d) throw new ChiselError(`unknown chisel '${nameOrPath}' (scapkit replay -cl lists them)`);
    return d;
  }
  if (!importModule) {
    throw new ChiselError(
      `cannot load chisel module ${nameOrPath}: loading one by path needs Node (pass importModule: importChiselModule from @scapkit/replay/node)`,
    );
  }
  return importModule(nameOrPath);
}

/** Binds positional `args` to the declared arguments; extra or missing ones are usage errors. */
function bindArgs(def: ChiselDefinition, args: readonly string[]): Record<string, string> {
  const decl = def.args ?? [];
  if (args.length > decl.length) {
    throw new ChiselError(`chisel ${def.name} takes ${decl.length} argument(s), ${args.length} given`);
  }
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [i, a] of decl.entries()) {
    const v = args[i];
    if (v === undefined) {
      if (!a.optional)
        throw new ChiselError(`chisel ${def.name}: missing argument '${a.name}' (${a.description})`);
      continue;
    }
    if (a.type === 'int' && !/^-?\d+$/.test(v))
      throw new ChiselError(`chisel ${def.name}: ${a.name} must be a number`);
    out[a.name] = v;
  }
  return out;
}

export interface LoadChiselOptions {
  /** The registry the chisel's fields and filter are resolved in (a new one by default). */
  registry?: FieldRegistry;
  /** Loads a chisel given by path; without it only built-in names load. In Node: `importChiselModule`. */
  importModule?: ChiselModuleImporter;
}

/** Loads a built-in chisel by name, or a user module by path, bound to `args` and ready to run. */
export async function loadChisel(
  nameOrPath: string,
  args: string[],
  opts: LoadChiselOptions = {},
): Promise<Chisel> {
  return bindChisel(
    await findDefinition(nameOrPath, opts.importModule),
    args,
    opts.registry ?? createFieldRegistry(),
  );
}

/** Checks the arguments, resolves the fields and compiles the filter of a definition. */
function bindChisel(def: ChiselDefinition, args: readonly string[], registry: FieldRegistry): Chisel {
  const values = bindArgs(def, args);
  const env: ChiselEnv = {
    field: (name) => resolveFieldName(registry, name),
    compileFilter: (text) => compileFilter(text, registry),
    format: (text) => {
      const f = compileFormat(text, registry);
      // Buffers in full: sysdig's chisel formatter is not cut at 80 characters like its -p lines.
      return (ctx) => {
        const prev = ctx.render.truncate;
        ctx.render.truncate = false;
        try {
          return f.line(ctx);
        } finally {
          ctx.render.truncate = prev;
        }
      };
    },
  };
  const h = def.create(values, env);
  const compiledFilter = h.filter ? compileFilter(h.filter, registry) : undefined;
  return {
    name: def.name,
    description: def.description,
    args: def.args ?? [],
    compiledFilter,
    ...(h.filter !== undefined ? { filter: h.filter } : {}),
    ...(h.intervalNs !== undefined ? { intervalNs: h.intervalNs } : {}),
    onEvent: h.onEvent.bind(h),
    ...(h.onInterval ? { onInterval: h.onInterval.bind(h) } : {}),
    onEnd: h.onEnd.bind(h),
    ...(h.parts ? { parts: h.parts } : {}),
  };
}

/**
 * Splits a chisel's argument word as sysdig's sinsp_chisel::set_args does: at spaces, a part in single
 * quotes or backquotes keeping its spaces (`'# Calls' evt.count`, `"'proc.name=sshd and fd.type=file'"`).
 */
export function splitChiselArgs(word: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|`([^`]*)`|(\S+)/g;
  for (let m = re.exec(word); m !== null; m = re.exec(word)) out.push(m[1] ?? m[2] ?? m[3] ?? m[0]);
  return out;
}

/**
 * The command line after `-c NAME`, read as sysdig reads it (sysdig.cpp parse_chisel_args): a chisel with
 * arguments takes the next word as its argument string, except that when all its arguments are optional
 * the word is left to the filter if it starts with '-' or if the rest of the line is a valid filter (a
 * chisel whose one argument is a filter, like lsof, always takes it). The other words are the filter.
 */
export async function parseChiselCommandLine(
  nameOrPath: string,
  words: readonly string[],
  opts: LoadChiselOptions = {},
): Promise<{ chisel: Chisel; filter: string | undefined }> {
  const def = await findDefinition(nameOrPath, opts.importModule);
  const decl = def.args ?? [];
  const registry = opts.registry ?? createFieldRegistry();
  const first = words[0];
  let take = false;
  if (decl.length > 0 && first !== undefined) {
    if (decl.some((a) => !a.optional)) take = true;
    else if (!first.startsWith('-')) {
      if (decl.length === 1 && decl[0]?.type === 'filter') take = true;
      else {
        try {
          compileFilter(words.join(' '), registry);
        } catch {
          take = true;
        }
      }
    }
  }
  const args = take && first !== undefined ? splitChiselArgs(first) : [];
  const rest = take ? words.slice(1) : words;
  const chisel = bindChisel(def, args, registry);
  return { chisel, filter: rest.length > 0 ? rest.join(' ') : undefined };
}

export interface ChiselSummary {
  name: string;
  description: string;
  category: string;
}

/** The built-in chisels, by category then name (for `-cl`). */
export function listChisels(): ChiselSummary[] {
  return BUILTIN_CHISELS.map((d) => ({
    name: d.name,
    description: d.description,
    category: d.category ?? 'Misc',
  })).sort((a, b) =>
    a.category === b.category ? (a.name < b.name ? -1 : 1) : a.category < b.category ? -1 : 1,
  );
}

/** `-cl` text in sysdig's layout: a block per category, the name padded to 16 columns. */
export function formatChiselList(list: readonly ChiselSummary[] = listChisels()): string[] {
  const out: string[] = [];
  let cat = '';
  for (const c of list) {
    if (c.category !== cat) {
      if (cat !== '') out.push('');
      cat = c.category;
      out.push(`Category: ${cat}`, '-'.repeat(`Category: ${cat}`.length));
    }
    if (c.name.length >= 16) out.push(c.name, `${' '.repeat(16)}${c.description}`);
    else out.push(`${c.name.padEnd(16)}${c.description}`);
  }
  return out;
}

/** `-i NAME` text: name, category, details and arguments; a path describes a user module. */
export async function describeChisel(
  nameOrPath: string,
  opts: Pick<LoadChiselOptions, 'importModule'> = {},
): Promise<string[]> {
  const d = await findDefinition(nameOrPath, opts.importModule);
  const out = [`-- ${d.name}${d.category ? ` (${d.category})` : ''}`, `-- ${d.details ?? d.description}`];
  const args: readonly ChiselArg[] = d.args ?? [];
  if (args.length === 0) out.push('-- Args: (None)');
  else {
    out.push('-- Args:');
    for (const a of args)
      out.push(`-- [${a.type ?? 'string'}] ${a.name}${a.optional ? ' (optional)' : ''} - ${a.description}`);
  }
  return out;
}
