// Evaluation (Falco's evttype_index_ruleset): the enabled rules indexed by the event types their
// conditions can match, in load order. An event meets only the rules of its type: with `first` matching
// (Falco's default) the first of them that matches wins, with `all` every one that matches alerts.
import type { EvalContext, SharedSubfilters } from '@scapkit/replay';
import { EVENT_MAX, type EventView } from '@scapkit/scap-format';
import type { CompiledRule } from './compiler.js';
import type { Priority } from './priority.js';
import { generateTypeProgram, type ProgramRule, type TypeProgram } from './program.js';

export type RuleMatching = 'first' | 'all';

/** Which of the loaded rules run (Falco's -t/-T/-D, `priority` and the rules' own `enabled`). */
export interface RuleSelection {
  /** Only rules with one of these tags run (`-t`); untagged rules then do not run. */
  tags?: readonly string[];
  /** Rules with one of these tags do not run (`-T`). */
  disabledTags?: readonly string[];
  /** Rules with these names do not run (`-D`); `*` matches any text (Falco's rules selection). */
  disabledRules?: readonly string[];
  /** Rules less severe than this do not run (they still load). Debug (7) by default: all. */
  minPriority?: Priority;
}

export class Ruleset {
  /** The rules that run, in load order. */
  readonly enabled: readonly CompiledRule[];
  /**
   * Per event type, the enabled rules that can match it, each with its condition specialised for that
   * type (CompiledRule.forEventType; rules the type rules out are left out).
   */
  private readonly byType: TypedRule[][];
  /** Per event type, 1 when some enabled rule can match it (the cheap test before any work). */
  readonly interesting: Uint8Array;
  private readonly matches: CompiledRule[] = [];
  /** Per event type, its rules as one generated function (undefined: use byType's closures). */
  private readonly programs: (TypeProgram | undefined)[];
  /** The shared sub-filter results of the rules' loads (one, unless rules of several engines mix). */
  private readonly shared: readonly SharedSubfilters[];

  constructor(
    rules: readonly CompiledRule[],
    selection: RuleSelection = {},
    readonly matching: RuleMatching = 'first',
  ) {
    const min = selection.minPriority ?? 7;
    const tags = selection.tags ? new Set(selection.tags) : undefined;
    const offTags = new Set(selection.disabledTags ?? []);
    const offRules = (selection.disabledRules ?? []).map(wildcard);
    this.enabled = [...rules]
      .sort((a, b) => a.id - b.id)
      .filter(
        (r) =>
          r.enabled &&
          r.priority <= min &&
          !offRules.some((m) => m(r.name)) &&
          (!tags || [...r.tags].some((t) => tags.has(t))) &&
          ![...r.tags].some((t) => offTags.has(t)),
      );
    this.shared = [...new Set(this.enabled.map((r) => r.shared))];
    // Per event type, its rules in load order; interesting as Falco's index has it (the pipeline and the
    // unanswered-field report see the same events), even where the type rules every condition out.
    const rulesOf: CompiledRule[][] = Array.from({ length: EVENT_MAX }, () => []);
    this.interesting = new Uint8Array(EVENT_MAX);
    for (const r of this.enabled) {
      for (const t of r.eventTypes) {
        rulesOf[t]?.push(r);
        if (t < EVENT_MAX) this.interesting[t] = 1;
      }
    }
    // One generated function per event type (program.ts), each condition folded for the type; where code
    // cannot be generated, the folded conditions as closures.
    this.programs = new Array(EVENT_MAX).fill(undefined);
    this.byType = Array.from({ length: EVENT_MAX }, () => []);
    rulesOf.forEach((rules, t) => {
      if (rules.length === 0) return;
      const program: ProgramRule[] = [];
      for (const rule of rules) {
        const condition = rule.lowerForEventType(t);
        if (condition !== false) program.push({ rule, condition });
      }
      const generated = generateTypeProgram(program);
      if (generated !== undefined) {
        this.programs[t] = generated;
        return;
      }
      for (const { rule } of program) {
        const match = rule.forEventType(t);
        if (match !== false) this.byType[t]?.push({ rule, match: match === true ? always : match });
      }
    });
  }

  /** What the last call of `evaluate` returned (the same reused array). */
  get lastMatches(): readonly CompiledRule[] {
    return this.matches;
  }

  /** Event type ids some enabled rule can match. */
  eventTypes(): number[] {
    const out: number[] = [];
    for (let t = 0; t < EVENT_MAX; t++) if (this.interesting[t]) out.push(t);
    return out;
  }

  /**
   * The rules the current event matches: none, the first one (`first`), or every one (`all`). The array
   * is reused from event to event.
   */
  evaluate(ctx: EvalContext & { readonly view: EventView }): readonly CompiledRule[] {
    const m = this.matches;
    if (m.length !== 0) m.length = 0;
    const t = ctx.view.type;
    if (t >= EVENT_MAX || this.interesting[t] === 0) return m;
    const program = this.programs[t];
    if (program !== undefined) {
      program(ctx, m, this.matching === 'first');
      return m;
    }
    for (const s of this.shared) s.nextEvent();
    const list = this.byType[t];
    if (list === undefined) return m;
    for (const r of list) {
      if (r.match(ctx)) {
        m.push(r.rule);
        if (this.matching === 'first') break;
      }
    }
    return m;
  }
}

/** A rule with its condition for one event type. */
interface TypedRule {
  readonly rule: CompiledRule;
  readonly match: (ctx: EvalContext) => boolean;
}

const always = (): boolean => true;

/** Falco's matches_wildcard: `*` stands for any text, everything else for itself. */
function wildcard(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (name) => name === pattern;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'))
      .join('.*')}$`,
    's',
  );
  return (name) => re.test(name);
}
