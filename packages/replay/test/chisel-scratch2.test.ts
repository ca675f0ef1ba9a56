import { writeFileSync } from 'node:fs';
import { test } from 'vitest';
import { runOn, sysdigLines } from './chisel-support.js';
test('dbg', async () => {
  writeFileSync('/tmp/o.txt', (await runOn('502Error', 'echo_fds', [])).join('\n'));
  writeFileSync('/tmp/t.txt', sysdigLines('502Error', 'echo_fds', []).join('\n'));
});
