// The sysdig/Falco filter language: parser (text → AST), printer (AST → text) and compiler (text →
// closures over the fields of a FieldResolver). Everything a caller needs is re-exported here.
export type {
  AndExpr,
  CheckExpr,
  FieldOperand,
  FilterAst,
  ListNode,
  ListRef,
  MacroRef,
  Modifier,
  NotExpr,
  Operand,
  Operator,
  OrExpr,
  TransformerName,
  TransformerOperand,
  ValueNode,
} from './ast.js';
export { printFilter, printOperand, quoteString } from './ast.js';
export {
  type CompiledFilter,
  compileFilter,
  compileFilterAst,
  compileFilterPredicate,
  foldFilterForEventType,
  foldForEventType,
  type LoweredFilter,
  LoweredKeys,
  lowerFilter,
  SharedSubfilters,
} from './compile.js';
export { FilterSyntaxError, formatFilterError } from './errors.js';
export {
  type EventTypeOptions,
  EventTypeSearchError,
  type EventTypeSet,
  eventTypeCount,
  filterCertainTypes,
  filterEventTypes,
  namesToEventTypes,
} from './event-types.js';
export { GlobMatcher } from './glob.js';
export {
  OPERATORS,
  type OperatorGrammar,
  type OperatorInfo,
  operatorInfo,
} from './operators.js';
export { parseFilter } from './parser.js';
