import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'vitest';
import { replayCapture } from './support/replay-capture.js';
const F: Record<string, string> = {
  f1: '*%evt.num|%evt.rawtime|%evt.reltime|%evt.latency|%evt.deltatime|%evt.category|%evt.args|%evt.arg.fd|%evt.arg[0]|%evt.rawarg.res|%evt.buflen|%evt.is_io|%evt.is_io_read|%evt.is_io_write|%evt.io_dir|%evt.is_wait|%evt.count|%syscall.type|%evt.time|%evt.datetime|%evt.rawtime.s|%evt.rawtime.ns|%evt.reltime.s|%evt.reltime.ns|%evt.latency.s|%evt.latency.ns',
  f2: '*%evt.num|%proc.cmdline|%proc.exeline|%proc.pname|%proc.pcmdline|%proc.aname[1]|%proc.aname[2]|%proc.apid[1]|%proc.nthreads|%proc.nchilds|%proc.fdopencount|%proc.fdlimit|%proc.vmsize|%proc.vmrss|%proc.sid|%proc.sname|%proc.tty|%proc.vpid|%thread.vtid|%thread.ismain|%proc.exepath|%proc.env|%thread.cgroups|%proc.loginshellid|%user.homedir|%user.shell|%user.loginuid|%group.name',
  f3: '*%evt.num|%fd.type|%fd.directory|%fd.filename|%fd.lip|%fd.rip|%fd.lport|%fd.rport|%fd.sockfamily|%fd.is_server|%fd.uid|%fd.containername|%fd.cproto|%fd.sproto|%fd.lproto|%fd.rproto|%fd.connected|%fd.name_changed|%fd.dev|%container.type|%container.privileged|%container.image.id|%container.image.repository|%container.image.tag|%evt.buffer',
};
test('fields', async () => {
  for (const name of process.env.CAP!.split(',')) {
    for (const k of ['f1', 'f2', 'f3']) {
      const got = (await replayCapture(name, { format: F[k] })).split('\n');
      const exp = readFileSync(`/tmp/h4/exp/${name}.${k}.txt`, 'utf8').split('\n');
      const cols = new Map<number, number>();
      const ex = new Map<number, string>();
      const names = F[k]!.slice(1).split('|');
      for (let i = 0; i < Math.min(got.length, exp.length); i++) {
        if (got[i] === exp[i]) continue;
        const a = exp[i]!.split('|'), b = got[i]!.split('|');
        for (let c = 0; c < Math.max(a.length, b.length); c++) if (a[c] !== b[c]) { cols.set(c, (cols.get(c) ?? 0) + 1); if (!ex.has(c)) ex.set(c, `#${a[0]} sysdig=${a[c]?.slice(0, 100)} ours=${b[c]?.slice(0, 100)}`); }
      }
      console.log(name, k, got.length, exp.length, [...cols].map(([c, n]) => `${names[c]}:${n} (${ex.get(c)})`).join('\n  '));
    }
  }
});
