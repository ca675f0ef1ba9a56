// Child process of enter-fallback.integration.test.ts, run as is or inside a mount namespace without
// tracefs and without CAP_SYS_ADMIN. Usage: node enter-child.mjs <trigger> <dir>
//
// Starts two trigger helpers (`open <dir>` and `inet`), both waiting for their go, opens the probe on
// them, prints `ready <pid>` and waits for `go` on stdin: meanwhile the test reads this process's BPF
// links from /proc/<pid>/fdinfo. Then it lets the helpers run, closes the probe and prints one JSON line:
// the helpers' pids and output lines, the recorded events (framed, back to back, base64) and what this
// process could see (tracefs, CAP_SYS_ADMIN).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [trigger, dir] = process.argv.slice(2);
const { openProbe } = await import(new URL('../../dist/index.js', import.meta.url).href);

function start(cmd, arg) {
  const child = spawn(trigger, [cmd, arg], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { child, exited, out: () => out };
}

const helpers = { open: start('open', dir), inet: start('inet', dir) };
const probe = openProbe({ pids: Object.values(helpers).map((h) => h.child.pid) });
const batches = [];
const reading = (async () => {
  for await (const b of probe) batches.push(b);
})();

const lines = createInterface({ input: process.stdin });
const go = new Promise((resolve) => lines.once('line', resolve));
console.log(`ready ${process.pid}`);
await go;
lines.close();
for (const h of Object.values(helpers)) h.child.stdin.end('go\n');
await Promise.all(Object.values(helpers).map((h) => h.exited));
await probe.close();
await reading;

const framed = [];
for (const b of batches) {
  const dv = new DataView(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  for (let i = 0; i < b.count; i++) {
    const off = b.offsets[i];
    const len = dv.getUint32(off + 16, true); // the event header's len
    framed.push(Buffer.from(b.data.subarray(off - 4, off + len)));
  }
}
const capEff = BigInt(`0x${/^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'))[1]}`);
const CAP_SYS_ADMIN = 21n;
const firstJson = (s) => JSON.parse(s.split('\n').find((l) => l.startsWith('{')) ?? '{}');
console.log(
  JSON.stringify({
    pids: Object.fromEntries(Object.entries(helpers).map(([k, h]) => [k, h.child.pid])),
    outs: Object.fromEntries(Object.entries(helpers).map(([k, h]) => [k, firstJson(h.out())])),
    events: Buffer.concat(framed).toString('base64'),
    tracefsVisible:
      existsSync('/sys/kernel/tracing/events/syscalls') ||
      existsSync('/sys/kernel/debug/tracing/events/syscalls'),
    capSysAdmin: ((capEff >> CAP_SYS_ADMIN) & 1n) === 1n,
  }),
);
