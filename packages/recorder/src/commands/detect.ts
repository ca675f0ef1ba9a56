// `scapkit detect`: Falco rules over a capture (either format), as Falco judges a capture file.
//   scapkit detect -r CAPTURE [--rules FILE]... [--json] [--min-priority P] [-t TAG]... [-T TAG]...
//                  [-D RULE]... [--rule-matching first|all] [--from T --to T]
//   scapkit detect --validate FILE [--validate FILE]... [--json]
//   scapkit detect --list [--rules FILE]...
// Without --rules, scapkit's own default ruleset. Alerts go to stdout (Falco's text line, or one JSON
// object per alert with --json); load warnings and the summary go to stderr. Exit 1 when a rules file
// does not load, 3 when the capture is cut short (every complete event was judged).
import { hostname as localHostname } from 'node:os';
import {
  AlertFormatter,
  type CompiledRule,
  createDetectPipeline,
  fieldsMissingParams,
  formatResult,
  type LoadResult,
  PRIORITIES,
  parsePriority,
  priorityName,
  type RuleMatching,
  RulesEngine,
  summaryLine,
} from '@scapkit/rules';
import { DEFAULT_RULES_FILE, loadRulesFile, loadRulesFiles } from '@scapkit/rules/node';
import { EVENTS } from '@scapkit/scap-format';
import type { CommandModule } from 'yargs';
import { openInput, TIME_RANGE_OPTIONS, type TimeRangeArgs } from '../capture-input.js';
import { CliError, EXIT, UsageError, warn } from '../exit.js';
import { TextOutput } from '../output.js';

export interface DetectArgs extends TimeRangeArgs {
  read?: string;
  rules?: string[];
  json: boolean;
  'min-priority'?: string;
  tag?: string[];
  'disable-tag'?: string[];
  disable?: string[];
  'rule-matching': string;
  progress?: boolean;
  validate?: string[];
  list: boolean;
}

const asList = (v: unknown): string[] | undefined =>
  v === undefined ? undefined : (Array.isArray(v) ? v : [v]).map(String);

export function detectCommand(setCode: (c: number) => void): CommandModule<object, DetectArgs> {
  return {
    command: 'detect',
    describe: 'judge a capture with Falco rules (scapkit’s default ruleset without --rules)',
    builder: (y) =>
      y
        .option('read', {
          alias: 'r',
          type: 'string',
          describe: 'capture file: a scapkit trace or a sysdig/Falco .scap',
        })
        .option('rules', {
          type: 'string',
          array: true,
          describe: 'a Falco rules file; several load in order into one engine (default: scapkit’s ruleset)',
        })
        .option('json', {
          type: 'boolean',
          default: false,
          describe: 'one JSON object per alert (Falco’s keys); with --validate, Falco’s falco_load_results',
        })
        .option('min-priority', {
          type: 'string',
          describe: `run only rules at least this severe (${PRIORITIES.join(', ')})`,
        })
        .option('tag', {
          alias: 't',
          type: 'string',
          array: true,
          describe: 'run only rules with this tag (untagged rules do not run)',
        })
        .option('disable-tag', {
          alias: 'T',
          type: 'string',
          array: true,
          describe: 'do not run rules with this tag',
        })
        .option('disable', {
          alias: 'D',
          type: 'string',
          array: true,
          describe: 'do not run this rule (a name; * matches any text)',
        })
        .option('rule-matching', {
          type: 'string',
          choices: ['first', 'all'],
          default: 'first',
          describe:
            'first: only the first matching rule (in load order) alerts for an event, as Falco; all: every one',
        })
        .options(TIME_RANGE_OPTIONS)
        .option('progress', {
          type: 'boolean',
          describe: 'progress bar on stderr (default: when stderr is a terminal and the file is over 8 MiB)',
        })
        .option('validate', { type: 'string', array: true, describe: 'load and check rules files only' })
        .option('list', { type: 'boolean', default: false, describe: 'list the loaded rules' })
        .check((a) => {
          const modes = [a.validate !== undefined, a.list, a.read !== undefined].filter(Boolean).length;
          if (modes === 0) throw new UsageError('detect needs -r CAPTURE, --validate FILE or --list');
          if (modes > 1) throw new UsageError('-r, --validate and --list do not go together');
          if (a['min-priority'] !== undefined && parsePriority(String(a['min-priority'])) === undefined) {
            throw new UsageError(
              `--min-priority: '${a['min-priority']}' is not a priority (${PRIORITIES.join(', ')})`,
            );
          }
          return true;
        }) as never,
    handler: async (args) => {
      const out = new TextOutput();
      try {
        if (args.validate !== undefined) setCode(await validate(asList(args.validate) ?? [], args.json, out));
        else if (args.list) setCode(await list(args, out));
        else setCode(await detect(args, out));
      } finally {
        await out.flush();
      }
    },
  };
}

/** Falco's --validate: every file loaded in order; the JSON document or the summary on stdout. */
async function validate(files: string[], json: boolean, out: TextOutput): Promise<number> {
  if (files.length === 0) throw new UsageError('--validate needs a rules file');
  const engine = new RulesEngine();
  const results: LoadResult[] = [];
  for (const f of files) results.push(await loadRulesFile(engine, f));
  if (json) {
    const doc = { falco_load_results: results.map((r) => r.toJSON((c) => engine.snippet(c))) };
    out.line(JSON.stringify(doc));
  } else {
    for (const r of results) {
      out.line(summaryLine(r));
      const { errors, warnings } = formatResult(r, (c) => engine.snippet(c));
      for (const l of errors) out.line(l);
      for (const l of warnings) warn(l.replace(/^ {4}/, '    '));
    }
  }
  return results.every((r) => r.successful) ? EXIT.OK : EXIT.ERROR;
}

/**
 * Loads the --rules files (or the default ruleset); a file that does not load is an error (exit 1).
 * `scapkit view --rules/--detect` loads its rules here too.
 */
export async function loadEngine(args: Pick<DetectArgs, 'rules'>): Promise<RulesEngine> {
  const files = asList(args.rules) ?? [DEFAULT_RULES_FILE];
  const engine = new RulesEngine();
  const results = await loadRulesFiles(engine, files);
  for (const r of results) {
    const { errors, warnings } = formatResult(r, (c) => engine.snippet(c));
    for (const l of warnings) warn(l);
    if (!r.successful) {
      throw new CliError(
        `${summaryLine(r)}\n${errors.join('\n')}\n(scapkit detect --validate ${r.name} checks a rules file)`,
      );
    }
  }
  return engine;
}

function eventTypeNames(r: CompiledRule): string {
  if (r.eventTypes.size >= EVENTS.length) return 'all';
  const names = new Set<string>();
  for (const id of r.eventTypes) {
    const n = EVENTS[id]?.name;
    if (n !== undefined && n !== 'asyncevent') names.add(n);
  }
  return names.size > 100 ? `${names.size} event types` : [...names].sort().join(',');
}

/** Every loaded rule: priority, enabled state, tags, the event types it applies to. */
async function list(args: DetectArgs, out: TextOutput): Promise<number> {
  const engine = await loadEngine(args);
  if (args.json) {
    for (const r of engine.rules) {
      out.line(
        JSON.stringify({
          name: r.name,
          priority: priorityName(r.priority),
          enabled: r.enabled,
          tags: [...r.tags].sort(),
          source: r.source,
          event_types: eventTypeNames(r).split(','),
          description: r.description,
        }),
      );
    }
    return EXIT.OK;
  }
  for (const r of engine.rules) {
    out.line(
      `${r.name}\n    priority: ${priorityName(r.priority)}   ${r.enabled ? 'enabled' : 'disabled'}   ` +
        `tags: ${[...r.tags].sort().join(', ') || '-'}\n    events: ${eventTypeNames(r)}`,
    );
  }
  return EXIT.OK;
}

async function detect(args: DetectArgs, out: TextOutput): Promise<number> {
  const engine = await loadEngine(args);
  const ruleset = engine.ruleset(
    {
      tags: asList(args.tag),
      disabledTags: asList(args['disable-tag']),
      disabledRules: asList(args.disable),
      minPriority: args['min-priority'] !== undefined ? parsePriority(args['min-priority']) : undefined,
    },
    args['rule-matching'] as RuleMatching,
  );
  if (ruleset.enabled.length === 0)
    warn('no rule runs: the selection (-t, -T, -D, --min-priority) leaves none');
  const input = await openInput(args.read as string, { ...args, reuseBatchBuffers: true });
  let host = '';
  const formatter = new AlertFormatter({ registry: engine.registry, json: args.json, hostname: () => host });
  let pending: Promise<void> | undefined;
  const { pipeline, stats } = createDetectPipeline({
    ruleset,
    formatter,
    timeRange: input.timeRange,
    // The host the events happened on when the trace says, else this one (as Falco).
    onMetadata: (m) => {
      host = m.machine?.hostname || localHostname();
    },
    onAlert: (a) => {
      pending = out.line(args.json ? (a.json as string) : a.text) ?? pending;
    },
  });
  const code = await input.read(
    async (rec) => {
      pipeline.push(rec);
      if (pending) {
        await pending;
        pending = undefined;
      }
      return out.closed;
    },
    { cut: () => `was judged (${pipeline.ctx.num} events)` },
  );
  await out.flush();
  for (const p of fieldsMissingParams(ruleset.enabled, engine.registry, stats.maxParams)) {
    warn(`rule '${p.rule.name}' reads ${p.field}, which this trace cannot answer: ${p.reason}`);
  }
  for (const l of stats.lines()) process.stderr.write(`${l}\n`);
  return code;
}
