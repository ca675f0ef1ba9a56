// skipHelpCache (cli.ts): yargs renders a command's whole help text each time it runs the command's
// handler, in case the handler asks for it later; the CLI stops that through yargs' internals, and does
// nothing should they change. These tests hold it to yargs as installed: the cache is skipped (observed
// through yargs' own hasCachedHelpMessage, true without the call), help is still there when asked for,
// and a parser without those internals is left alone.

import { describe, expect, it } from 'vitest';
import type { Argv } from 'yargs';
import yargs from 'yargs';
import { skipHelpCache } from '../src/cli.js';

interface Usage {
  hasCachedHelpMessage(): boolean;
}
const usageOf = (p: Argv) =>
  (p as unknown as { getInternalMethods(): { getUsageInstance(): Usage } })
    .getInternalMethods()
    .getUsageInstance();

/** A parser of one command with one option, as main() builds them (no exit, failures thrown). */
function parser(argv: string[]): { p: Argv; ran: () => boolean } {
  let ran = false;
  const p = yargs(argv)
    .command(
      'run',
      'run it',
      (y) => y.option('write', { alias: 'w', type: 'string', describe: 'trace file to write' }),
      () => {
        ran = true;
      },
    )
    .strict()
    .help()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    });
  return { p, ran: () => ran };
}

describe('skipHelpCache', () => {
  it('yargs keeps a rendered help text after running a handler (what the call stops)', async () => {
    const { p, ran } = parser(['run', '-w', 'x.scap']);
    await p.parseAsync();
    expect(ran()).toBe(true);
    expect(usageOf(p).hasCachedHelpMessage()).toBe(true);
  });

  it('with it, the handler runs and no help text is rendered', async () => {
    const { p, ran } = parser(['run', '-w', 'x.scap']);
    skipHelpCache(p);
    await p.parseAsync();
    expect(ran()).toBe(true);
    expect(usageOf(p).hasCachedHelpMessage()).toBe(false);
  });

  it("a command's --help is still rendered, with its options", async () => {
    const { p, ran } = parser([]);
    skipHelpCache(p);
    let output = '';
    await p.parseAsync(['run', '--help'], {}, (_err, _argv, out) => {
      output = out;
    });
    expect(ran()).toBe(false);
    expect(output).toMatch(/-w, --write +trace file to write/);
  });

  it('leaves a parser without those internals alone', () => {
    const bare = {} as Argv;
    expect(() => skipHelpCache(bare)).not.toThrow();
    const noUsage = { getInternalMethods: () => ({ getUsageInstance: () => undefined }) };
    expect(() => skipHelpCache(noUsage as unknown as Argv)).not.toThrow();
    const usage = { help: () => 'text' };
    const noCache = { getInternalMethods: () => ({ getUsageInstance: () => usage }) };
    skipHelpCache(noCache as unknown as Argv);
    expect(Object.keys(usage)).toEqual(['help']); // no cacheHelpMessage added where yargs has none
  });
});
