// `scapkit view TRACE`: the trace viewer in a browser. Starts @scapkit/viewer's loopback server (random
// port and token), prints the URL, opens it when a desktop browser is there, and serves until Ctrl-C.
// With --rules/--detect the rules run inside the viewer's first pass (@scapkit/rules, in this process) and
// their alerts are marked on the timeline; --alerts takes the output of `scapkit detect --json` from a file.
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { Alert, EventJudge } from '@scapkit/viewer';
import type { CommandModule } from 'yargs';
import { CliError, UsageError, warn } from '../exit.js';
import { loadEngine } from './detect.js';

interface ViewArgs {
  trace: string;
  port: number;
  host: string;
  open: boolean;
  rules?: string[];
  detect: boolean;
  alerts?: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export function viewCommand(_setCode: (c: number) => void): CommandModule<object, ViewArgs> {
  return {
    command: 'view <trace>',
    describe: 'look at a trace in the browser (local server on 127.0.0.1 with a random token)',
    builder: (y) =>
      y
        .positional('trace', {
          type: 'string',
          demandOption: true,
          describe: 'a scapkit trace or a sysdig/Falco .scap',
        })
        .option('port', { type: 'number', default: 0, describe: 'port to listen on (default: a free one)' })
        .option('host', {
          type: 'string',
          default: '127.0.0.1',
          describe: 'address to bind (loopback by default)',
        })
        .option('open', {
          type: 'boolean',
          default: true,
          describe: 'open a browser (--no-open: only print the URL)',
        })
        .option('rules', {
          type: 'string',
          array: true,
          describe: 'Falco rules files: mark their alerts on the timeline',
        })
        .option('detect', {
          type: 'boolean',
          default: false,
          describe: "mark the alerts of scapkit's default rules",
        })
        .option('alerts', {
          type: 'string',
          describe: 'mark these alerts (the output of scapkit detect --json)',
        })
        .check((a) => {
          if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535)
            throw new UsageError('--port must be 0-65535');
          if (a.host !== 'localhost' && isIP(a.host) === 0)
            throw new UsageError(`--host ${a.host} is not an IP address`);
          return true;
        }) as never,
    handler: (args) => runView(args),
  };
}

async function runView(args: ViewArgs): Promise<void> {
  const alerts = await alertsFor(args);
  const judge = await judgeFor(args);
  const { startViewerServer, canOpenBrowser, openBrowser } = await import('@scapkit/viewer');
  if (!LOOPBACK.test(args.host)) {
    warn(
      `serving on ${args.host}, not loopback: anyone who can reach it and learns the URL (its token) can read ${args.trace}`,
    );
  }
  const server = await startViewerServer({
    trace: args.trace,
    host: args.host,
    port: args.port,
    alerts,
    judge,
  });
  process.stdout.write(`${server.url}\n`);
  if (args.open && canOpenBrowser() && (await openBrowser(server.url))) {
    warn('opened in your browser; Ctrl-C stops the viewer');
  } else {
    warn(
      `open the URL above in a browser (over ssh: ssh -L ${server.port}:${sshHost(args.host)}:${server.port} HOST, ` +
        'then open it on your machine); Ctrl-C stops the viewer',
    );
  }
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The bound address as `ssh -L` takes it (IPv6 in brackets; any address: loopback reaches it). */
function sshHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Alerts from --alerts (the output of `scapkit detect --json`, saved). */
async function alertsFor(args: ViewArgs): Promise<Alert[]> {
  if (args.alerts === undefined) return [];
  const { parseAlerts } = await import('@scapkit/viewer');
  try {
    return parseAlerts(await readFile(args.alerts, 'utf8'));
  } catch (e) {
    throw new CliError(`${args.alerts}: ${(e as Error).message}`);
  }
}

/**
 * For --rules/--detect: the rules (the default ruleset with --detect) loaded as `scapkit detect` loads them,
 * judged inside the viewer's first pass, in this process (one pass over the trace, one state engine).
 */
async function judgeFor(args: ViewArgs): Promise<EventJudge | undefined> {
  if (!args.detect && !args.rules?.length) return undefined;
  const { AlertFormatter, priorityName } = await import('@scapkit/rules');
  const engine = await loadEngine({ rules: args.rules?.length ? args.rules : undefined });
  const ruleset = engine.ruleset();
  const formatter = new AlertFormatter({ registry: engine.registry, json: false, hostname: () => '' });
  const raised: Alert[] = [];
  return {
    eventTypes: ruleset.interesting,
    judge(ctx) {
      if (ruleset.evaluate(ctx).length === 0) return undefined;
      raised.length = 0;
      for (const rule of ruleset.lastMatches) {
        raised.push({
          ts: ctx.view.ts.toString(),
          rule: rule.name,
          priority: priorityName(rule.priority),
          output: formatter.format(rule, ctx).output,
        });
      }
      return raised;
    },
  };
}
