// The field registry: every field the replay side can answer, resolved by name (and argument) into a
// compiled accessor. The filter compiler, the -p formatter, JSON output and chisels all resolve fields
// here, once, before the first event.
import { CONTAINER_FIELDS } from './container.js';
import { rc } from './context.js';
import type { FieldDef } from './def.js';
import { EVT_FIELDS } from './evt.js';
import { FD_FIELDS } from './fd.js';
import { K8S_FIELDS } from './k8s.js';
import { PROCESS_FIELDS } from './process.js';
import {
  type CompiledField,
  type EvalContext,
  type FieldInfo,
  type FieldResolver,
  UnknownFieldError,
} from './types.js';
import { USER_GROUP_FIELDS } from './user-group.js';

/** A field whose argument is not acceptable (`proc.aname[x]`, `evt.arg` without a name). */
export class FieldArgumentError extends UnknownFieldError {
  constructor(
    field: string,
    readonly reason: string,
  ) {
    super(field);
    this.message = `${reason}`;
  }
}

export class FieldRegistry implements FieldResolver {
  private readonly defs = new Map<string, FieldDef>();

  constructor(defs: readonly FieldDef[]) {
    for (const d of defs) this.defs.set(d.name, d);
  }

  /** What the registry says about `name` (undefined for a field it does not know). */
  info(name: string): FieldInfo | undefined {
    return this.list().find((f) => f.name === name);
  }

  has(name: string): boolean {
    return this.defs.has(name);
  }

  /** Whether `name` takes an argument (for the format-string parser). */
  argKind(name: string): 'none' | 'optional' | 'required' | undefined {
    const d = this.defs.get(name);
    return d ? (d.arg ?? 'none') : undefined;
  }

  resolve(name: string, arg?: string): CompiledField {
    const d = this.defs.get(name);
    if (!d) throw new UnknownFieldError(arg === undefined ? name : `${name}.${arg}`);
    const kind = d.arg ?? 'none';
    if (arg !== undefined && kind === 'none') throw new UnknownFieldError(`${name}.${arg}`);
    if (arg === undefined && kind === 'required') {
      throw new FieldArgumentError(name, `field '${name}' needs an argument (${name}.NAME or ${name}[N])`);
    }
    let acc: ReturnType<FieldDef['make']>;
    try {
      acc = d.make(arg);
    } catch (e) {
      if (e instanceof UnknownFieldError) throw e;
      throw new FieldArgumentError(name, e instanceof Error ? e.message : String(e));
    }
    const full = arg === undefined ? name : /^[0-9]+$/.test(arg) ? `${name}[${arg}]` : `${name}.${arg}`;
    const multi = d.multi === true && arg === undefined && acc.values !== undefined;
    const field: CompiledField = {
      name: full,
      type: acc.type ?? d.type,
      multi,
      filterOnly: d.filterOnly === true,
      ...(d.display ? { display: d.display } : {}),
      ...(d.checkValue ? { checkValue: d.checkValue } : {}),
      get: acc.get,
      ...(multi ? { values: acc.values } : {}),
      ...(acc.byEventType && !multi ? { byEventType: acc.byEventType } : {}),
      ...(acc.write && !multi ? { write: acc.write } : {}),
    };
    return field;
  }

  eventType(ctx: EvalContext): number {
    return rc(ctx).view.type;
  }

  list(): readonly FieldInfo[] {
    const out: FieldInfo[] = [];
    for (const d of this.defs.values()) {
      const info: FieldInfo = {
        name: d.name,
        type: d.type,
        description: d.description,
        arg: d.arg ?? 'none',
      };
      if (d.filterOnly) info.filterOnly = true;
      if (d.unanswered) info.unanswered = d.unanswered;
      if (d.fromParam) info.fromParam = d.fromParam;
      out.push(info);
    }
    return out;
  }
}

/** The registry of every evt, proc, thread, fd, user, group and container field. */
export function createFieldRegistry(): FieldRegistry {
  return new FieldRegistry([
    ...EVT_FIELDS,
    ...PROCESS_FIELDS,
    ...FD_FIELDS,
    ...USER_GROUP_FIELDS,
    ...CONTAINER_FIELDS,
    ...K8S_FIELDS,
  ]);
}
