// Judging real captures (../shared/captures) as Falco judges them: which events a rule meets (enter and
// exit unless the condition says evt.dir), which rule alerts when several match (the first in load order,
// or all), what -t/-T/-D and the minimum priority select, and the alert as Falco prints it.
// The counts come from sysdig 0.29.3 on the same capture with the same condition (the command is given
// with each), sysdig and the engine reading events the same way.
import { describe, expect, it } from 'vitest';
import { rfc3339 } from '../src/index.js';
import { detect, load, yaml } from './support/rules.js';

const rule = (name: string, condition: string, extra = '') => yaml`
  - rule: ${name}
    desc: d
    condition: ${condition}
    output: "%proc.name opened %fd.name"
    priority: WARNING
  ${extra}`;

describe('which events a rule meets', () => {
  it('enter and exit events both match unless the condition says evt.dir', async () => {
    // sysdig -r cat_write.scap 'evt.type=open and proc.name=cat' | wc -l → 8 (4 enter, 4 exit)
    const both = await detect(load(rule('opens', 'evt.type=open and proc.name=cat')).engine, 'cat_write');
    expect(both.map((d) => d.dir)).toEqual(['>', '<', '>', '<', '>', '<', '>', '<']);
    // sysdig -r cat_write.scap -p%evt.num 'evt.type=open and proc.name=cat and evt.dir=<' → 141 151 187 197
    const exits = await detect(
      load(rule('opens', 'evt.type=open and proc.name=cat and evt.dir=<')).engine,
      'cat_write',
    );
    expect(exits.map((d) => d.num)).toEqual([141, 151, 187, 197]);
  });

  it('the first matching rule in load order alerts (Falco default), or every one with --rule-matching all', async () => {
    const text =
      rule('cache', 'evt.type=open and evt.dir=< and fd.name=/etc/ld.so.cache') +
      '\n' +
      rule('any open by cat', 'evt.type=open and evt.dir=< and proc.name=cat');
    const { engine } = load(text);
    const first = await detect(engine, 'cat_write');
    expect(first.map((d) => [d.num, d.rule])).toEqual([
      [141, 'cache'],
      [151, 'any open by cat'],
      [187, 'any open by cat'],
      [197, 'any open by cat'],
    ]);
    const all = await detect(engine, 'cat_write', {}, 'all');
    expect(all.map((d) => [d.num, d.rule])).toEqual([
      [141, 'cache'],
      [141, 'any open by cat'],
      [151, 'any open by cat'],
      [187, 'any open by cat'],
      [197, 'any open by cat'],
    ]);
  });

  it('a rule indexed under the event types its condition allows: an event of another type never meets it', async () => {
    const { engine } = load(rule('cat', 'evt.type in (open, close) and proc.name=cat and evt.dir=<'));
    const r = engine.rules[0]!;
    const names = new Set([...r.eventTypes].map((id) => id));
    // every id in the index is an open or close event (or the async event libs adds to each rule)
    const { EVENTS } = await import('@scapkit/scap-format');
    expect(new Set([...names].map((id) => EVENTS[id]!.name))).toEqual(
      new Set(['open', 'close', 'asyncevent']),
    );
    // sysdig -r cat_write.scap 'evt.type in (open,close) and proc.name=cat and evt.dir=<' | wc -l → 10
    expect(await detect(engine, 'cat_write')).toHaveLength(10);
  });
});

describe('selection: tags, names, priority, enabled', () => {
  const text = yaml`
    - rule: tagged a
      desc: d
      condition: evt.type=open and evt.dir=< and proc.name=cat
      output: a
      priority: ERROR
      tags: [a]
    - rule: tagged b
      desc: d
      condition: evt.type=close and evt.dir=< and proc.name=cat
      output: b
      priority: NOTICE
      tags: [b]
    - rule: untagged
      desc: d
      condition: evt.type=read and evt.dir=< and proc.name=cat
      output: u
      priority: DEBUG
    - rule: off
      desc: d
      condition: evt.type=open and evt.dir=< and proc.name=cat
      output: o
      priority: EMERGENCY
      enabled: false`;
  const rules = async (sel: Parameters<typeof detect>[2]) => [
    ...new Set((await detect(load(text).engine, 'cat_write', sel)).map((d) => d.rule)),
  ];

  // (the rules in the order they first alert: cat opens, closes, then reads)
  it('all enabled rules by default; a disabled rule loads but does not run', async () => {
    expect(await rules({})).toEqual(['tagged a', 'tagged b', 'untagged']);
    expect(load(text).engine.rules.map((r) => r.name)).toContain('off');
  });

  it('-t runs only rules with the tag (untagged ones do not run), -T skips them', async () => {
    expect(await rules({ tags: ['b'] })).toEqual(['tagged b']);
    expect(await rules({ disabledTags: ['a'] })).toEqual(['tagged b', 'untagged']);
  });

  it('-D disables by name, with * as a wildcard', async () => {
    expect(await rules({ disabledRules: ['untagged'] })).toEqual(['tagged a', 'tagged b']);
    expect(await rules({ disabledRules: ['tagged *'] })).toEqual(['untagged']);
  });

  it('--min-priority drops less severe rules', async () => {
    expect(await rules({ minPriority: 5 /* Notice */ })).toEqual(['tagged a', 'tagged b']);
    expect(await rules({ minPriority: 3 /* Error */ })).toEqual(['tagged a']);
  });

  it('a rule below the minimum priority still loads: a later file appends to it', () => {
    const { engine, results } = load(text, '- rule: untagged\n  condition: and fd.num>0\n  append: true\n');
    expect(results[1]!.successful).toBe(true);
    expect(engine.ruleset({ minPriority: 3 }).enabled.map((r) => r.name)).toEqual(['tagged a']);
  });
});

describe('alerts as Falco prints them', () => {
  it('text: local time with nanoseconds, the priority as Falco spells it, the output with <NA> for missing values', async () => {
    process.env.TZ = 'UTC';
    const { engine } = load(
      yaml`
      - rule: cache
        desc: d
        condition: evt.type=open and evt.dir=< and fd.name=/etc/ld.so.cache
        output: "%proc.name opened %fd.name (%proc.aname[9], %evt.arg.flags)"
        priority: informational
        tags: [z, a]`,
    );
    const [d] = await detect(engine, 'cat_write', {}, 'first', true);
    // TZ=UTC sysdig -r cat_write.scap -p'%evt.time %proc.name %fd.name %evt.arg.flags %evt.rawtime' evt.num=141
    // → 16:17:57.881785348 cat /etc/ld.so.cache O_RDONLY|O_CLOEXEC 1470327477881785348
    expect(d!.alert.text).toBe(
      '16:17:57.881785348: Informational cat opened /etc/ld.so.cache (<NA>, O_RDONLY|O_CLOEXEC)',
    );
    const j = JSON.parse(d!.alert.json!);
    expect(Object.keys(j)).toEqual([
      'hostname',
      'output',
      'output_fields',
      'priority',
      'rule',
      'source',
      'tags',
      'time',
    ]);
    expect(j).toMatchObject({
      hostname: 'testhost',
      output: d!.alert.text,
      priority: 'Informational',
      rule: 'cache',
      source: 'syscall',
      tags: ['a', 'z'],
      time: rfc3339(d!.alert.ts),
    });
    expect(j.time).toBe('2016-08-04T16:17:57.881785348Z');
    expect(d!.alert.json).toContain('"evt.time":1470327477881785348,');
    // fields keyed as written, typed, null when missing, with the event's time in ns
    // (evt.time is checked in the text above: a JS number cannot hold its 19 digits)
    expect({ ...j.output_fields, 'evt.time': typeof j.output_fields['evt.time'] }).toEqual({
      'evt.arg.flags': 'O_RDONLY|O_CLOEXEC',
      'evt.time': 'number',
      'fd.name': '/etc/ld.so.cache',
      'proc.aname[9]': null,
      'proc.name': 'cat',
    });
  });
});
