// A trace is untrusted input: a file name holding a terminal escape sequence must reach a terminal escaped,
// while a pipe gets exactly the bytes sysdig would print. The terminal is a real pty (util-linux `script`).
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  blankThread,
  currentEventIds,
  EventBatchBuilder,
  emptyMetadata,
  encodeEvent,
  MemorySink,
  ScapkitWriter,
} from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { escapeControls } from '../src/output.js';

const bin = fileURLToPath(new URL('../bin/scapkit.js', import.meta.url));
const hostile = '/tmp/\x1b]0;owned\x07\x1b[2J\u009bevil';

async function hostileTrace(): Promise<string> {
  const meta = emptyMetadata();
  const t = blankThread(4242);
  Object.assign(t, { pid: 4242, ptid: 1, comm: 'cat', exe: hostile, cwd: '/' });
  meta.threads.push(t);
  const b = new EventBatchBuilder();
  const [, openX] = currentEventIds('open')!;
  encodeEvent(b, {
    ts: 1_700_000_000_000_000_000n,
    tid: 4242,
    type: openX,
    params: [3, hostile, 1, 0, 0, 0],
  });
  const sink = new MemorySink();
  const w = new ScapkitWriter(sink, {});
  await w.writeMetadata(meta);
  await w.writeBatch(b.take());
  await w.close();
  const path = join(mkdtempSync(join(tmpdir(), 'scapkit-tty-')), 'hostile.scap');
  writeFileSync(path, sink.bytes());
  return path;
}

describe('printing captured strings', () => {
  it('escapes control characters (C0, DEL, C1) but leaves text and tabs alone', () => {
    expect(escapeControls('a\x1b[31mb\tc\u009bd\x7f')).toBe('a\\x1b[31mb\tc\\x9bd\\x7f');
    expect(escapeControls('plain /etc/hostname')).toBe('plain /etc/hostname');
  });

  it.skipIf(spawnSync('script', ['--version']).status !== 0)(
    'on a terminal, a hostile file name is shown escaped; through a pipe, as is',
    async () => {
      const trace = await hostileTrace();
      const args = ['replay', '-r', trace, '-p', '%fd.name %proc.exe'];
      const viaPty = spawnSync(
        'script',
        ['-qec', [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' '), '/dev/null'],
        {
          encoding: 'latin1',
        },
      );
      expect(viaPty.status).toBe(0);
      const piped = await new Promise<string>((resolve) =>
        execFile(process.execPath, [bin, ...args], { encoding: 'utf8' }, (_e, so) => resolve(so)),
      );
      // The state engine makes paths printable as current libs do (U+FFFD for each control); other strings,
      // such as the exe, reach a pipe as the trace has them, escape sequences and the C1 CSI (U+009B) included.
      expect(piped.split(' ')[0]).toBe('/tmp/\ufffd]0;owned\ufffd\ufffd[2J\ufffdevil');
      expect(piped).toContain('\x1b]0;owned');
      expect(piped).toContain('\u009b');
      // On the terminal: the same line with every control escaped, and no control byte left but the line end.
      const ptyText = Buffer.from(viaPty.stdout, 'latin1').toString('utf8');
      expect(ptyText).toBe(`${escapeControls(piped.trimEnd())}\r\n`);
      expect(ptyText).toContain('\\x9bevil');
      expect(/[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f]/.test(ptyText)).toBe(false);
    },
  );
});
