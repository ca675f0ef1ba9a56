// Test support: replays one of the shared real captures through the Pipeline and returns what the
// PrintSink printed, plus the expected output sysdig 0.29.3 produced for it (../shared/captures).
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { readSysdigCapture } from '@scapkit/scap-format';
import { CAPTURES_DIR } from '../../../../test/support/captures.mjs';
import { createFieldRegistry } from '../../src/fields/registry.js';
import { PrintSink } from '../../src/output/sinks.js';
import { Pipeline } from '../../src/pipeline.js';

export const CAPTURES = CAPTURES_DIR;
export const EXPECTED = `${CAPTURES}/expected`;

/** The format of the expected X.state.txt files (captures README). */
export const STATE_FORMAT =
  '*%evt.num|%evt.type|%evt.dir|%thread.tid|%proc.pid|%proc.ppid|%proc.name|%proc.exe|%proc.args|%proc.cwd|%user.uid|%user.name|%group.gid|%fd.num|%fd.typechar|%fd.name|%fd.cip|%fd.cport|%fd.sip|%fd.sport|%fd.l4proto|%evt.res|%evt.failed|%container.id|%container.name|%container.image';

/** The ten captures that have expected outputs. */
export const WITH_EXPECTED = [
  'cat_write',
  'connect_localhost',
  'curl_google',
  'empty',
  'open-multiple-files',
  'ping_sendto',
  'privileged',
  'single_ipv6_conn',
  'syscall',
  '502Error',
] as const;

export interface ReplayOptions {
  format?: string;
  json?: boolean;
  filter?: string;
}

/** Replays CAPTURES/name.scap and returns the printed text (lines joined with "\n", final newline). */
export async function replayCapture(name: string, opts: ReplayOptions = {}): Promise<string> {
  const registry = createFieldRegistry();
  const out: string[] = [];
  const sink = new PrintSink({ registry, format: opts.format, json: opts.json, write: (l) => out.push(l) });
  const p = new Pipeline({ sink, filter: opts.filter, registry });
  await p.run(readSysdigCapture(createReadStream(`${CAPTURES}/${name}.scap`)));
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Expected output file `name.kind` (gunzipped when stored as .gz); undefined when there is none. */
export function expected(name: string, kind: string): string | undefined {
  const p = `${EXPECTED}/${name}.${kind}`;
  if (existsSync(p)) return readFileSync(p, 'utf8');
  if (existsSync(`${p}.gz`)) return gunzipSync(readFileSync(`${p}.gz`)).toString('utf8');
  return undefined;
}

/**
 * Splits sysdig output into records. A record starts with an event number (`N ` or `N|`) or `{`; lines
 * that do not (the rest of a multi-line evt.info) belong to the record before them.
 */
export function records(text: string, json: boolean): string[] {
  if (json) return text.split('\n').filter((l) => l !== '');
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\d+[ |]/.test(line) || out.length === 0) out.push(line);
    else out[out.length - 1] += `\n${line}`;
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}
