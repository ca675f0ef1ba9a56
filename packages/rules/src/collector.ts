// Stage 2 of loading (Falco's rule_loader_collector): the definitions the reader found, merged in load
// order across every file loaded into one engine. A second definition of a name replaces the first but
// keeps its place; `append: true` and `override: {key: append|replace}` change an earlier item; an item
// with only `enabled` switches an earlier rule. Each item remembers when it was last touched
// (`visibility`), which decides what a macro or list may refer to.
import { operatorInfo } from '@scapkit/replay';
import type { Priority } from './priority.js';
import { type Context, RuleLoadError } from './result.js';
import type { SourceText } from './source.js';
import { compareVersions, type EngineVersion, versionCompatible } from './version.js';

export interface ListInfo {
  context: Context;
  index: number;
  visibility: number;
  name: string;
  /** Each item with the global offset where it was written. */
  items: { value: string; origin: number }[];
}

export interface MacroInfo {
  context: Context;
  /** Where the condition was written. */
  conditionContext: Context;
  index: number;
  visibility: number;
  name: string;
  condition: SourceText;
}

/** A field, comparison or value of an exception: one string, or a list of them. */
export type ExceptionEntry =
  | { list: false; item: string; origin: number }
  | { list: true; items: ExceptionEntry[]; origin: number };

export interface ExceptionInfo {
  context: Context;
  name: string;
  fields?: ExceptionEntry;
  comps?: ExceptionEntry;
  values: ExceptionEntry[];
}

export interface RuleInfo {
  context: Context;
  conditionContext: Context;
  outputContext: Context;
  index: number;
  visibility: number;
  unknownSource: boolean;
  name: string;
  condition: SourceText;
  source: string;
  desc: string;
  output: SourceText;
  tags: Set<string>;
  exceptions: ExceptionInfo[];
  priority: Priority;
  capture: boolean;
  captureDuration: number;
  enabled: boolean;
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  /** The file declared a plugin scapkit does not provide: unknown fields skip the rule with a warning. */
  pluginMissing: boolean;
}

/** An `append`/`override` of an earlier rule: only what was given. */
export interface RuleUpdateInfo {
  context: Context;
  name: string;
  source: string;
  condition?: SourceText;
  output?: SourceText;
  desc?: string;
  tags?: Set<string>;
  exceptions?: ExceptionInfo[];
  priority?: Priority;
  capture?: boolean;
  captureDuration?: number;
  enabled?: boolean;
  warnEvttypes?: boolean;
  skipIfUnknownFilter?: boolean;
}

export interface PluginRequirement {
  name: string;
  version: string;
}

/** Where `override` is refused or unknown, and the other messages Falco words this way. */
export const MESSAGES = {
  NO_PREVIOUS_MACRO:
    "Macro uses 'append' or 'override.condition: append' but no macro by that name already exists",
  NO_PREVIOUS_LIST: "List uses 'append' or 'override.items: append' but no list by that name already exists",
  NO_PREVIOUS_RULE_APPEND:
    "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists",
  NO_PREVIOUS_RULE_REPLACE:
    "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists",
} as const;

function fail(message: string, context: Context): never {
  throw new RuleLoadError('LOAD_ERR_VALIDATE', message, context);
}

/** Whether `op` is an operator a comparison can use, or a string operator with a modifier (`startswith oneof`). */
export function isComparisonOperator(op: string): boolean {
  if (operatorInfo(op) !== undefined) return true;
  return isOperatorWithModifier(op);
}

/** `startswith oneof` and the like: a string operator, blanks, a modifier. */
export function isOperatorWithModifier(op: string): boolean {
  const m = /^(\S+)\s+(oneof|anyof|allof)$/.exec(op);
  const base = m?.[1];
  return base !== undefined && operatorInfo(base)?.grammar === 'string';
}

export class Collector {
  readonly lists = new Map<string, ListInfo>();
  readonly macros = new Map<string, MacroInfo>();
  readonly rules = new Map<string, RuleInfo>();
  readonly requiredPlugins: PluginRequirement[][] = [];
  requiredEngineVersion: EngineVersion | undefined;
  private nextIndex = 0;

  constructor(
    /** The engine version this loader implements. */
    private readonly engineVersion: EngineVersion,
    /** Whether a source (syscall, …) is one the engine evaluates. */
    private readonly knownSource: (source: string) => boolean,
    /** Whether a field name is one conditions can use (exceptions are checked against it). */
    private readonly validField: (field: string) => boolean,
  ) {}

  defineEngineVersion(version: EngineVersion, context: Context): void {
    if (!versionCompatible(this.engineVersion, version)) {
      fail(
        `Rules require engine version ${version.join('.')}, but engine version is ${this.engineVersion.join('.')}`,
        context,
      );
    }
    if (!this.requiredEngineVersion || compareVersions(this.requiredEngineVersion, version) < 0) {
      this.requiredEngineVersion = version;
    }
  }

  definePluginVersions(alternatives: PluginRequirement[], context: Context): void {
    const seen = new Set<string>();
    for (const r of alternatives) {
      if (!/^\s*\d+\.\d+\.\d+/.test(r.version)) {
        fail(`Invalid required version '${r.version}' for plugin '${r.name}'`, context);
      }
      if (seen.has(r.name))
        fail(`Defined multiple alternative version requirements for plugin '${r.name}'`, context);
      seen.add(r.name);
    }
    this.requiredPlugins.push(alternatives);
  }

  defineList(info: ListInfo): void {
    this.define(this.lists, info);
  }

  appendList(info: ListInfo): void {
    const prev = this.lists.get(info.name) ?? fail(MESSAGES.NO_PREVIOUS_LIST, info.context);
    prev.items.push(...info.items);
    prev.visibility = this.nextIndex++;
  }

  defineMacro(info: MacroInfo): void {
    this.define(this.macros, info);
  }

  appendMacro(info: MacroInfo, space: (a: SourceText, b: SourceText) => SourceText): void {
    const prev = this.macros.get(info.name) ?? fail(MESSAGES.NO_PREVIOUS_MACRO, info.context);
    prev.condition = space(prev.condition, info.condition);
    prev.visibility = this.nextIndex++;
  }

  defineRule(info: RuleInfo, onUnknownSource: (info: RuleInfo) => void): void {
    this.findPrevRule(info.name, info.source, info.context);
    if (!this.knownSource(info.source)) {
      info.unknownSource = true;
      onUnknownSource(info);
    }
    for (const ex of info.exceptions) {
      if (!isValidEntry(ex.fields)) {
        fail('Rule exception item must have fields property with a list of fields', ex.context);
      }
      this.validateException(ex, !info.unknownSource);
    }
    this.define(this.rules, info);
  }

  /** `append: true` or `override: {key: append}`: text joined with a blank, tags and exceptions added. */
  appendRule(info: RuleUpdateInfo, join: (a: SourceText, b: SourceText) => SourceText): void {
    const prev = this.findPrevRule(info.name, info.source, info.context);
    if (!prev) fail(MESSAGES.NO_PREVIOUS_RULE_APPEND, info.context);
    if (!hasAnyValue(info)) fail('Appended rule must have exceptions or condition property', info.context);
    if (!prev.unknownSource && !this.knownSource(prev.source))
      fail(`Unknown source ${prev.source}`, info.context);
    if (info.condition !== undefined && info.condition.text !== '') {
      prev.condition = join(prev.condition, info.condition);
    }
    if (info.output !== undefined && info.output.text !== '') prev.output = join(prev.output, info.output);
    if (info.desc !== undefined && info.desc !== '') prev.desc += ` ${info.desc}`;
    if (info.tags) for (const t of info.tags) prev.tags.add(t);
    for (const ex of info.exceptions ?? []) {
      const existing = prev.exceptions.find((e) => e.name === ex.name);
      if (!existing) {
        if (!isValidEntry(ex.fields)) {
          fail('Rule exception must have fields property with a list of fields', ex.context);
        }
        if (ex.values.length === 0) {
          fail('Rule exception must have values property with a list of values', ex.context);
        }
        this.validateException(ex, !prev.unknownSource);
        prev.exceptions.push(ex);
      } else {
        if (isValidEntry(ex.fields)) {
          fail('Can not append exception fields to existing exception, only values', ex.context);
        }
        if (isValidEntry(ex.comps)) {
          fail('Can not append exception comps to existing exception, only values', ex.context);
        }
        existing.values.push(...ex.values);
      }
    }
    prev.visibility = this.nextIndex++;
  }

  /** `override: {key: replace}`: the given keys replace the earlier rule's. */
  replaceRule(info: RuleUpdateInfo): void {
    const prev = this.findPrevRule(info.name, info.source, info.context);
    if (!prev) fail(MESSAGES.NO_PREVIOUS_RULE_REPLACE, info.context);
    if (!hasAnyValue(info)) fail('The rule must have at least one field that can be replaced', info.context);
    if (!prev.unknownSource && !this.knownSource(prev.source))
      fail(`Unknown source ${prev.source}`, info.context);
    if (info.condition !== undefined) prev.condition = info.condition;
    if (info.output !== undefined) prev.output = info.output;
    if (info.desc !== undefined) prev.desc = info.desc;
    if (info.tags !== undefined) prev.tags = info.tags;
    if (info.exceptions !== undefined) prev.exceptions = info.exceptions;
    if (info.priority !== undefined) prev.priority = info.priority;
    if (info.capture !== undefined) prev.capture = info.capture;
    if (info.captureDuration !== undefined) prev.captureDuration = info.captureDuration;
    if (info.enabled !== undefined) prev.enabled = info.enabled;
    if (info.warnEvttypes !== undefined) prev.warnEvttypes = info.warnEvttypes;
    if (info.skipIfUnknownFilter !== undefined) prev.skipIfUnknownFilter = info.skipIfUnknownFilter;
    prev.visibility = this.nextIndex++;
  }

  /** An item with only `enabled`: switches an earlier rule on or off. */
  enableRule(name: string, enabled: boolean, context: Context): void {
    const prev = this.rules.get(name);
    if (!prev) fail("Rule has 'enabled' key but no rule by that name already exists", context);
    prev.enabled = enabled;
  }

  private define<T extends { name: string; index: number; visibility: number }>(
    map: Map<string, T>,
    info: T,
  ): void {
    const id = this.nextIndex++;
    const prev = map.get(info.name);
    if (prev) {
      // A redefinition takes the place of the first definition (Map keeps the first insertion's order).
      info.index = prev.index;
      info.visibility = id;
      map.set(info.name, info);
    } else {
      info.index = id;
      info.visibility = id;
      map.set(info.name, info);
    }
  }

  private findPrevRule(name: string, source: string, context: Context): RuleInfo | undefined {
    const prev = this.rules.get(name);
    if (prev && prev.source !== '' && source !== '' && prev.source !== source) {
      fail('Rule has been re-defined with a different source', context);
    }
    return prev;
  }

  /** Falco's validate_exception_info: defaults for comps, lengths, operators and fields checked. */
  private validateException(ex: ExceptionInfo, checkFields: boolean): void {
    const fields = ex.fields;
    if (!fields) return;
    if (fields.list) {
      if (!isValidEntry(ex.comps)) {
        ex.comps = {
          list: true,
          items: fields.items.map(() => ({ list: false, item: '=', origin: fields.origin })),
          origin: fields.origin,
        };
      }
      const comps = ex.comps as ExceptionEntry;
      if (!comps.list || comps.items.length !== fields.items.length) {
        fail('Fields and comps lists must have equal length', ex.context);
      }
      for (const c of comps.items) {
        if (c.list) fail("'' is not a supported comparison operator", ex.context);
        c.item = c.item.trim();
        if (!isComparisonOperator(c.item))
          fail(`'${c.item}' is not a supported comparison operator`, ex.context);
      }
      if (checkFields) {
        for (const f of fields.items) {
          const name = f.list ? '' : f.item;
          if (!this.validField(name)) fail(`'${name}' is not a supported filter field`, ex.context);
        }
      }
    } else {
      if (!isValidEntry(ex.comps)) ex.comps = { list: false, item: 'in', origin: fields.origin };
      const comps = ex.comps as ExceptionEntry;
      if (comps.list) fail('Fields and comps must both be strings', ex.context);
      comps.item = comps.item.trim();
      if (
        comps.item !== 'in' &&
        comps.item !== 'pmatch' &&
        comps.item !== 'intersects' &&
        !isOperatorWithModifier(comps.item)
      ) {
        fail(
          'When fields is a single value, comps must be one of (in, pmatch, intersects) or a modifier ' +
            'operator (e.g. startswith oneof)',
          ex.context,
        );
      }
      if (checkFields && !this.validField(fields.item)) {
        fail(`'${fields.item}' is not a supported filter field`, ex.context);
      }
    }
  }
}

/** Falco's entry::is_valid: a non-empty list or a non-empty string. */
export function isValidEntry(e: ExceptionEntry | undefined): e is ExceptionEntry {
  if (!e) return false;
  return e.list ? e.items.length > 0 : e.item !== '';
}

function hasAnyValue(i: RuleUpdateInfo): boolean {
  return (
    i.condition !== undefined ||
    i.output !== undefined ||
    i.desc !== undefined ||
    i.tags !== undefined ||
    i.exceptions !== undefined ||
    i.priority !== undefined ||
    i.enabled !== undefined ||
    i.capture !== undefined ||
    i.captureDuration !== undefined ||
    i.warnEvttypes !== undefined ||
    i.skipIfUnknownFilter !== undefined
  );
}
