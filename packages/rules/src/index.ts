// @scapkit/rules: Falco rules over scap events. Load rules files into a RulesEngine (Falco's loader:
// reader → collector → compiler, with Falco's error and warning codes), take a Ruleset (rules indexed by
// event type, selected by tag, name and priority) and evaluate it per event of a replay Pipeline; alerts
// print as Falco prints them. Runs anywhere @scapkit/replay runs (file access is in ./node).
export { type Alert, AlertFormatter, type AlertFormatterOptions, escapeText, rfc3339 } from './alerts.js';
export { type FieldProblem, fieldsMissingParams, unansweredFields } from './availability.js';
export type { CompiledRule } from './compiler.js';
export { createDetectPipeline, type DetectOptions, DetectStats } from './detect.js';
export { RulesEngine, type RulesEngineOptions, SOURCES } from './engine.js';
export { PRIORITIES, type Priority, parsePriority, priorityName } from './priority.js';
export { MAX_RULES_BYTES } from './reader.js';
export { formatProblem, formatResult, summaryLine } from './report.js';
export {
  Context,
  ERROR_CODES,
  type ErrorCode,
  ITEM_TYPES,
  type LoadError,
  LoadResult,
  type LoadWarning,
  type Location,
  type Position,
  WARNING_CODES,
  type WarningCode,
} from './result.js';
export { type RuleMatching, type RuleSelection, Ruleset } from './ruleset.js';
export { BUILTIN_PLUGINS, ENGINE_VERSION } from './version.js';
