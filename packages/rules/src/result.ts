// The outcome of loading one rules file, as Falco reports it (falco_load_result, rule_loader::result):
// errors and warnings with Falco's codes, descriptions and messages, each with the chain of locations
// that leads to it (the file, the item, the value, the place in a condition). `toJSON()` is one entry of
// Falco's `falco_load_results` document; `format()` is the human report scapkit prints.

/** Falco's error codes, in Falco's order. A file with an error is not loaded. */
export const ERROR_CODES = {
  LOAD_ERR_FILE_READ: 'File read error',
  LOAD_ERR_YAML_PARSE: 'YAML parse error',
  LOAD_ERR_YAML_VALIDATE: 'Error validating internal structure of YAML file',
  LOAD_ERR_COMPILE_CONDITION: 'Error compiling condition',
  LOAD_ERR_COMPILE_OUTPUT: 'Error compiling output',
  LOAD_ERR_VALIDATE: 'Error validating rule/macro/list/exception objects',
  LOAD_ERR_EXTENSION: 'Error in extension item',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** Falco's warning codes with their short strings, in Falco's order. */
export const WARNING_CODES = {
  LOAD_UNKNOWN_SOURCE: 'Unknown event source',
  LOAD_UNSAFE_NA_CHECK: 'Unsafe <NA> comparison in condition',
  LOAD_NO_EVTTYPE: 'Condition has no event-type restriction',
  LOAD_UNKNOWN_FILTER: 'Unknown field or event-type in condition or output',
  LOAD_UNUSED_MACRO: 'Unused macro',
  LOAD_UNUSED_LIST: 'Unused list',
  LOAD_UNKNOWN_ITEM: 'Unknown rules file item',
  LOAD_DEPRECATED_ITEM: 'Used deprecated item',
  LOAD_WARNING_EXTENSION: 'Warning in extension item',
  LOAD_APPEND_NO_VALUES: 'Overriding/appending with no values',
  LOAD_EXCEPTION_NAME_NOT_UNIQUE: 'Multiple exceptions defined with the same name',
  LOAD_INVALID_MACRO_NAME: 'Invalid macro name',
  LOAD_INVALID_LIST_NAME: 'Invalid list name',
  LOAD_COMPILE_CONDITION: 'Warning in rule condition',
  LOAD_UNKNOWN_KEY: 'Unknown key in item definition',
} as const;
export type WarningCode = keyof typeof WARNING_CODES;

/**
 * Falco's `codedesc` of each warning. (For errors Falco's JSON repeats the short string: its
 * error_desc() returns error_strings, so the same is done here.)
 */
const WARNING_DESCS: Record<WarningCode, string> = {
  LOAD_UNKNOWN_SOURCE:
    'A rule has a unknown event source. This can occur when reading rules content without having a ' +
    'corresponding plugin loaded, etc. The rule will be silently ignored.',
  LOAD_UNSAFE_NA_CHECK:
    'Comparing a field value with <NA> is unsafe and can lead to unpredictable behavior of the rule ' +
    "condition. If you need to check for the existence of a field, consider using the 'exists' operator instead.",
  LOAD_NO_EVTTYPE:
    'A rule condition matches too many evt.type values. This has a significant performance penalty. ' +
    'Make the condition more specific by adding an evt.type field or further restricting the number of ' +
    'evt.type values in the condition.',
  LOAD_UNKNOWN_FILTER:
    'A rule condition or output refers to a field or evt.type that does not exist. This is normally an ' +
    'error, but if a rule has a skip-if-unknown-filter property, the error is downgraded to a warning.',
  LOAD_UNUSED_MACRO: 'A macro is defined in the rules content but is not used by any other macro or rule.',
  LOAD_UNUSED_LIST:
    'A list is defined in the rules content but is not used by any other list, macro, or rule.',
  LOAD_UNKNOWN_ITEM: 'An unknown top-level object is in the rules content. It will be ignored.',
  LOAD_DEPRECATED_ITEM: 'A deprecated item is employed by lists, macros, or rules.',
  LOAD_WARNING_EXTENSION: 'An extension item has a warning',
  LOAD_APPEND_NO_VALUES: 'A rule exception is overriding/appending with no values',
  LOAD_EXCEPTION_NAME_NOT_UNIQUE: 'A rule is defining multiple exceptions with the same name',
  LOAD_INVALID_MACRO_NAME: 'A macro is defined with an invalid name',
  LOAD_INVALID_LIST_NAME: 'A list is defined with an invalid name',
  LOAD_COMPILE_CONDITION: 'A rule condition or output have been parsed with a warning',
  LOAD_UNKNOWN_KEY:
    'An item in the rules content contains an unrecognized key. The key will be ignored. This may ' +
    'indicate a typo or a property placed on the wrong item type.',
};

/** The kinds of places a location can point at (rule_loader::context::item_type, Falco's spelling). */
export const ITEM_TYPES = {
  VALUE_FOR: 'value for',
  EXCEPTIONS: 'exceptions',
  EXCEPTION: 'exception',
  EXCEPTION_VALUES: 'exception values',
  EXCEPTION_VALUE: 'exception value',
  RULES_CONTENT: 'rules content',
  RULES_CONTENT_ITEM: 'rules content item',
  REQUIRED_ENGINE_VERSION: 'required_engine_version',
  REQUIRED_PLUGIN_VERSIONS: 'required plugin versions',
  REQUIRED_PLUGIN_VERSIONS_ENTRY: 'required plugin versions entry',
  REQUIRED_PLUGIN_VERSIONS_ALTERNATIVE: 'required plugin versions alternative',
  LIST: 'list',
  LIST_ITEM: 'list item',
  MACRO: 'macro',
  MACRO_CONDITION: 'macro condition',
  RULE: 'rule',
  RULE_CONDITION: 'rule condition',
  CONDITION_EXPRESSION: 'condition expression',
  RULE_OUTPUT: 'rule output',
  RULE_OUTPUT_EXPRESSION: 'rule output expression',
  RULE_PRIORITY: 'rule priority',
  OVERRIDE: 'overrides',
  EXTENSION_ITEM: 'extension item',
} as const;
export type ItemType = (typeof ITEM_TYPES)[keyof typeof ITEM_TYPES];

/** A place in a rules file. Line and column are 0-based, as Falco (yaml-cpp) counts them. */
export interface Position {
  readonly name: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface Location {
  readonly itemType: ItemType;
  readonly itemName: string;
  readonly position: Position;
}

/**
 * Where something is: the chain of locations from the rules content down to the value (Falco's
 * rule_loader::context). Immutable; `child` makes a longer chain.
 */
export class Context {
  private constructor(
    readonly locations: readonly Location[],
    /** The innermost location. */
    readonly last: Location,
  ) {}

  /** The whole of a rules file. */
  static content(name: string): Context {
    const top: Location = {
      itemType: ITEM_TYPES.RULES_CONTENT,
      itemName: '',
      position: { name, line: 0, column: 0, offset: 0 },
    };
    return new Context([top], top);
  }

  child(itemType: ItemType, itemName: string, position: Position): Context {
    const loc: Location = { itemType, itemName, position };
    return new Context([...this.locations, loc], loc);
  }

  toJSON(): { locations: object[] } {
    return {
      locations: this.locations.map((l) => ({
        item_type: l.itemType,
        item_name: l.itemName,
        position: {
          name: l.position.name,
          line: l.position.line,
          column: l.position.column,
          offset: l.position.offset,
        },
      })),
    };
  }
}

export interface LoadError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly context: Context;
}

export interface LoadWarning {
  readonly code: WarningCode;
  readonly message: string;
  readonly context: Context;
}

/** An error that stops the load of a file; thrown inside the loader, caught into a LoadResult. */
export class RuleLoadError extends Error {
  override readonly name = 'RuleLoadError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly context: Context,
  ) {
    super(message);
  }
}

export class LoadResult {
  readonly errors: LoadError[] = [];
  readonly warnings: LoadWarning[] = [];

  /** `name` is the file's name as given (Falco's result name). */
  constructor(readonly name: string) {}

  get successful(): boolean {
    return this.errors.length === 0;
  }

  addError(code: ErrorCode, message: string, context: Context): void {
    this.errors.push({ code, message, context });
  }

  addWarning(code: WarningCode, message: string, context: Context): void {
    this.warnings.push({ code, message, context });
  }

  /** One entry of Falco's `falco_load_results` array. */
  toJSON(snippet: (ctx: Context) => string = () => ''): object {
    return {
      name: this.name,
      successful: this.successful,
      errors: this.errors.map((e) => ({
        context: { ...e.context.toJSON(), snippet: snippet(e.context) },
        code: e.code,
        codedesc: ERROR_CODES[e.code],
        message: e.message,
      })),
      warnings: this.warnings.map((w) => ({
        context: { ...w.context.toJSON(), snippet: snippet(w.context) },
        code: w.code,
        codedesc: WARNING_DESCS[w.code],
        message: w.message,
      })),
    };
  }
}

/** Falco's short description of a code (`LOAD_UNUSED_MACRO (Unused macro)`). */
export function codeString(code: ErrorCode | WarningCode): string {
  return (
    (ERROR_CODES as Record<string, string>)[code] ?? (WARNING_CODES as Record<string, string>)[code] ?? code
  );
}
