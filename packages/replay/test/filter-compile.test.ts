// Compiler: operator semantics per field type, missing values, multi-valued fields, modifiers,
// transformers, field-vs-field checks, and compile-time errors pointing at the field/operator/value.
// The resolver is a table over plain objects (filter-helpers.ts): the point is the operators.

import { currentEventIds } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { createFieldRegistry } from '../src/fields/registry.js';
import type { CompiledField, EvalContext, FieldValue } from '../src/fields/types.js';
import {
  compileFilter,
  compileFilterAst,
  FilterSyntaxError,
  LoweredKeys,
  lowerFilter,
  parseFilter,
  SharedSubfilters,
} from '../src/filter/index.js';
import { ctxOf, type TestEvent, TestResolver } from './filter-helpers.js';

function matches(filter: string, ev: TestEvent): boolean {
  return compileFilter(filter, new TestResolver()).match(ctxOf(ev));
}

/** The events (by index) of `evs` that `filter` matches. */
function which(filter: string, evs: TestEvent[]): number[] {
  const f = compileFilter(filter, new TestResolver());
  return evs.flatMap((ev, i) => (f.match(ctxOf(ev)) ? [i] : []));
}

function compileError(filter: string): FilterSyntaxError {
  try {
    compileFilter(filter, new TestResolver());
  } catch (e) {
    expect(e).toBeInstanceOf(FilterSyntaxError);
    return e as FilterSyntaxError;
  }
  throw new Error(`'${filter}' compiled`);
}

describe('strings', () => {
  const evs: TestEvent[] = [
    { 'proc.name': 'curl' },
    { 'proc.name': 'Curl-7' },
    { 'proc.name': 'bash' },
    {}, // no proc.name
  ];

  it('= == != and the missing value', () => {
    expect(which('proc.name=curl', evs)).toEqual([0]);
    expect(which('proc.name==curl', evs)).toEqual([0]);
    // no value: != is false too (sysdig: `fd.name != x` matches exactly the events that have fd.name)
    expect(which('proc.name!=curl', evs)).toEqual([1, 2]);
    expect(which('not proc.name=curl', evs)).toEqual([1, 2, 3]);
    expect(which('proc.name exists', evs)).toEqual([0, 1, 2]);
    expect(which('not proc.name exists', evs)).toEqual([3]);
  });

  it('substring, prefix, suffix, case-insensitive', () => {
    expect(which('proc.name contains ur', evs)).toEqual([0, 1]);
    expect(which('proc.name icontains CUR', evs)).toEqual([0, 1]);
    expect(which('proc.name startswith cu', evs)).toEqual([0]);
    expect(which('proc.name endswith -7', evs)).toEqual([1]);
    expect(which('proc.name contains ""', evs)).toEqual([0, 1, 2]);
  });

  it('ordering is strcmp order; the grammar takes a number after <', () => {
    expect(which('proc.name < 5', [{ 'proc.name': '4abc' }, { 'proc.name': 'a' }])).toEqual([0]);
    expect(which('proc.name >= 5', [{ 'proc.name': '5' }, { 'proc.name': '40' }])).toEqual([0]);
  });

  it('glob is fnmatch without FNM_PATHNAME', () => {
    const paths: TestEvent[] = [
      { 'fd.name': '/usr/lib/x.so' },
      { 'fd.name': '/usr/lib/a/b/c.so.6' },
      { 'fd.name': '/usr/lib' },
      { 'fd.name': '/usr/LIB/x' },
    ];
    expect(which('fd.name glob /usr/lib/*', paths)).toEqual([0, 1]); // * crosses '/'
    expect(which('fd.name glob /usr/lib*', paths)).toEqual([0, 1, 2]);
    expect(which('fd.name glob *.so.?', paths)).toEqual([1]);
    expect(which('fd.name glob /usr/[a-l]ib/*', paths)).toEqual([0, 1]);
    expect(which('fd.name glob /usr/[!l]IB/*', paths)).toEqual([3]);
    expect(which('fd.name glob /usr/[[:upper:]]*', paths)).toEqual([3]);
    expect(which('fd.name iglob /usr/lib/x*', paths)).toEqual([0, 3]);
    expect(
      which('fd.name glob "/usr/lib/\\\\*"', [{ 'fd.name': '/usr/lib/*' }, { 'fd.name': '/usr/lib/x' }]),
    ).toEqual([0]);
    expect(which('fd.name glob [abc', [{ 'fd.name': '[abc' }, { 'fd.name': 'a' }])).toEqual([0]); // unclosed: literal
  });

  it('regex must match the whole value', () => {
    expect(which('proc.name regex cu.l', evs)).toEqual([0]);
    expect(which('proc.name regex ur', evs)).toEqual([]);
    expect(which('proc.name regex ".*ur.*"', evs)).toEqual([0, 1]);
    expect(which('proc.name regex "[[:alpha:]]+"', evs)).toEqual([0, 2]);
    // alternation is anchored as a whole
    expect(which('proc.name regex "cu|bash"', evs)).toEqual([2]);
  });

  it('regex is RE2: a pattern that backtracks for ever in a backtracking engine runs in linear time', () => {
    // (a+)+$ against a run of a's ending in b takes 2^n steps in a backtracking engine: at n = 100000
    // this test would never end.
    const long: TestEvent[] = [{ 'proc.name': `${'a'.repeat(100_000)}b` }, { 'proc.name': 'aaa' }];
    expect(which('proc.name regex "(a+)+$"', long)).toEqual([1]);
    // What only a backtracking engine can do is refused at compile time, as RE2 refuses it in libs.
    const e = compileError('proc.name regex "(a)\\\\1"');
    expect(e.position).toBe(16);
    expect(e.reason).toMatch(/^invalid regular expression: .*escape/);
    expect(compileError('proc.name regex "(?=a)"').reason).toMatch(/^invalid regular expression/);
  });

  it('in and intersects on a single-valued field', () => {
    expect(which('proc.name in (curl, bash)', evs)).toEqual([0, 2]);
    expect(which('proc.name intersects (curl)', evs)).toEqual([0]);
    expect(which('proc.name in ()', evs)).toEqual([]);
  });

  it('pmatch compares whole path components', () => {
    const paths: TestEvent[] = [
      { 'fd.name': '/etc' },
      { 'fd.name': '/etc/passwd' },
      { 'fd.name': '/etcfoo' },
      { 'fd.name': '/lib//x86_64/libc.so' },
      { 'fd.name': '/var' },
      { 'fd.name': '/var/run/docker.sock' },
    ];
    expect(which('fd.name pmatch (/etc, /lib)', paths)).toEqual([0, 1, 3]);
    expect(which('fd.name pmatch (/var/run)', paths)).toEqual([5]); // /var alone is not under /var/run
    expect(which('fd.name pmatch (/lib/x86*)', paths)).toEqual([3]);
    expect(which('fd.name pmatch (/)', paths)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(which('fd.name pmatch (/etc/)', paths)).toEqual([0, 1]);
  });
});

describe('numbers', () => {
  const evs: TestEvent[] = [{ 'evt.rawres': -2 }, { 'evt.rawres': 0 }, { 'evt.rawres': 31 }, {}];

  it('compares numerically; hex values', () => {
    expect(which('evt.rawres<0', evs)).toEqual([0]);
    expect(which('evt.rawres>=0', evs)).toEqual([1, 2]);
    expect(which('evt.rawres<=-2', evs)).toEqual([0]);
    expect(which('evt.rawres>0', evs)).toEqual([2]);
    expect(which('evt.rawres=0x1f', evs)).toEqual([2]);
    expect(which('evt.rawres=0X1F', evs)).toEqual([2]);
    expect(which('evt.rawres!=0', evs)).toEqual([0, 2]);
    expect(which('evt.rawres in (-2, 31, 0x0)', evs)).toEqual([0, 1, 2]);
    expect(which('evt.rawres=+31', evs)).toEqual([2]);
  });

  it('a non-numeric value is an error pointing at the value', () => {
    const e = compileError('evt.rawres = abc');
    expect(e.position).toBe(13);
    expect(e.reason).toContain("'abc' is not a valid number");
    expect(compileError('evt.rawres < 1.5').position).toBe(13);
    expect(compileError('evt.rawres in (1, x2)').position).toBe(18);
    expect(compileError('evt.num = -1').position).toBe(10);
  });

  it('an operator the type does not support is an error pointing at the operator', () => {
    const e = compileError('evt.rawres contains 1');
    expect(e.position).toBe(11);
    expect(e.reason).toContain("'contains' is not supported for numeric field 'evt.rawres'");
    expect(compileError('evt.failed < 1').position).toBe(11);
    expect(compileError('fd.sip glob 1*').position).toBe(7);
    expect(compileError('evt.buffer regex x').position).toBe(11);
    expect(compileError('proc.name bcontains 00').position).toBe(10);
    expect(compileError('evt.rawres pmatch (/a)').position).toBe(11);
  });

  it('uint64 and abstime compare as bigints, whatever number form the field gives', () => {
    const big: TestEvent[] = [{ 'evt.num': 5n }, { 'evt.num': 6 }, { 'evt.num': 18446744073709551615n }];
    expect(which('evt.num=5', big)).toEqual([0]);
    expect(which('evt.num=6', big)).toEqual([1]);
    expect(which('evt.num>5', big)).toEqual([1, 2]);
    expect(which('evt.num=18446744073709551615', big)).toEqual([2]);
    expect(which('evt.num=0xffffffffffffffff', big)).toEqual([2]);
    expect(which('evt.num!=6', big)).toEqual([0, 2]);
    expect(which('evt.num in (6, 18446744073709551615)', big)).toEqual([1, 2]);
    expect(which('evt.rawtime > 1000000000000000000', [{ 'evt.rawtime': 1700000000000000000n }])).toEqual([
      0,
    ]);
  });

  it('reltime and double', () => {
    expect(which('evt.latency > 1000', [{ 'evt.latency': 999 }, { 'evt.latency': 1001 }])).toEqual([1]);
    expect(which('proc.cpu >= 0.5', [{ 'proc.cpu': 0.25 }, { 'proc.cpu': 0.5 }])).toEqual([1]);
  });
});

describe('booleans', () => {
  const evs: TestEvent[] = [{ 'evt.failed': true }, { 'evt.failed': false }, {}];
  it('true/false and 1/0', () => {
    expect(which('evt.failed=true', evs)).toEqual([0]);
    expect(which('evt.failed=false', evs)).toEqual([1]);
    expect(which('evt.failed=1', evs)).toEqual([0]);
    expect(which('evt.failed!=true', evs)).toEqual([1]);
    expect(which('evt.failed in (false)', evs)).toEqual([1]);
  });
  it('anything else is an error at the value', () => {
    const e = compileError('evt.failed=yes');
    expect(e.position).toBe(11);
    expect(e.reason).toContain("unrecognized boolean value 'yes'");
  });
});

describe('IP addresses and networks', () => {
  it('addresses compare by value, in any textual form', () => {
    const evs: TestEvent[] = [
      { 'fd.sip': '127.0.0.1' },
      { 'fd.sip': '2001:4860:4860::8888' },
      { 'fd.sip': '2001:4860:4860:0:0:0:0:8888' },
      {},
    ];
    expect(which('fd.sip=127.0.0.1', evs)).toEqual([0]);
    expect(which('fd.sip=2001:4860:4860:0::8888', evs)).toEqual([1, 2]);
    // an address of the other family is never equal, so != holds
    expect(which('fd.sip!=127.0.0.1', evs)).toEqual([1, 2]);
    expect(which('fd.sip in (1.2.3.4, 2001:4860:4860::8888)', evs)).toEqual([1, 2]);
    expect(which('fd.sip=::ffff:1.2.3.4', [{ 'fd.sip': '::ffff:1.2.3.4' }, { 'fd.sip': '1.2.3.4' }])).toEqual(
      [0],
    );
  });

  it('bad addresses and networks are errors at the value', () => {
    expect(compileError('fd.sip=127.0.0.0/8').reason).toContain('not a valid IP address');
    expect(compileError('fd.sip=1.2.3').position).toBe(7);
    expect(compileError('fd.sip=1.2.3.256').position).toBe(7);
    expect(compileError('fd.sip=1::2::3').position).toBe(7);
    // sysdig: "unrecognized IP network 127.0.0.1"
    expect(compileError('fd.net=127.0.0.1').reason).toContain('not a valid IP network');
    expect(compileError('fd.net=127.0.0.0/33').position).toBe(7);
  });

  it('fd.ip / fd.port / fd.net match either endpoint; != means neither', () => {
    const evs: TestEvent[] = [
      { 'fd.ip': ['10.0.0.1', '127.0.0.1'], 'fd.port': [47192, 80], 'fd.net': ['10.0.0.1', '127.0.0.1'] },
      { 'fd.ip': ['10.0.0.1', '10.0.0.2'], 'fd.port': [5000, 53], 'fd.net': ['10.0.0.1', '10.0.0.2'] },
      { 'fd.ip': [], 'fd.port': [], 'fd.net': [] }, // not a socket
      {},
    ];
    expect(which('fd.ip=127.0.0.1', evs)).toEqual([0]);
    expect(which('fd.ip!=127.0.0.1', evs)).toEqual([1]);
    expect(which('fd.port=53', evs)).toEqual([1]);
    expect(which('fd.port<100', evs)).toEqual([0, 1]);
    expect(which('fd.port in (80, 443)', evs)).toEqual([0]);
    expect(which('fd.net=127.0.0.0/8', evs)).toEqual([0]);
    expect(which('fd.net!=127.0.0.0/8', evs)).toEqual([1]);
    expect(which('fd.net=10.0.0.0/30', evs)).toEqual([0, 1]);
    expect(which('fd.net=0.0.0.0/0', evs)).toEqual([0, 1]);
    expect(which('fd.net in (192.168.0.0/16, 127.0.0.0/8)', evs)).toEqual([0]);
    expect(which('fd.ip exists', evs)).toEqual([0, 1]);
  });

  it('IPv6 networks, including a prefix that is not a multiple of 16', () => {
    const evs: TestEvent[] = [
      { 'fd.snet': '2001:4860:4860::8888' },
      { 'fd.snet': '2001:4861::1' },
      { 'fd.snet': '8.8.8.8' },
    ];
    expect(which('fd.snet=2001:4860::/32', evs)).toEqual([0]);
    expect(which('fd.snet=2001:4860::/31', evs)).toEqual([0, 1]);
    expect(which('fd.snet!=2001:4860::/32', evs)).toEqual([1, 2]);
  });
});

describe('buffers', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const evs: TestEvent[] = [
    { 'evt.buffer': enc('GET / HTTP/1.1\r\n') },
    { 'evt.buffer': new Uint8Array([0, 1, 10, 11]) },
    {},
  ];
  it('text and hex values', () => {
    expect(which('evt.buffer contains GET', evs)).toEqual([0]);
    expect(which('evt.buffer startswith "GET /"', evs)).toEqual([0]);
    expect(which('evt.buffer endswith "\\r\\n"', evs)).toEqual([0]);
    expect(which('evt.buffer bcontains 0a0B', evs)).toEqual([1]);
    expect(which('evt.buffer bcontains 0d0a', evs)).toEqual([0]);
    expect(which('evt.buffer bstartswith 0001', evs)).toEqual([1]);
    expect(which('evt.buffer bstartswith 01', evs)).toEqual([]);
    expect(which('evt.buffer = "GET / HTTP/1.1\\r\\n"', evs)).toEqual([0]);
    expect(which('evt.buffer != "x"', evs)).toEqual([0, 1]);
  });
  it('hex values must be whole bytes', () => {
    expect(compileError('evt.buffer bcontains 0a0').position).toBe(21);
    expect(compileError('evt.buffer bcontains zz').reason).toContain('hex byte string');
  });
});

describe('multi-valued fields', () => {
  const evs: TestEvent[] = [
    { 'proc.aname': ['bash', 'sshd', 'systemd'], 'proc.aname[1]': 'bash', 'proc.aname[2]': 'sshd' },
    { 'proc.aname': ['containerd', 'systemd'], 'proc.aname[1]': 'containerd' },
    { 'proc.aname': [] },
  ];
  it('any value matches; != means no value is equal; indexes pick one', () => {
    expect(which('proc.aname=sshd', evs)).toEqual([0]);
    expect(which('proc.aname=systemd', evs)).toEqual([0, 1]);
    expect(which('proc.aname!=sshd', evs)).toEqual([1]);
    expect(which('proc.aname contains d', evs)).toEqual([0, 1]);
    expect(which('proc.aname in (sshd, containerd)', evs)).toEqual([0, 1]);
    expect(which('proc.aname intersects (sshd)', evs)).toEqual([0]);
    expect(which('proc.aname exists', evs)).toEqual([0, 1]);
    expect(which('proc.aname[2]=sshd', evs)).toEqual([0]);
    expect(which('proc.aname[2] exists', evs)).toEqual([0]);
  });
  it('fd.types intersects', () => {
    const t: TestEvent[] = [{ 'fd.types': ['file', 'ipv4'] }, { 'fd.types': ['pipe'] }];
    expect(which('fd.types intersects (ipv4, ipv6)', t)).toEqual([0]);
  });
});

describe('modifiers', () => {
  const evs: TestEvent[] = [{ 'proc.name': 'abc' }, { 'proc.name': 'abd' }, { 'proc.name': 'xyz' }];
  it('oneof / anyof / allof', () => {
    expect(which('proc.name startswith anyof (ab, x)', evs)).toEqual([0, 1, 2]);
    expect(which('proc.name startswith allof (a, ab)', evs)).toEqual([0, 1]);
    expect(which('proc.name startswith oneof (a, abc)', evs)).toEqual([1]);
    expect(which('proc.name = anyof (abc, xyz)', evs)).toEqual([0, 2]);
    expect(which('proc.name != allof (abc, xyz)', evs)).toEqual([1]);
    expect(which('proc.name glob anyof (*c, *z)', evs)).toEqual([0, 2]);
    expect(which('proc.name = anyof ()', evs)).toEqual([]);
  });
});

describe('transformers and field-vs-field', () => {
  it('tolower, toupper, basename, len, b64', () => {
    expect(matches('tolower(proc.name) = curl', { 'proc.name': 'CuRL' })).toBe(true);
    expect(matches('toupper(proc.name) = CURL', { 'proc.name': 'curl' })).toBe(true);
    expect(matches('basename(fd.name) = passwd', { 'fd.name': '/etc/passwd' })).toBe(true);
    expect(matches('len(fd.name) = 11', { 'fd.name': '/etc/passwd' })).toBe(true);
    // lengths are in UTF-8 bytes, as libs measures them
    expect(matches('len(fd.name) = 8', { 'fd.name': '/é/😀' })).toBe(true);
    expect(matches('len(proc.aname) = 3', { 'proc.aname': ['a', 'b', 'c'] })).toBe(true);
    expect(matches('b64(proc.name) = hello', { 'proc.name': 'aGVsbG8=' })).toBe(true);
    expect(matches('tolower(basename(fd.name)) = passwd', { 'fd.name': '/ETC/PASSWD' })).toBe(true);
    expect(matches('tolower(proc.name) exists', {})).toBe(false);
  });
  it('a transformer needs a field of the right type', () => {
    expect(compileError('tolower(evt.rawres) = 1').position).toBe(0);
    expect(compileError('len(evt.rawres) = 1').reason).toContain('len()');
  });
  it('val() compares with another field of the same type', () => {
    const evs: TestEvent[] = [
      { 'proc.name': 'bash', 'proc.pname': 'bash' },
      { 'proc.name': 'curl', 'proc.pname': 'bash' },
      { 'proc.name': 'curl' },
    ];
    expect(which('proc.name = val(proc.pname)', evs)).toEqual([0]);
    expect(which('proc.name != val(proc.pname)', evs)).toEqual([1]);
    expect(which('proc.name contains tolower(proc.pname)', evs)).toEqual([0]);
    expect(
      which('proc.aname = val(proc.name)', [{ 'proc.aname': ['x', 'bash'], 'proc.name': 'bash' }]),
    ).toEqual([0]);
    expect(compileError('proc.name = val(proc.pid)').position).toBe(12);
    expect(compileError('proc.name glob val(proc.pname)').position).toBe(10);
  });
});

describe('fields and compile-time errors', () => {
  it('unknown fields point at the field and mention scapkit replay -l', () => {
    const e = compileError('proc.name=curl and proc.nme=x');
    expect(e.position).toBe(19);
    expect(e.reason).toBe("unknown field 'proc.nme' (scapkit replay -l lists the fields)");
    expect(e.message).toContain('\n  proc.name=curl and proc.nme=x\n                     ^');
    expect(compileError('proc.name[1]=x').reason).toContain("unknown field 'proc.name[1]'");
  });
  it('a resolver error other than unknown field is reported at the field', () => {
    expect(compileError('evt.arg exists').reason).toContain("'evt.arg' needs an argument");
  });
  it('macros and Falco lists are refused at their position', () => {
    expect(compileError('proc.name=a or spawned_process').position).toBe(15);
    const e = compileError('evt.type in open_syscalls');
    expect(e.position).toBe(12);
    expect(e.reason).toContain('Falco lists are not supported');
  });
  it('dotted arguments resolve against the longest known field name', () => {
    const r = new TestResolver();
    const f = compileFilter('evt.arg.fd exists and evt.type.is.open=1 and evt.arg[name] exists', r);
    expect(r.calls).toEqual(['evt.arg[fd]', 'evt.type.is[open]', 'evt.arg[name]']);
    expect(f.fields).toEqual(['evt.arg.fd', 'evt.type.is.open', 'evt.arg[name]']);
    expect(f.match(ctxOf({ 'evt.arg[fd]': '3', 'evt.type.is[open]': 1, 'evt.arg[name]': 'x' }))).toBe(true);
  });
  it('resolves each field once at compile time, never while matching; lists fields once', () => {
    const r = new TestResolver();
    const f = compileFilter('proc.name=a or proc.name=b or (fd.num>3 and proc.name exists)', r);
    expect(r.calls).toEqual(['proc.name', 'proc.name', 'fd.num', 'proc.name']);
    expect(f.fields).toEqual(['proc.name', 'fd.num']);
    expect(f.text).toBe('proc.name=a or proc.name=b or (fd.num>3 and proc.name exists)');
    for (let i = 0; i < 100; i++) f.match(ctxOf({ 'proc.name': 'b' }));
    expect(r.calls.length).toBe(4);
  });
  it('and / or / not with several children evaluate as boolean logic', () => {
    const t: FieldValue = 'x';
    const ev = { 'proc.name': t, 'fd.num': 4 };
    expect(matches('proc.name=x and fd.num=4 and fd.num>3', ev)).toBe(true);
    expect(matches('proc.name=x and fd.num=4 and fd.num>4', ev)).toBe(false);
    expect(matches('proc.name=y or fd.num=5 or fd.num>3', ev)).toBe(true);
    expect(matches('proc.name=y or fd.num=5 or not fd.num>3', ev)).toBe(false);
    expect(matches('not not proc.name=x', ev)).toBe(true);
  });
});

describe('values a field can never have', () => {
  it('an unknown event type is refused where it stands (sysdig 0.29.3: "unknown event type foo")', () => {
    const registry = createFieldRegistry();
    const err = (f: string) => {
      try {
        compileFilter(f, registry);
      } catch (e) {
        return e as FilterSyntaxError;
      }
      throw new Error(`'${f}' compiled`);
    };
    expect(err('evt.type=foo')).toMatchObject({ position: 9, reason: 'unknown event type foo' });
    expect(err('evt.type in (open, opne)')).toMatchObject({
      position: 19,
      reason: 'unknown event type opne',
    });
    // event names, and system calls that only have generic events, are both event types
    expect(() => compileFilter('evt.type in (openat, mlock2, switch, procexit)', registry)).not.toThrow();
  });
});

describe('event types a field decides', () => {
  const registry = createFieldRegistry();
  const [openatEnter, openatExit] = currentEventIds('openat') ?? [-1, -1];
  const readExit = currentEventIds('read')?.[1] ?? -1;

  it('evt.is_open_read can be true only for the events with open flags (exits of the open calls)', () => {
    const f = compileFilter('evt.is_open_read=true', registry);
    expect([f.eventTypes[openatEnter], f.eventTypes[openatExit], f.eventTypes[readExit]]).toEqual([0, 1, 0]);
    // `!=` holds where the flags cannot say it is one: every event but an open's exit is certain
    const g = compileFilter('evt.is_open_read!=true', registry);
    expect([g.certainTypes?.[openatEnter], g.certainTypes?.[openatExit]]).toEqual([1, 0]);
  });

  it('a field no event of a type has makes `!=` false there, not certain (evt.res of an enter event)', () => {
    const f = compileFilter('evt.res!=SUCCESS', registry);
    expect([f.eventTypes[openatEnter], f.certainTypes?.[openatEnter]]).toEqual([0, 0]);
    expect([f.eventTypes[openatExit], f.certainTypes?.[openatExit]]).toEqual([1, 0]);
    const g = compileFilter('not evt.res exists', registry);
    expect(g.eventTypes[openatEnter]).toBe(1);
  });
});

describe('sub-filters shared between filters (the macros Falco rules have in common)', () => {
  it('evaluates a common sub-filter once per event and answers the others from it', () => {
    const shared = new SharedSubfilters();
    let reads = 0;
    class Counting extends TestResolver {
      override resolve(name: string, arg?: string): CompiledField {
        const f = super.resolve(name, arg);
        if (name !== 'proc.name') return f;
        const get = (c: EvalContext) => {
          reads++;
          return f.get(c);
        };
        return { ...f, get };
      }
    }
    const counted = new Counting();
    const common = '(proc.name=cat or proc.name=dd)';
    const a = compileFilterAst(parseFilter(`${common} and fd.num=3`), '', counted, shared);
    const b = compileFilterAst(parseFilter(`fd.num=4 or ${common}`), '', counted, shared);
    const only = compileFilterAst(
      parseFilter('(proc.name=ls or proc.name=sh) and fd.num=3'),
      '',
      counted,
      shared,
    );
    const events: TestEvent[] = [
      { 'proc.name': 'cat', 'fd.num': 3 },
      { 'proc.name': 'ls', 'fd.num': 3 },
      { 'proc.name': 'dd', 'fd.num': 5 },
    ];
    const got = events.map((ev) => {
      shared.nextEvent();
      const ctx = ctxOf(ev);
      return [a.match(ctx), b.match(ctx), only.match(ctx)];
    });
    expect(got).toEqual([
      [true, true, false],
      [false, false, true],
      [false, true, false],
    ]);
    // proc.name reads: one per event, whichever filter asks first (the field's value is shared too;
    // without the sharing: the common `or` computed for `a` only, 1, 2, 2, and `only`'s own, 2, 1, 2).
    expect(reads).toBe(3);
  });
});

describe('lowered filters: node keys', () => {
  const lower = (text: string, keys: LoweredKeys, resolver = new TestResolver()) =>
    lowerFilter(parseFilter(text), text, resolver, keys);

  it('names equal sub-trees alike and different ones apart, across the filters of one key table', () => {
    const keys = new LoweredKeys();
    const a = lower('proc.name=cat and fd.num=3', keys);
    const b = lower('fd.num=4 or proc.name=cat', keys);
    if (a.kind !== 'and' || b.kind !== 'or') throw new Error(`not lowered as written: ${a.kind} ${b.kind}`);
    expect(a.children[0]?.key).toBe(b.children[1]?.key); // proc.name=cat
    expect(a.children[1]?.key).not.toBe(b.children[0]?.key); // fd.num=3, fd.num=4
    expect(new Set([a.key, b.key, ...a.children.map((c) => c.key)]).size).toBe(4);
  });

  it("keeps the keys in the caller's table, not in the resolver: a long-lived resolver holds none", () => {
    const resolver = new TestResolver();
    // A process that keeps its resolver and lowers filter after filter, each ruleset with its own table.
    for (let i = 0; i < 2000; i++) lower(`proc.name=p${i} and fd.num=${i}`, new LoweredKeys(), resolver);
    const fresh = lower('proc.name=cat and fd.num=3', new LoweredKeys(), resolver);
    // Keys number the texts a table has seen: a fresh table has seen only this filter's three nodes.
    if (fresh.kind !== 'and') throw new Error(fresh.kind);
    expect([fresh.children[0]?.key, fresh.children[1]?.key, fresh.key]).toEqual(['#0', '#1', '#2']);
  });
});
