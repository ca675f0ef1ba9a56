// The rules engine: rules files loaded in order into one collector (a later file appends to, overrides or
// disables what an earlier one defined, as Falco loads several -r files), everything compiled again after
// each file, and the compiled rules handed out as a Ruleset for a selection (tags, names, priority).
import { compileFilter, createFieldRegistry, type FieldRegistry } from '@scapkit/replay';
import { unansweredFields } from './availability.js';
import { Collector } from './collector.js';
import { type CompiledRule, type CompileOutput, RuleCompiler } from './compiler.js';
import { type ReadTarget, readRules } from './reader.js';
import { type Context, LoadResult } from './result.js';
import { type RuleMatching, type RuleSelection, Ruleset } from './ruleset.js';
import { SourceFiles } from './source.js';
import { BUILTIN_PLUGINS, ENGINE_VERSION, parseVersion, versionCompatible } from './version.js';

/** Event sources scapkit evaluates: system calls (Falco's `syscall`). */
export const SOURCES: readonly string[] = ['syscall'];

export interface RulesEngineOptions {
  /** The registry conditions and outputs compile against (a new one by default). */
  registry?: FieldRegistry;
}

export class RulesEngine {
  readonly registry: FieldRegistry;
  private readonly files = new SourceFiles();
  private readonly collector: Collector;
  private readonly compiler: RuleCompiler;
  private readonly contents = new Map<string, string>();
  private output: CompileOutput | undefined;

  constructor(opts: RulesEngineOptions = {}) {
    this.registry = opts.registry ?? createFieldRegistry();
    this.collector = new Collector(
      ENGINE_VERSION,
      (s) => SOURCES.includes(s),
      (f) => this.isField(f),
    );
    this.compiler = new RuleCompiler(this.registry, this.files);
  }

  /**
   * Loads one rules file (its text and the name errors will give it). The result says whether it loaded
   * and lists Falco's errors and warnings. After an error the rules of the files loaded before stay as
   * they were compiled.
   */
  loadRules(content: string, name: string, sizeBytes?: number): LoadResult {
    const result = new LoadResult(name);
    this.contents.set(name, content);
    const target: ReadTarget = {
      files: this.files,
      collector: this.collector,
      result,
      hasPlugin: pluginAvailable,
    };
    if (!readRules(name, content, target, sizeBytes)) return result;
    const out = this.compiler.compile(this.collector, result);
    if (out && result.successful) {
      this.output = out;
      // A rule of this file that tests a field no trace answers would never fire: say so now.
      for (const p of unansweredFields(out.rules, this.registry)) {
        if (p.rule.context.locations[0]?.position.name !== name) continue;
        result.addWarning(
          'LOAD_COMPILE_CONDITION',
          `field '${p.field}' cannot be answered: ${p.reason}`,
          p.rule.context,
        );
      }
    }
    return result;
  }

  /** The compiled rules of the last successful load, in load order (disabled ones included). */
  get rules(): readonly CompiledRule[] {
    return this.output?.rules ?? [];
  }

  /** The rules that run for `selection`, indexed by event type. */
  ruleset(selection: RuleSelection = {}, matching: RuleMatching = 'first'): Ruleset {
    return new Ruleset(this.rules, selection, matching);
  }

  /** Falco's snippet: the line of the innermost location, and a caret under its column. */
  snippet(ctx: Context): string {
    const p = ctx.last.position;
    const text = this.contents.get(p.name);
    if (text === undefined) return `<No context for file + ${p.name}>\n`;
    if (text === '') return '<No context available>\n';
    let start = p.offset;
    while (start > 0 && text[start - 1] !== '\n' && p.offset - start < 80) start--;
    let end = p.offset;
    while (end < text.length && text[end] !== '\n' && end - p.offset < 80) end++;
    const line = text.slice(start, end);
    if (line === '') return '<No context available>\n';
    return `${line}\n${' '.repeat(p.offset - start)}^\n`;
  }

  private isField(field: string): boolean {
    try {
      compileFilter(`${field} exists`, this.registry);
      return true;
    } catch {
      return false;
    }
  }
}

/** Whether scapkit provides plugin `name` at a version compatible with `version` (undefined: yes). */
function pluginAvailable(name: string, version: string): string | undefined {
  const p = BUILTIN_PLUGINS.find((b) => b.name === name);
  if (!p) return '';
  const want = parseVersion(version);
  const have = parseVersion(p.version);
  if (want && have && versionCompatible(have, want)) return undefined;
  return `Plugin '${p.name}' version '${p.version}' is not compatible with required plugin version '${version}'`;
}
