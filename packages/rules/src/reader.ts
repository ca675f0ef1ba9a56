// Stage 1 of loading (Falco's rule_loader_reader): a rules file's YAML, parsed by `yaml` (YAML 1.2), read
// item by item into the collector with the position of every value. Scalars are read as yaml-cpp reads
// them for Falco: untyped text (the failsafe schema), null for an empty value or ~/null, booleans in
// yaml-cpp's spellings (true/yes/on …). The first error stops the file, as in Falco; warnings go on.
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type YAMLMap,
  type Node as YamlNode,
} from 'yaml';
import type {
  Collector,
  ExceptionEntry,
  ExceptionInfo,
  ListInfo,
  MacroInfo,
  PluginRequirement,
  RuleInfo,
  RuleUpdateInfo,
} from './collector.js';
import { parsePriority } from './priority.js';
import { Context, ITEM_TYPES, type ItemType, type LoadResult, RuleLoadError } from './result.js';
import { type FileSource, type SourceFiles, SourceText } from './source.js';
import { ENGINE_VERSION, parseVersion } from './version.js';

/** The largest rules file read (Falco's own ruleset is about 100 KiB). */
export const MAX_RULES_BYTES = 16 << 20;
/** Values reached through YAML aliases, at most, per file (an alias bomb is refused, not expanded). */
const MAX_ALIAS_VALUES = 100_000;

const RGX_IDENTIFIER = /^[a-zA-Z]+[a-zA-Z0-9_]*$/;
const RGX_BARESTR = /^[^()"'\s=,]+$/;

const WARNING_APPEND =
  "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";
const WARNING_ENABLED =
  "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'replace' " +
  "entry under the 'override' key (i.e. 'enabled: replace').";
const ERROR_OVERRIDE_APPEND =
  "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. " +
  "'condition: append') under 'override' instead.";

type Node = YamlNode | null | undefined;

export interface ReadTarget {
  readonly files: SourceFiles;
  readonly collector: Collector;
  readonly result: LoadResult;
  /** Plugins scapkit provides (`container`): a requirement of another one is a warning. */
  readonly hasPlugin: (name: string, version: string) => string | undefined;
}

/** Reads `content` (named `name`) into the collector. False when the file has an error. */
export function readRules(
  name: string,
  content: string,
  target: ReadTarget,
  sizeBytes = content.length,
): boolean {
  const top = Context.content(name);
  if (sizeBytes > MAX_RULES_BYTES || content.length > MAX_RULES_BYTES) {
    // Located at the limit, so the report says how far the file was read.
    const lines = new LineCounter();
    const head = content.slice(0, MAX_RULES_BYTES);
    lines.addNewLine(0);
    for (let i = head.indexOf('\n'); i >= 0; i = head.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
    const file = target.files.add(name, head, lines);
    target.result.addError(
      'LOAD_ERR_FILE_READ',
      `rules file is larger than ${MAX_RULES_BYTES >> 20} MiB (${Math.ceil(Math.max(sizeBytes, content.length) / 2 ** 20)} MiB): ` +
        'split it into several files or remove what it does not need',
      top.child(ITEM_TYPES.VALUE_FOR, '', file.position(MAX_RULES_BYTES)),
    );
    return false;
  }
  const lines = new LineCounter();
  const file = target.files.add(name, content, lines);
  const reader = new Reader(file, target);
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(content, {
      lineCounter: lines,
      schema: 'failsafe',
      uniqueKeys: false,
      prettyErrors: false,
    });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (e) {
    target.result.addError('LOAD_ERR_YAML_PARSE', e instanceof Error ? e.message : String(e), top);
    return false;
  }
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      target.result.addError(
        'LOAD_ERR_YAML_PARSE',
        err.message.split('\n', 1).join(''),
        top.child(ITEM_TYPES.VALUE_FOR, '', file.position(err.pos[0])),
      );
      return false;
    }
  }
  for (const doc of docs) {
    try {
      reader.readDocument(doc, top);
    } catch (e) {
      if (e instanceof RuleLoadError) {
        target.result.addError(e.code, e.message, e.context);
        // Falco stops at the first error, even though a later document is in effect a new file.
        return false;
      }
      throw e;
    }
  }
  return true;
}

function validateError(message: string, context: Context): never {
  throw new RuleLoadError('LOAD_ERR_YAML_VALIDATE', message, context);
}

/** yaml-cpp's bool spellings: lower, UPPER or Capitalised forms of y/yes/true/on and n/no/false/off. */
function yamlCppBool(s: string): boolean | undefined {
  const flexible =
    s === s.toLowerCase() ||
    s === s.toUpperCase() ||
    s === s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
  if (s === '' || !flexible) return undefined;
  const l = s.toLowerCase();
  if (l === 'y' || l === 'yes' || l === 'true' || l === 'on') return true;
  if (l === 'n' || l === 'no' || l === 'false' || l === 'off') return false;
  return undefined;
}

/** An unsigned 32-bit number as yaml-cpp reads one (decimal, 0x hex, 0o octal). */
function yamlCppUint32(s: string): number | undefined {
  let n: number;
  if (/^\+?[0-9]+$/.test(s)) n = Number(s);
  else if (/^0x[0-9a-fA-F]+$/.test(s)) n = Number.parseInt(s.slice(2), 16);
  else if (/^0o[0-7]+$/.test(s)) n = Number.parseInt(s.slice(2), 8);
  else return undefined;
  return n <= 0xffffffff ? n : undefined;
}

class Reader {
  private doc: Document.Parsed | undefined;
  private aliasValues = 0;
  /** The file requires a plugin scapkit does not have: its rules' unknown fields skip them with a warning. */
  private pluginMissing = false;

  constructor(
    private readonly file: FileSource,
    private readonly target: ReadTarget,
  ) {}

  readDocument(doc: Document.Parsed, top: Context): void {
    this.doc = doc;
    const root = this.deref(doc.contents);
    if (this.isNull(root)) return;
    if (!isMap(root) && !isSeq(root)) validateError('Rules content is not yaml', top);
    if (!isSeq(root)) validateError('Rules content is not yaml array of objects', top);
    for (const it of root.items) {
      const item = this.deref(it as Node);
      if (this.isNull(item)) continue;
      this.readItem(item as YamlNode, top);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Nodes

  /** An alias as the node it names (counted: an alias bomb ends in an error, not in a hang). */
  private deref(n: Node): Node {
    let node = n;
    for (let hops = 0; isAlias(node); hops++) {
      if (++this.aliasValues > MAX_ALIAS_VALUES || hops > 100) {
        validateError('too many YAML aliases', this.ctxAt(Context.content(this.file.name), node));
      }
      node = node.resolve(this.doc as Document) as Node;
    }
    return node;
  }

  /** yaml-cpp's IsNull: no node, an empty value, or a plain ~/null. */
  private isNull(n: Node): boolean {
    if (n === null || n === undefined) return true;
    if (!isScalar(n)) return false;
    if (n.type !== 'PLAIN') return false;
    const v = String(n.value);
    return v === '' || v === '~' || v === 'null' || v === 'Null' || v === 'NULL';
  }

  private offset(n: Node): number {
    return n && 'range' in n && n.range ? n.range[0] : 0;
  }

  private ctxAt(parent: Context, n: Node, itemType: ItemType = ITEM_TYPES.VALUE_FOR, name = ''): Context {
    return parent.child(itemType, name, this.file.position(this.offset(n)));
  }

  /** The value of `key` in a map: the first pair with that key (as yaml-cpp finds it), or undefined. */
  private get(map: Node, key: string): Node | undefined {
    if (!isMap(map)) return undefined;
    for (const p of (map as YAMLMap).items) {
      const k = this.deref(p.key as Node);
      if (isScalar(k) && String(k.value) === key) {
        const v = p.value as Node;
        return v === null || v === undefined ? null : this.deref(v);
      }
    }
    return undefined;
  }

  private has(map: Node, key: string): boolean {
    return this.get(map, key) !== undefined;
  }

  private keys(map: Node): string[] {
    if (!isMap(map)) return [];
    return (map as YAMLMap).items.flatMap((p) => {
      const k = this.deref(p.key as Node);
      return isScalar(k) ? [String(k.value)] : [];
    });
  }

  /**
   * Falco's decode_val: the scalar text of `key`. Missing or empty is an error unless `optional` /
   * `canBeEmpty` allow it (then undefined).
   */
  private scalar(
    item: Node,
    key: string,
    ctx: Context,
    optional = false,
    canBeEmpty = false,
  ): string | undefined {
    const val = this.get(item, key);
    if (val === undefined) {
      if (optional) return undefined;
      validateError(`Item has no mapping for key '${key}'`, ctx);
    }
    if (this.isNull(val)) {
      if (canBeEmpty) return undefined;
      validateError(`Mapping for key '${key}' is empty`, ctx);
    }
    const valctx = this.ctxAt(ctx, val, ITEM_TYPES.VALUE_FOR, key);
    if (!isScalar(val)) validateError('Value is not a scalar value', valctx);
    const s = String(val.value);
    if (s === '') {
      if (canBeEmpty) return undefined;
      validateError('Value must be non-empty', valctx);
    }
    return s;
  }

  private string(item: Node, key: string, ctx: Context): string {
    return this.scalar(item, key, ctx) as string;
  }

  private optionalBool(item: Node, key: string, ctx: Context): boolean | undefined {
    const s = this.scalar(item, key, ctx, true);
    if (s === undefined) return undefined;
    const b = yamlCppBool(s);
    if (b === undefined)
      validateError(
        "Can't decode YAML scalar value",
        this.ctxAt(ctx, this.get(item, key), ITEM_TYPES.VALUE_FOR, key),
      );
    return b;
  }

  private bool(item: Node, key: string, ctx: Context): boolean {
    this.string(item, key, ctx); // the missing/empty errors first
    return this.optionalBool(item, key, ctx) as boolean;
  }

  private optionalUint(item: Node, key: string, ctx: Context): number | undefined {
    const s = this.scalar(item, key, ctx, true);
    if (s === undefined) return undefined;
    const n = yamlCppUint32(s);
    if (n === undefined)
      validateError(
        "Can't decode YAML scalar value",
        this.ctxAt(ctx, this.get(item, key), ITEM_TYPES.VALUE_FOR, key),
      );
    return n;
  }

  /** A scalar as text with the file position of each character. */
  private sourceText(item: Node, key: string): SourceText {
    const n = this.get(item, key);
    if (!isScalar(n) || !n.range) return SourceText.synthetic('');
    return SourceText.fromScalar(String(n.value), this.file, n.range[0], n.range[1]);
  }

  private origin(n: Node): number {
    return this.file.base + this.offset(n);
  }

  /** A sequence of scalars (`items`, `tags`). */
  private sequence(
    item: Node,
    key: string,
    ctx: Context,
    optional: boolean,
  ): { value: string; origin: number }[] | undefined {
    const val = this.get(item, key);
    if (val === undefined) {
      if (optional) return undefined;
      validateError(`Item has no mapping for key '${key}'`, ctx);
    }
    const valctx = this.ctxAt(ctx, val, ITEM_TYPES.VALUE_FOR, key);
    if (!isSeq(val)) validateError('Value is not a sequence', valctx);
    const out: { value: string; origin: number }[] = [];
    for (const raw of val.items) {
      const v = this.deref(raw as Node);
      const ictx = this.ctxAt(valctx, v, ITEM_TYPES.LIST_ITEM);
      if (!isScalar(v)) validateError('sequence value is not scalar', ictx);
      // yaml-cpp decodes a null sequence entry (`- ~`) as the text "~"/"null"; an empty one as "".
      out.push({ value: String(v.value), origin: this.origin(v) });
    }
    return out;
  }

  private warnUnknownKeys(item: Node, expected: readonly string[], ctx: Context): void {
    for (const k of this.keys(item)) {
      if (!expected.includes(k)) {
        this.target.result.addWarning(
          'LOAD_UNKNOWN_KEY',
          `Unknown key '${k}'. The key will be ignored.`,
          ctx,
        );
      }
    }
  }

  private deprecatedAppend(append: boolean | undefined, ctx: Context): boolean {
    if (append) this.target.result.addWarning('LOAD_DEPRECATED_ITEM', WARNING_APPEND, ctx);
    return append === true;
  }

  /** `override: {key: append|replace}`, checked against what the item kind allows. */
  private overrides(
    item: Node,
    appendable: readonly string[],
    replaceable: readonly string[],
    ctx: Context,
  ): { append: Set<string>; replace: Set<string> } {
    const append = new Set<string>();
    const replace = new Set<string>();
    const val = this.get(item, 'override');
    if (val === undefined || this.isNull(val)) return { append, replace };
    const octx = this.ctxAt(ctx, item, ITEM_TYPES.OVERRIDE);
    if (!isMap(val)) validateError('Value of override must be a mapping', octx);
    for (const p of (val as YAMLMap).items) {
      const keyNode = this.deref(p.key as Node);
      const opNode = this.deref(p.value as Node);
      if (!isScalar(keyNode) || !isScalar(opNode)) validateError('Value is not a scalar value', octx);
      const key = String(keyNode.value);
      const op = String(opNode.value);
      const keyctx = this.ctxAt(octx, keyNode, ITEM_TYPES.OVERRIDE, key);
      if (op === 'append') {
        if (!appendable.includes(key))
          validateError(`Key '${key}' cannot be appended to, use 'replace' instead`, keyctx);
        append.add(key);
      } else if (op === 'replace') {
        if (!replaceable.includes(key)) validateError(`Key '${key}' cannot be replaced`, keyctx);
        replace.add(key);
      } else {
        const allowed = `${appendable.includes(key) ? 'append ' : ''}${replaceable.includes(key) ? 'replace ' : ''}`;
        validateError(
          `Invalid override operation for key '${key}': '${op}'. Allowed values are: ${allowed}`,
          this.ctxAt(octx, opNode, ITEM_TYPES.VALUE_FOR, key),
        );
      }
    }
    return { append, replace };
  }

  // ------------------------------------------------------------------------------------------------
  // Items

  private readItem(item: YamlNode, parent: Context): void {
    if (!isMap(item)) {
      validateError(
        'Unexpected element type. Each element should be a yaml associative array.',
        this.ctxAt(parent, item, ITEM_TYPES.RULES_CONTENT_ITEM),
      );
    }
    const { collector, result } = this.target;
    if (this.has(item, 'required_engine_version')) {
      const ctx = this.ctxAt(parent, item, ITEM_TYPES.REQUIRED_ENGINE_VERSION);
      const text = this.string(item, 'required_engine_version', ctx);
      const minor = yamlCppUint32(text);
      // A bare number is the minor version of the engine's major (Falco's implicit engine version).
      const version = minor !== undefined ? ([ENGINE_VERSION[0], minor, 0] as const) : parseVersion(text);
      if (!version) {
        validateError(
          `Unable to parse engine version '${text}' as a semver string. Expected "x.y.z" semver format.`,
          ctx,
        );
      }
      collector.defineEngineVersion(version, ctx);
      this.warnUnknownKeys(item, ['required_engine_version'], ctx);
    } else if (this.has(item, 'required_plugin_versions')) {
      this.readPluginVersions(item, parent);
    } else if (this.has(item, 'list')) {
      this.readList(item, parent);
    } else if (this.has(item, 'macro')) {
      this.readMacro(item, parent);
    } else if (this.has(item, 'rule')) {
      this.readRule(item, parent);
    } else {
      result.addWarning(
        'LOAD_UNKNOWN_ITEM',
        'Unknown top level item',
        this.ctxAt(parent, item, ITEM_TYPES.RULES_CONTENT_ITEM),
      );
    }
  }

  private readPluginVersions(item: YamlNode, parent: Context): void {
    const vers = this.get(item, 'required_plugin_versions');
    const ctx = this.ctxAt(parent, vers, ITEM_TYPES.REQUIRED_PLUGIN_VERSIONS);
    if (!isSeq(vers)) validateError('Value of required_plugin_versions must be a sequence', ctx);
    for (const raw of vers.items) {
      const plugin = this.deref(raw as Node);
      const tmp = this.ctxAt(ctx, plugin, ITEM_TYPES.REQUIRED_PLUGIN_VERSIONS_ENTRY);
      if (!isMap(plugin)) validateError('Plugin version must be a mapping', tmp);
      const name = this.string(plugin, 'name', tmp);
      const pctx = this.ctxAt(ctx, plugin, ITEM_TYPES.REQUIRED_PLUGIN_VERSIONS_ENTRY, name);
      const reqs: PluginRequirement[] = [{ name, version: this.string(plugin, 'version', pctx) }];
      const alts = this.get(plugin, 'alternatives');
      if (alts !== undefined) {
        if (!isSeq(alts)) validateError('Value of plugin version alternatives must be a sequence', pctx);
        for (const a of alts.items) {
          const req = this.deref(a as Node);
          const actx = this.ctxAt(pctx, req, ITEM_TYPES.REQUIRED_PLUGIN_VERSIONS_ALTERNATIVE);
          if (!isMap(req)) validateError('Plugin version alternative must be a mapping', actx);
          const aname = this.string(req, 'name', actx);
          const nctx = this.ctxAt(pctx, req, ITEM_TYPES.REQUIRED_PLUGIN_VERSIONS_ALTERNATIVE, aname);
          reqs.push({ name: aname, version: this.string(req, 'version', nctx) });
        }
      }
      this.target.collector.definePluginVersions(reqs, pctx);
      // Falco fails when a required plugin is not loaded; scapkit has no plugins to load, so it says which
      // requirement it cannot meet and goes on (rules that need the plugin's fields are then skipped).
      const unmet = this.unmetPlugin(reqs);
      if (unmet !== undefined) {
        this.target.result.addWarning('LOAD_UNKNOWN_SOURCE', unmet, pctx);
        this.pluginMissing = true;
      }
    }
    this.warnUnknownKeys(
      item,
      ['required_plugin_versions'],
      this.ctxAt(parent, item, ITEM_TYPES.REQUIRED_PLUGIN_VERSIONS),
    );
  }

  /** Why none of the alternatives is met, or undefined when one is. */
  private unmetPlugin(reqs: PluginRequirement[]): string | undefined {
    let why: string | undefined;
    for (const r of reqs) {
      const w = this.target.hasPlugin(r.name, r.version);
      if (w === undefined) return undefined;
      why ??= w === '' ? undefined : w;
    }
    return (
      why ??
      `Plugin requirement not satisfied, must load one of: ${reqs.map((r) => `${r.name} (>= ${r.version})`).join(', ')}. ` +
        'scapkit has no such plugin: rules that use its fields or its event source are skipped'
    );
  }

  private readList(item: YamlNode, parent: Context): void {
    const tmp = this.ctxAt(parent, item, ITEM_TYPES.LIST);
    const name = this.string(item, 'list', tmp);
    const ctx = this.ctxAt(parent, item, ITEM_TYPES.LIST, name);
    if (!RGX_BARESTR.test(name)) {
      this.target.result.addWarning(
        'LOAD_INVALID_LIST_NAME',
        'List has an invalid name. List names should match a regular expression: ([^()"\'[:space:]=,]+)',
        ctx,
      );
    }
    const items = this.sequence(item, 'items', ctx, false) ?? [];
    let append = this.deprecatedAppend(this.optionalBool(item, 'append', ctx), ctx);
    const ov = this.overrides(item, ['items'], ['items'], ctx);
    if (append && ov.append.size + ov.replace.size > 0) validateError(ERROR_OVERRIDE_APPEND, ctx);
    append ||= ov.append.has('items');
    const info: ListInfo = { context: ctx, index: 0, visibility: 0, name, items };
    if (append) this.target.collector.appendList(info);
    else this.target.collector.defineList(info);
    this.warnUnknownKeys(item, ['list', 'items', 'append', 'override'], ctx);
  }

  private readMacro(item: YamlNode, parent: Context): void {
    const tmp = this.ctxAt(parent, item, ITEM_TYPES.MACRO);
    const name = this.string(item, 'macro', tmp);
    const ctx = this.ctxAt(parent, item, ITEM_TYPES.MACRO, name);
    if (!RGX_IDENTIFIER.test(name)) {
      this.target.result.addWarning(
        'LOAD_INVALID_MACRO_NAME',
        'Macro has an invalid name. Macro names should match a regular expression: ([a-zA-Z]+[a-zA-Z0-9_]*)',
        ctx,
      );
    }
    this.string(item, 'condition', ctx);
    const info: MacroInfo = {
      context: ctx,
      conditionContext: this.ctxAt(ctx, this.get(item, 'condition'), ITEM_TYPES.MACRO_CONDITION),
      index: 0,
      visibility: 0,
      name,
      condition: this.sourceText(item, 'condition'),
    };
    let append = this.deprecatedAppend(this.optionalBool(item, 'append', ctx), ctx);
    const ov = this.overrides(item, ['condition'], ['condition'], ctx);
    if (append && ov.append.size + ov.replace.size > 0) validateError(ERROR_OVERRIDE_APPEND, ctx);
    append ||= ov.append.has('condition');
    if (append) this.target.collector.appendMacro(info, joinWithBlank);
    else this.target.collector.defineMacro(info);
    this.warnUnknownKeys(item, ['macro', 'condition', 'append', 'override'], ctx);
  }

  private readRule(item: YamlNode, parent: Context): void {
    const tmp = this.ctxAt(parent, item, ITEM_TYPES.RULE);
    const name = this.string(item, 'rule', tmp);
    const ctx = this.ctxAt(parent, item, ITEM_TYPES.RULE, name);
    const source = this.scalar(item, 'source', ctx, true, true) ?? '';
    const hasAppend = this.deprecatedAppend(this.optionalBool(item, 'append', ctx), ctx);
    const appendable = ['condition', 'output', 'desc', 'tags', 'exceptions'];
    const replaceable = [
      'condition',
      'output',
      'desc',
      'priority',
      'capture',
      'capture_duration',
      'tags',
      'exceptions',
      'enabled',
      'warn_evttypes',
      'skip-if-unknown-filter',
    ];
    const ov = this.overrides(item, appendable, replaceable, ctx);
    const hasOverrides = ov.append.size + ov.replace.size > 0;
    if (hasAppend && hasOverrides) validateError(ERROR_OVERRIDE_APPEND, ctx);
    const collector = this.target.collector;

    if (hasOverrides) {
      // The keys present that an override may name; each must be named by one.
      const expected = new Set([...appendable, ...replaceable].filter((k) => this.has(item, k)));
      const take = (ops: Set<string>, kind: string, key: string): boolean => {
        if (!ops.has(key)) return false;
        if (!expected.has(key)) {
          validateError(`An ${kind} override for '${key}' was specified but '${key}' is not defined`, ctx);
        }
        expected.delete(key);
        return true;
      };
      if (ov.append.size > 0) {
        const v: RuleUpdateInfo = { context: ctx, name, source: '' };
        if (take(ov.append, 'append', 'condition')) {
          v.source = source;
          this.string(item, 'condition', ctx);
          v.condition = this.sourceText(item, 'condition');
        }
        if (take(ov.append, 'append', 'exceptions')) v.exceptions = this.readExceptions(item, ctx, true);
        if (take(ov.append, 'append', 'output')) {
          this.string(item, 'output', ctx);
          v.output = this.sourceText(item, 'output');
        }
        if (take(ov.append, 'append', 'desc')) v.desc = this.string(item, 'desc', ctx);
        if (take(ov.append, 'append', 'tags')) v.tags = this.tags(item, ctx);
        collector.appendRule(v, joinWithBlank);
      }
      if (ov.replace.size > 0) {
        const v: RuleUpdateInfo = { context: ctx, name, source: '' };
        if (take(ov.replace, 'replace', 'condition')) {
          v.source = source;
          this.string(item, 'condition', ctx);
          v.condition = this.sourceText(item, 'condition');
        }
        if (take(ov.replace, 'replace', 'exceptions')) v.exceptions = this.readExceptions(item, ctx, false);
        if (take(ov.replace, 'replace', 'output')) {
          this.string(item, 'output', ctx);
          v.output = this.sourceText(item, 'output');
        }
        if (take(ov.replace, 'replace', 'desc')) v.desc = this.string(item, 'desc', ctx);
        if (take(ov.replace, 'replace', 'tags')) v.tags = this.tags(item, ctx);
        if (take(ov.replace, 'replace', 'priority')) v.priority = this.priority(item, ctx);
        if (take(ov.replace, 'replace', 'capture')) v.capture = this.bool(item, 'capture', ctx);
        if (take(ov.replace, 'replace', 'capture_duration')) {
          this.string(item, 'capture_duration', ctx);
          v.captureDuration = this.optionalUint(item, 'capture_duration', ctx);
        }
        if (take(ov.replace, 'replace', 'enabled')) v.enabled = this.bool(item, 'enabled', ctx);
        if (take(ov.replace, 'replace', 'warn_evttypes'))
          v.warnEvttypes = this.bool(item, 'warn_evttypes', ctx);
        if (take(ov.replace, 'replace', 'skip-if-unknown-filter')) {
          v.skipIfUnknownFilter = this.bool(item, 'skip-if-unknown-filter', ctx);
        }
        collector.replaceRule(v);
      }
      for (const key of expected) {
        validateError(
          `Unexpected key '${key}': no corresponding entry under 'override' is defined.`,
          this.ctxAt(ctx, this.get(item, key), ITEM_TYPES.OVERRIDE, key),
        );
      }
    } else if (hasAppend) {
      const v: RuleUpdateInfo = { context: ctx, name, source };
      if (this.has(item, 'condition')) {
        this.string(item, 'condition', ctx);
        v.condition = this.sourceText(item, 'condition');
      }
      if (this.has(item, 'exceptions')) v.exceptions = this.readExceptions(item, ctx, true);
      collector.appendRule(v, joinWithBlank);
    } else if (
      !this.has(item, 'condition') &&
      !this.has(item, 'output') &&
      !this.has(item, 'desc') &&
      !this.has(item, 'priority')
    ) {
      // Only `enabled`: switches an earlier rule.
      const enabled = this.bool(item, 'enabled', ctx);
      this.target.result.addWarning('LOAD_DEPRECATED_ITEM', WARNING_ENABLED, ctx);
      collector.enableRule(name, enabled, ctx);
    } else {
      this.string(item, 'condition', ctx);
      const condition = this.sourceText(item, 'condition');
      const conditionContext = this.ctxAt(ctx, this.get(item, 'condition'), ITEM_TYPES.RULE_CONDITION);
      this.string(item, 'output', ctx);
      const output = trimSource(this.sourceText(item, 'output'));
      const outputContext = this.ctxAt(ctx, this.get(item, 'output'), ITEM_TYPES.RULE_OUTPUT);
      const desc = this.string(item, 'desc', ctx);
      const priority = this.priority(item, ctx);
      const info: RuleInfo = {
        context: ctx,
        conditionContext,
        outputContext,
        index: 0,
        visibility: 0,
        unknownSource: false,
        name,
        condition,
        source: this.scalar(item, 'source', ctx, true) ?? 'syscall',
        desc,
        output,
        tags: new Set(),
        exceptions: [],
        priority,
        capture: this.optionalBool(item, 'capture', ctx) ?? false,
        captureDuration: this.optionalUint(item, 'capture_duration', ctx) ?? 0,
        enabled: this.optionalBool(item, 'enabled', ctx) ?? true,
        warnEvttypes: this.optionalBool(item, 'warn_evttypes', ctx) ?? true,
        skipIfUnknownFilter: this.optionalBool(item, 'skip-if-unknown-filter', ctx) ?? false,
        pluginMissing: this.pluginMissing,
      };
      info.tags = this.tags(item, ctx);
      info.exceptions = this.readExceptions(item, ctx, false);
      collector.defineRule(info, (r) =>
        this.target.result.addWarning(
          'LOAD_UNKNOWN_SOURCE',
          `Unknown source ${r.source}, skipping`,
          r.context,
        ),
      );
    }
    this.warnUnknownKeys(
      item,
      [
        'rule',
        'condition',
        'output',
        'desc',
        'priority',
        'source',
        'enabled',
        'capture',
        'capture_duration',
        'warn_evttypes',
        'skip-if-unknown-filter',
        'tags',
        'exceptions',
        'override',
        'append',
      ],
      ctx,
    );
  }

  private priority(item: Node, ctx: Context): number {
    const text = this.string(item, 'priority', ctx);
    const p = parsePriority(text);
    if (p === undefined)
      validateError(
        'Invalid priority',
        this.ctxAt(ctx, this.get(item, 'priority'), ITEM_TYPES.RULE_PRIORITY),
      );
    return p;
  }

  private tags(item: Node, ctx: Context): Set<string> {
    return new Set((this.sequence(item, 'tags', ctx, true) ?? []).map((t) => t.value));
  }

  // ------------------------------------------------------------------------------------------------
  // Exceptions

  private readExceptions(item: Node, parent: Context, append: boolean): ExceptionInfo[] {
    const exs = this.get(item, 'exceptions');
    if (exs === undefined || this.isNull(exs)) return [];
    const exesCtx = this.ctxAt(parent, exs, ITEM_TYPES.EXCEPTIONS);
    if (!isSeq(exs)) validateError('Rule exceptions must be a sequence', exesCtx);
    const out: ExceptionInfo[] = [];
    for (const raw of exs.items) {
      const ex = this.deref(raw as Node);
      const tmp = this.ctxAt(exesCtx, ex, ITEM_TYPES.EXCEPTION);
      if (!isMap(ex)) validateError('Rule exception must be a mapping', tmp);
      const name = this.string(ex, 'name', tmp);
      const exCtx = this.ctxAt(parent, ex, ITEM_TYPES.EXCEPTION, name);
      if (out.some((e) => e.name === name)) {
        this.target.result.addWarning(
          'LOAD_EXCEPTION_NAME_NOT_UNIQUE',
          `Multiple definitions of exception '${name}' in the same rule`,
          exCtx,
        );
      }
      const info: ExceptionInfo = { context: exCtx, name, values: [] };
      // fields are optional when appending values to an exception
      info.fields = this.exceptionEntry(this.get(ex, 'fields'), 'fields', exCtx, append);
      info.comps = this.exceptionEntry(this.get(ex, 'comps'), 'comps', exCtx, true);
      const vals = this.get(ex, 'values');
      if (vals !== undefined) {
        const valsCtx = this.ctxAt(exCtx, vals, ITEM_TYPES.EXCEPTION_VALUES);
        if (!isSeq(vals)) validateError('Rule exception values must be a sequence', valsCtx);
        for (const v of vals.items) {
          const node = this.deref(v as Node);
          const vctx = this.ctxAt(valsCtx, node, ITEM_TYPES.EXCEPTION_VALUE);
          info.values.push(this.exceptionEntry(node, '', vctx, false) as ExceptionEntry);
        }
      } else if (append) {
        this.target.result.addWarning(
          'LOAD_APPEND_NO_VALUES',
          'Overriding/appending exception with no values',
          exCtx,
        );
      }
      out.push(info);
    }
    return out;
  }

  /** Falco's decode_exception_info_entry: a scalar, or a sequence of entries (nested). */
  private exceptionEntry(
    val: Node | undefined,
    key: string,
    ctx: Context,
    optional: boolean,
  ): ExceptionEntry | undefined {
    if (val === undefined) {
      if (optional) return undefined;
      validateError(`Item has no mapping for key '${key}'`, ctx);
    }
    const valctx = this.ctxAt(ctx, val, ITEM_TYPES.VALUE_FOR, key);
    if (isScalar(val) && !this.isNull(val)) {
      const s = String(val.value);
      if (s === '') validateError('Value must be non-empty', valctx);
      return { list: false, item: s, origin: this.origin(val) };
    }
    if (isSeq(val)) {
      const items: ExceptionEntry[] = [];
      for (const raw of val.items) {
        const v = this.deref(raw as Node);
        if (++this.aliasValues > MAX_ALIAS_VALUES * 10)
          validateError('exception values nest too deep', valctx);
        items.push(
          this.exceptionEntry(v, '', this.ctxAt(valctx, v, ITEM_TYPES.EXCEPTION), false) as ExceptionEntry,
        );
      }
      return { list: true, items, origin: this.origin(val) };
    }
    if (this.isNull(val)) {
      // yaml-cpp: a null value is neither scalar nor sequence, so the entry stays empty (invalid).
      return { list: false, item: '', origin: this.origin(val) };
    }
    validateError('Value is not a scalar value', valctx);
  }
}

/** Two pieces of condition or output text joined by a blank (Falco's append). */
export function joinWithBlank(a: SourceText, b: SourceText): SourceText {
  return a.concat(SourceText.synthetic(' ', a.originAt(a.text.length))).concat(b);
}

/** Falco trims an output's leading and trailing blanks. */
function trimSource(s: SourceText): SourceText {
  const t = s.text;
  const start = t.length - t.trimStart().length;
  const end = t.trimEnd().length;
  return new SourceText(t.slice(start, end), s.origins.slice(start, end));
}
