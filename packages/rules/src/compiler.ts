// Stage 3 of loading (Falco's rule_loader_compiler): lists substituted into conditions as text, macros
// parsed and expanded on the tree (a macro sees the macros defined before it; a rule sees them all),
// exceptions appended, and each rule's condition and output compiled with replay's filter and format
// compilers against the field registry. What a rule's condition can match is computed here too (its
// event types), for the index. Errors carry the place in the file where the offending text was written.
import {
  type CompiledFilter,
  type CompiledFormat,
  compileFilterAst,
  compileFilterPredicate,
  compileFormat,
  type EvalContext,
  EventTypeSearchError,
  type EventTypeSet,
  eventTypeCount,
  type FieldRegistry,
  type FilterAst,
  FilterSyntaxError,
  filterEventTypes,
  foldForEventType,
  type LoweredFilter,
  LoweredKeys,
  lowerFilter,
  parseFilter,
  SharedSubfilters,
} from '@scapkit/replay';
import { EVENTS } from '@scapkit/scap-format';
import type { Collector, RuleInfo } from './collector.js';
import { applyExceptions } from './exceptions.js';
import { type CompiledList, compileLists, resolveList } from './lists.js';
import { type ParsedCondition, resolveMacros } from './macros.js';
import type { Priority } from './priority.js';
import { type Context, ITEM_TYPES, type LoadResult, RuleLoadError } from './result.js';
import { PositionSpace, type SourceFiles, SourceText } from './source.js';

/** A rule ready to run. */
export interface CompiledRule {
  /** Position in load order (the first definition's place). */
  readonly id: number;
  readonly name: string;
  readonly source: string;
  readonly description: string;
  readonly priority: Priority;
  readonly tags: ReadonlySet<string>;
  readonly capture: boolean;
  readonly captureDuration: number;
  /** The condition with its exceptions, after list substitution (macros are expanded in `filter`). */
  readonly condition: string;
  /**
   * Compiled with the sub-filters the rules of its load have in common (`shared`): call
   * `shared.nextEvent()` before each event (Ruleset.evaluate does).
   */
  /** The condition's tree, macros expanded (what `filter` was compiled from). */
  readonly ast: FilterAst;
  readonly filter: CompiledFilter;
  readonly shared: SharedSubfilters;
  /**
   * The condition for events of one type (what `filter.match` gives for them): checks the type decides
   * folded away (replay's foldFilterForEventType), `true`/`false` when it decides everything. Compiled
   * once per distinct folded condition, with `shared`.
   */
  forEventType(type: number): ((ctx: EvalContext) => boolean) | boolean;
  /** The same folded condition lowered for a code generator (program.ts), or `true`/`false`. */
  lowerForEventType(type: number): LoweredFilter | boolean;
  readonly output: string;
  readonly format: CompiledFormat;
  /** Event type ids the condition can match, as Falco's rule index has them (the async event included). */
  readonly eventTypes: ReadonlySet<number>;
  /** Fields the exceptions compare. */
  readonly exceptionFields: ReadonlySet<string>;
  /** Enabled by its definition (before tag, name and priority selection). */
  readonly enabled: boolean;
  /** Fields of the condition and output. */
  readonly fields: readonly string[];
  /** Fields of the condition (macros expanded): those that decide whether the rule can fire. */
  readonly conditionFields: readonly string[];
  /** Where the rule was defined. */
  readonly context: Context;
}

export interface CompileOutput {
  readonly rules: CompiledRule[];
  readonly lists: Map<string, CompiledList>;
  readonly macros: Map<string, ParsedCondition & { used: boolean }>;
}

/** Falco's messages for the errors a rule with skip-if-unknown-filter turns into a warning. */
function isUnknownTypeOrField(msg: string): boolean {
  return (
    msg.includes('nonexistent field') ||
    msg.includes('invalid formatting token') ||
    msg.includes('unknown event type') ||
    msg.includes('unknown filter:')
  );
}

/** Falco's `%container.info` (now empty: the container fields are named in outputs instead). */
const CONTAINER_INFO = '%container.info';

/** The id of the asynchronous-event event, which libs adds to every rule's set. */
const ASYNC_EVENT_ID = EVENTS.findIndex((e) => e.name === 'asyncevent');

/** Falco's event type search reads no resolved field (only evt.type and syscall.type, by name). */
const NO_FIELDS = () => undefined;

export class RuleCompiler {
  constructor(
    private readonly registry: FieldRegistry,
    private readonly files: SourceFiles,
  ) {}

  /** Compiles everything the collector holds; errors go into `result` (the first one stops). */
  compile(col: Collector, result: LoadResult): CompileOutput | undefined {
    try {
      const lists = compileLists(col);
      const macros = this.compileMacros(col, lists);
      const rules = this.compileRules(col, lists, macros, result);
      for (const [name, m] of macros) {
        if (!m.used) {
          const info = col.macros.get(name);
          if (info)
            result.addWarning(
              'LOAD_UNUSED_MACRO',
              'Macro not referred to by any other rule/macro',
              info.context,
            );
        }
      }
      for (const l of lists.values()) {
        if (!l.used)
          result.addWarning('LOAD_UNUSED_LIST', 'List not referred to by any other rule/macro', l.context);
      }
      return { rules, lists, macros };
    } catch (e) {
      if (e instanceof RuleLoadError) {
        result.addError(e.code, e.message, e.context);
        return undefined;
      }
      throw e;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Conditions

  /** The position in the files of an offset into a condition's space. */
  private at(ctx: Context, space: PositionSpace, pos: number): Context {
    const p = this.files.position(space.origin(pos));
    return p ? ctx.child(ITEM_TYPES.CONDITION_EXPRESSION, '', p) : ctx;
  }

  /** Lists substituted (every list, in definition order), then parsed. */
  private parse(condition: SourceText, lists: Map<string, CompiledList>, ctx: Context): ParsedCondition {
    let text = condition;
    for (const l of lists.values()) {
      const r = resolveList(text, l);
      if (r.used) {
        l.used = true;
        text = r.text;
      }
    }
    const space = new PositionSpace(text);
    try {
      return { ast: parseFilter(text.text), space };
    } catch (e) {
      if (e instanceof FilterSyntaxError) {
        throw new RuleLoadError('LOAD_ERR_COMPILE_CONDITION', e.reason, this.at(ctx, space, e.position));
      }
      throw e;
    }
  }

  private compileMacros(
    col: Collector,
    lists: Map<string, CompiledList>,
  ): Map<string, ParsedCondition & { used: boolean }> {
    const out = new Map<string, ParsedCondition & { used: boolean }>();
    for (const m of col.macros.values()) {
      out.set(m.name, { ...this.parse(m.condition, lists, m.conditionContext), used: false });
    }
    // Each macro's tree has the macros visible to it expanded (those defined before its last change).
    for (const m of col.macros.values()) {
      const entry = out.get(m.name)!;
      const r = resolveMacros(entry.ast, entry.space, (name) => {
        const info = col.macros.get(name);
        return info && info.index < m.visibility ? out.get(name) : undefined;
      });
      if (r.problem) {
        throw new RuleLoadError(
          'LOAD_ERR_VALIDATE',
          r.problem.message,
          this.at(m.context, entry.space, r.problem.pos),
        );
      }
      entry.ast = r.ast;
      for (const n of r.resolved) out.get(n)!.used = true;
    }
    return out;
  }

  private compileRules(
    col: Collector,
    lists: Map<string, CompiledList>,
    macros: Map<string, ParsedCondition & { used: boolean }>,
    result: LoadResult,
  ): CompiledRule[] {
    const out: CompiledRule[] = [];
    const shared = new SharedSubfilters();
    // The rules of one compile make the rulesets (lowered together, program.ts): one key table for them.
    const keys = new LoweredKeys();
    for (const r of col.rules.values()) {
      if (r.unknownSource) continue;
      const rule = this.compileRule(r, lists, macros, result, shared, keys);
      if (rule) out.push(rule);
    }
    return out;
  }

  private compileRule(
    r: RuleInfo,
    lists: Map<string, CompiledList>,
    macros: Map<string, ParsedCondition & { used: boolean }>,
    result: LoadResult,
    shared: SharedSubfilters,
    keys: LoweredKeys,
  ): CompiledRule | undefined {
    const skipUnknown = r.skipIfUnknownFilter || r.pluginMissing;
    let condition = r.condition;
    let exceptionFields = new Set<string>();
    if (r.exceptions.length > 0) {
      const ex = applyExceptions(condition, r.exceptions);
      condition = ex.condition;
      exceptionFields = ex.fields;
    }

    // The output first, as Falco does.
    let output = r.output.text;
    if (output.includes(CONTAINER_INFO)) {
      result.addWarning(
        'LOAD_DEPRECATED_ITEM',
        '%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. The container ' +
          'plugin will automatically add required fields to the output message.',
        r.context,
      );
      output = output.split(CONTAINER_INFO).join('');
    }
    let format: CompiledFormat;
    try {
      format = compileFormat(output.startsWith('*') ? output : `*${output}`, this.registry);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (isUnknownTypeOrField(msg) && skipUnknown) {
        result.addWarning('LOAD_UNKNOWN_FILTER', msg, r.outputContext);
        return undefined;
      }
      throw new RuleLoadError('LOAD_ERR_COMPILE_OUTPUT', msg, this.outputContext(r, output, e));
    }

    const parsed = this.parse(condition, lists, r.conditionContext);
    const resolved = resolveMacros(parsed.ast, parsed.space, (name) => macros.get(name));
    if (resolved.problem) {
      throw new RuleLoadError(
        'LOAD_ERR_VALIDATE',
        resolved.problem.message,
        this.at(r.context, parsed.space, resolved.problem.pos),
      );
    }
    for (const n of resolved.resolved) macros.get(n)!.used = true;
    const ast: FilterAst = resolved.ast;

    let filter: CompiledFilter;
    try {
      filter = compileFilterAst(ast, parsed.space.locate(0).text.text, this.registry, shared);
    } catch (e) {
      if (!(e instanceof FilterSyntaxError)) throw e;
      const msg =
        e.unknownField !== undefined
          ? `filter_check called with nonexistent field ${e.unknownField}`
          : e.reason;
      const ctx = this.at(r.conditionContext, parsed.space, e.position);
      if (isUnknownTypeOrField(msg) && skipUnknown) {
        result.addWarning('LOAD_UNKNOWN_FILTER', msg, ctx);
        return undefined;
      }
      throw new RuleLoadError('LOAD_ERR_COMPILE_CONDITION', msg, ctx);
    }

    let types: EventTypeSet;
    try {
      types = filterEventTypes(ast, NO_FIELDS, { falcoIndex: true });
    } catch (e) {
      if (!(e instanceof EventTypeSearchError)) throw e;
      throw new RuleLoadError(
        'LOAD_ERR_COMPILE_CONDITION',
        e.message,
        this.at(r.conditionContext, parsed.space, e.pos),
      );
    }
    // An empty set is a condition never true (the never_true idiom), not one without a restriction.
    if (eventTypeCount(types) > 100 && r.warnEvttypes) {
      result.addWarning(
        'LOAD_NO_EVTTYPE',
        'Rule matches too many evt.type values. This has a significant performance penalty.',
        r.context,
      );
    }
    const eventTypes = new Set<number>();
    for (let t = 0; t < types.length; t++) if (types[t]) eventTypes.add(t);
    // libs adds the asynchronous events to every rule's set.
    if (ASYNC_EVENT_ID >= 0) eventTypes.add(ASYNC_EVENT_ID);
    this.warnUnsafeNa(ast, r, parsed.space, result);

    const text = parsed.space.locate(0).text.text;
    const registry = this.registry;
    // One compiled (or lowered) condition per way the types fold it: types with the same fold signature
    // share it (open, openat and openat2 exits in most rules).
    const perFold = <T>(build: (folded: FilterAst) => T): ((type: number) => T | boolean) => {
      const built = new Map<string, T>();
      return (type) => {
        const { folded, signature } = foldForEventType(ast, text, registry, type);
        if (typeof folded === 'boolean') return folded;
        let b = built.get(signature);
        if (b === undefined) {
          b = build(folded);
          built.set(signature, b);
        }
        return b;
      };
    };
    const forEventType = perFold((folded) => compileFilterPredicate(folded, text, registry, shared));
    const lowerForEventType = perFold((folded) => lowerFilter(folded, text, registry, keys));

    return {
      id: r.index,
      name: r.name,
      source: r.source,
      description: r.desc,
      priority: r.priority,
      tags: r.tags,
      capture: r.capture,
      captureDuration: r.captureDuration,
      condition: text,
      ast,
      filter,
      shared,
      forEventType,
      lowerForEventType,
      output,
      format,
      eventTypes,
      exceptionFields,
      enabled: r.enabled,
      fields: [...new Set([...filter.fields, ...format.fields.map((f) => f.name)])],
      conditionFields: filter.fields,
      context: r.context,
    };
  }

  /** The output's context, at the token the format compiler refused when it can be found. */
  private outputContext(r: RuleInfo, output: string, e: unknown): Context {
    const m = e instanceof Error ? /'%([^']*)'/.exec(e.message) : null;
    const at = m ? r.output.text.indexOf(`%${m[1]}`) : -1;
    const p = at >= 0 && output === r.output.text ? this.files.position(r.output.originAt(at)) : undefined;
    return p ? r.outputContext.child(ITEM_TYPES.RULE_OUTPUT_EXPRESSION, '', p) : r.outputContext;
  }

  /**
   * Falco's filter_warning_resolver: comparing a field that may hold the text "<NA>" (k8s audit's `ka.*`
   * and `jevt.*`) with "<NA>" by equality is unsafe. No syscall field is among them.
   */
  private warnUnsafeNa(ast: FilterAst, r: RuleInfo, space: PositionSpace, result: LoadResult): void {
    let unsafe = false;
    const visit = (n: FilterAst): void => {
      if (n.kind === 'and' || n.kind === 'or') n.children.forEach(visit);
      else if (n.kind === 'not') visit(n.child);
      else if (n.kind === 'check' && n.left.kind === 'field' && /^(ka|jevt)\./.test(n.left.name)) {
        const eq = ['=', '==', '!=', 'in', 'intersects', 'pmatch'].includes(n.op);
        const r2 = n.right;
        if (eq && r2?.kind === 'value' && r2.value === '<NA>') unsafe = true;
        if (eq && r2?.kind === 'list' && r2.items.some((i) => i.value === '<NA>')) unsafe = true;
      }
    };
    visit(ast);
    if (unsafe) result.addWarning('LOAD_UNSAFE_NA_CHECK', '', this.at(r.conditionContext, space, 0));
  }
}

export { SourceText };
