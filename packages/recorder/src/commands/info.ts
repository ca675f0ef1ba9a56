// `scapkit info FILE`: what a capture holds — format, time range, events by type, drops, table sizes.
import { jsonSafe, summarizeCapture } from '@scapkit/scap-format';
import type { CommandModule } from 'yargs';
import { openInput } from '../capture-input.js';
import { EXIT } from '../exit.js';

interface InfoArgs {
  file: string;
  json: boolean;
}

const fmtTs = (ns: string | null) => {
  if (!ns) return '-';
  const ms = Number(BigInt(ns) / 1_000_000n);
  return `${new Date(ms).toISOString().replace('Z', '')}${ns.slice(-6).padStart(6, '0')} UTC (${ns})`;
};

export function infoCommand(setCode: (c: number) => void): CommandModule<object, InfoArgs> {
  return {
    command: 'info <file>',
    describe: 'header, time range, events by type, drops and table sizes of a capture',
    builder: (y) =>
      y
        .positional('file', {
          type: 'string',
          demandOption: true,
          describe: 'a scapkit trace or a sysdig/Falco .scap',
        })
        .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' }) as never,
    handler: async (args) => {
      const input = await openInput(args.file, { reuseBatchBuffers: true });
      const s = await summarizeCapture({ [Symbol.asyncIterator]: () => input.records() });
      await input.close();
      const cut = input.truncation ?? input.damaged;
      if (cut) {
        s.truncated = true;
        s.truncatedAt = cut.offset;
      }
      if (args.json) {
        process.stdout.write(`${JSON.stringify(jsonSafe({ file: args.file, ...s }), null, 2)}\n`);
      } else {
        const out: string[] = [];
        out.push(`file:        ${args.file}`);
        out.push(`format:      ${s.format} ${s.version}`);
        out.push(`events:      ${s.events}`);
        out.push(`first event: ${fmtTs(s.firstTs)}`);
        out.push(`last event:  ${fmtTs(s.lastTs)}`);
        out.push(
          `threads:     ${s.threads}   fds: ${s.fds}   users: ${s.users}   groups: ${s.groups}   interfaces: ${s.interfaces}`,
        );
        out.push(
          `drops:       ${s.drops}${
            s.drops
              ? ` (${Object.entries(s.dropsByCause)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join(', ')})`
              : ''
          }`,
        );
        out.push(`checkpoints: ${s.checkpoints.length}`);
        for (const c of s.checkpoints) {
          out.push(
            `  after event ${String(c.eventsBefore).padStart(10)}  ${fmtTs(c.ts)}  at byte ${c.offset}` +
              (c.damage ? `  DAMAGED: ${c.damage}` : ''),
          );
        }
        // A flight-recorder trace (record --capture-on-alert) names the alerts it was written for.
        const alerts = (s.stats?.alerts ?? (s.header.alert ? [s.header.alert] : [])) as {
          time: string;
          priority: string;
          rule: string;
          output: string;
        }[];
        if (alerts.length) {
          out.push('alerts:');
          for (const a of alerts)
            out.push(`  ${fmtTs(String(a.time))}  ${a.priority}  ${a.rule}: ${a.output}`);
        }
        const byType = Object.entries(s.eventsByType ?? {}).sort((a, b) => b[1] - a[1]);
        if (byType.length) {
          out.push('events by type:');
          for (const [name, n] of byType) out.push(`  ${String(n).padStart(10)}  ${name}`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
      }
      setCode(input.finish({ cut: () => 'is counted above', showsDrops: true }));
      if (Number(s.drops) > 0) setCode(EXIT.DATA_LOST);
    },
  };
}
