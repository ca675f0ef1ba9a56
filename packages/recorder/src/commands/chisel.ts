// What `replay -c` and `record -c` share: reading a chisel command line (name, arguments, filter) into a
// chisel run. Errors in what the user typed are usage errors (exit 2).
import {
  ChiselError,
  type CompiledFilter,
  compileFilter,
  createChiselRun,
  createFieldRegistry,
  parseChiselCommandLine,
  type TimeRange,
} from '@scapkit/replay';
import { importChiselModule } from '@scapkit/replay/node';
import { UsageError } from '../exit.js';

export type ChiselRun = ReturnType<typeof createChiselRun>;

/** Errors in what the user typed (chisel name, chisel arguments, filter) are usage errors: exit 2. */
export async function usage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ChiselError) throw new UsageError(e.message);
    throw e;
  }
}

/** `-c NAME [args] [filter]` → a chisel run that writes its report with `write` and stops after `maxEvents`. */
export async function startChisel(
  name: string,
  rest: readonly (string | number)[] | undefined,
  opts: { write: (line: string) => void; maxEvents?: number; timeRange?: TimeRange },
): Promise<ChiselRun> {
  const registry = createFieldRegistry();
  const { chisel, filter } = await usage(() =>
    parseChiselCommandLine(name, (rest ?? []).map(String), {
      registry,
      importModule: importChiselModule,
    }),
  );
  // Compiled here, not by the run, to say what went wrong with `-c topprocs_net 20`: a chisel without
  // arguments leaves the words after it to the filter.
  let compiled: CompiledFilter | undefined;
  try {
    compiled = filter ? compileFilter(filter, registry) : undefined;
  } catch (e) {
    if (chisel.args.length === 0 && e instanceof Error) {
      throw new UsageError(
        `chisel ${chisel.name} takes no arguments, so '${filter}' was read as a filter: ${e.message}`,
      );
    }
    throw e;
  }
  return createChiselRun(chisel, {
    write: opts.write,
    filter: compiled,
    registry,
    maxEvents: opts.maxEvents,
    timeRange: opts.timeRange,
  });
}
