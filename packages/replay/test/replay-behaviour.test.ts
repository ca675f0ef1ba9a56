// Behaviours of `scapkit replay` beyond the three reference formats, each checked against what Debian's
// sysdig 0.29.3 printed for the same command on the shared captures (`TZ=UTC sysdig -r X …`, outputs
// quoted below): the `*` rule of -p formats, -n, -j with -p (key order, types, nulls), a filter that
// does not cost the state engine its tables, and bad formats refused before the first event.
import { createReadStream } from 'node:fs';
import { readSysdigCapture } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { compileFormat, createFieldRegistry, FormatError, replay, UnknownFieldError } from '../src/index.js';
import { CAPTURES } from './support/replay-capture.js';

async function run(
  capture: string,
  opts: { format?: string; json?: boolean; filter?: string; maxEvents?: number },
) {
  const lines: string[] = [];
  const result = await replay(readSysdigCapture(createReadStream(`${CAPTURES}/${capture}.scap`)), {
    ...opts,
    write: (l) => lines.push(l),
  });
  return { lines, result };
}

describe('output formats', () => {
  it('without a leading *, an event missing any field is not printed', async () => {
    // sysdig -r cat_write.scap -p'%evt.num %evt.type %proc.name %fd.name' | wc -l → 27; with '*' → 85.
    expect((await run('cat_write', { format: '%evt.num %evt.type %proc.name %fd.name' })).lines).toHaveLength(
      27,
    );
    expect(
      (await run('cat_write', { format: '*%evt.num %evt.type %proc.name %fd.name' })).lines,
    ).toHaveLength(85);
    // sysdig -r cat_write.scap -p'%evt.num %fd.name %evt.latency' evt.type=read
    const reads = await run('cat_write', {
      format: '%evt.num %fd.name %evt.latency',
      filter: 'evt.type=read',
    });
    expect(reads.lines).toEqual([
      '152 /lib/x86_64-linux-gnu/libc.so.6 0',
      '153 /lib/x86_64-linux-gnu/libc.so.6 1402',
      '204 /dev/null 0',
      '205 /dev/null 532',
    ]);
  });

  it('-j with -p prints the requested fields, sorted, typed, missing ones as null', async () => {
    const { lines } = await run('curl_google', {
      json: true,
      format:
        '*%evt.num %evt.time %evt.rawtime.ns %fd.num %fd.name %evt.failed %user.uid %proc.aname[1] %thread.ismain %evt.arg.fd %fd.l4proto %fd.cport',
      filter: 'evt.type in (connect, sendto) and evt.dir=<',
    });
    expect(lines).toEqual([
      '{"evt.arg.fd":null,"evt.failed":true,"evt.num":1057,"evt.rawtime.ns":518937838,"evt.time":1534527348518937838,"fd.cport":null,"fd.l4proto":"<NA>","fd.name":"0->ffff88003c420800 /var/run/nscd/socket","fd.num":4,"proc.aname[1]":"bash","thread.ismain":false,"user.uid":1000}',
      '{"evt.arg.fd":null,"evt.failed":true,"evt.num":1063,"evt.rawtime.ns":518946722,"evt.time":1534527348518946722,"fd.cport":null,"fd.l4proto":"<NA>","fd.name":"0->ffff88003c420800 /var/run/nscd/socket","fd.num":4,"proc.aname[1]":"bash","thread.ismain":false,"user.uid":1000}',
      '{"evt.arg.fd":null,"evt.failed":false,"evt.num":1189,"evt.rawtime.ns":519206167,"evt.time":1534527348519206167,"fd.cport":40251,"fd.l4proto":"udp","fd.name":"2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53","fd.num":4,"proc.aname[1]":"bash","thread.ismain":false,"user.uid":1000}',
      '{"evt.arg.fd":null,"evt.failed":false,"evt.num":1195,"evt.rawtime.ns":519227972,"evt.time":1534527348519227972,"fd.cport":40251,"fd.l4proto":"udp","fd.name":"2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53","fd.num":4,"proc.aname[1]":"bash","thread.ismain":false,"user.uid":1000}',
      '{"evt.arg.fd":null,"evt.failed":true,"evt.num":1273,"evt.rawtime.ns":547379676,"evt.time":1534527348547379676,"fd.cport":37140,"fd.l4proto":"tcp","fd.name":"2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:37140->2607:f8b0:4004:802::2004:80","fd.num":4,"proc.aname[1]":"bash","thread.ismain":true,"user.uid":4294967295}',
      '{"evt.arg.fd":null,"evt.failed":false,"evt.num":1312,"evt.rawtime.ns":548801997,"evt.time":1534527348548801997,"fd.cport":37140,"fd.l4proto":"tcp","fd.name":"2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:37140->2607:f8b0:4004:802::2004:80","fd.num":4,"proc.aname[1]":"bash","thread.ismain":true,"user.uid":4294967295}',
    ]);
  });

  it('refuses unknown fields and bad tokens when compiling, not per event', () => {
    const reg = createFieldRegistry();
    expect(() => compileFormat('%evt.num %no.such.field', reg)).toThrow(FormatError);
    expect(() => compileFormat('%proc.aname[x]', reg)).toThrow(UnknownFieldError);
    expect(
      compileFormat('*%evt.arg.fd %proc.aname[2] %thread.cgroup.cpuacct', reg).fields.map((f) => f.name),
    ).toEqual(['evt.arg.fd', 'proc.aname[2]', 'thread.cgroup.cpuacct']);
  });
});

describe('pipeline', () => {
  it('-n counts events that pass the filter (all events, hidden ones included, without a filter)', async () => {
    // sysdig -r cat_write.scap -n 135 → events 131 … 135 (130 procinfo events are hidden but counted).
    const all = await run('cat_write', { format: '%evt.num', maxEvents: 135 });
    expect(all.lines).toEqual(['131', '132', '133', '134', '135']);
    expect(all.result.stoppedEarly).toBe(true);
    // sysdig -r cat_write.scap -n 3 evt.type=open → 140, 141, 150.
    const open = await run('cat_write', { format: '%evt.num', maxEvents: 3, filter: 'evt.type=open' });
    expect(open.lines).toEqual(['140', '141', '150']);
  });

  it('a filter does not cost the state engine the events it rejects', async () => {
    // sysdig -r cat_write.scap -p'%evt.num %fd.name' 'evt.type=close and evt.dir=>': the fds were opened by
    // events the filter rejects, fd.name still knows them (closes of fds 1 and 2, unknown, are not printed).
    const { lines } = await run('cat_write', {
      format: '%evt.num %fd.name',
      filter: 'evt.type=close and evt.dir=>',
    });
    expect(lines).toEqual([
      '146 /etc/ld.so.cache',
      '164 /lib/x86_64-linux-gnu/libc.so.6',
      '192 /usr/lib/locale/locale-archive',
      '208 /dev/null',
    ]);
  });
});

describe('fd fields of an open that failed', () => {
  const FAILED = 'evt.type in (open,openat,openat2,creat) and evt.dir=< and evt.failed=true';

  it('name the file from the path argument, the old openat exit through its enter event (libs converter)', async () => {
    // sysdig -r capture.scap '<FAILED>' | wc -l → 412 failed opens; sysdig 0.29.3 gives 17 of them (old
    // openat exits that carry only the fd) no fd.name, current libs takes the name from the enter event.
    expect((await run('capture', { filter: FAILED, format: '%evt.num' })).lines).toHaveLength(412);
    expect(
      (await run('capture', { filter: `${FAILED} and fd.name exists`, format: '%evt.num' })).lines,
    ).toHaveLength(412);
    // event 50763 is the enter event: openat(AT_FDCWD, <path>); 50764 its exit, fd=-2(ENOENT)
    const dir =
      '/var/lib/docker/image/overlay/imagedb/metadata/sha256/99e59f495ffaa222bfeb67580213e8c28c1e885f1d245ab2bbe3b1b1ec3bd0b2';
    const one = await run('capture', {
      filter: 'evt.num=50764',
      format: '*%fd.name|%fd.directory|%fd.typechar|%fd.filename',
    });
    // libs' filterchecks give fd.filename no value without an fd (test FD_FILTER_extract_from_null_type_filename)
    expect(one.lines).toEqual([`${dir}/parent|${dir}|f|<NA>`]);
  });
});
