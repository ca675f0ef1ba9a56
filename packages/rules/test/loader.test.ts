// The loader against Falco's documented behaviour (falco.org/docs/rules, the rule_loader of
// falcosecurity/falco userspace/engine and its regression suite falcosecurity/testing): what each kind of
// broken file is reported as (code, message, item, position), and how lists, macros, append, override,
// enabled and exceptions combine. Messages are Falco's where Falco words the cause.
import { describe, expect, it } from 'vitest';
import { ENGINE_VERSION, MAX_RULES_BYTES } from '../src/index.js';
import { errorOf, load, warningsOf, where, yaml } from './support/rules.js';

const RULE = (name: string, condition: string, extra = '') => yaml`
  - rule: ${name}
    desc: a rule
    condition: ${condition}
    output: "%proc.name %fd.name"
    priority: WARNING
  ${extra}`;

describe('YAML and the shape of the file', () => {
  it('text that is not YAML is LOAD_ERR_YAML_PARSE at the place the parser stopped', () => {
    const e = errorOf('- rule: x\n  desc: [unclosed\n- list: y\n');
    expect(e.code).toBe('LOAD_ERR_YAML_PARSE');
    expect(e.context.locations[0]!.itemType).toBe('rules content');
    expect(where(e).line).toBeGreaterThanOrEqual(1);
  });

  it('a document that is a map, or a scalar, is not rules content', () => {
    expect(errorOf('list: a\nitems: [b]\n')).toMatchObject({
      code: 'LOAD_ERR_YAML_VALIDATE',
      message: 'Rules content is not yaml array of objects',
    });
    expect(errorOf('just text\n').message).toBe('Rules content is not yaml');
  });

  it('an item that is not a map: "rules content item"', () => {
    const e = errorOf(
      '- rule: a\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: INFO\n- just a string\n',
    );
    expect(e).toMatchObject({
      code: 'LOAD_ERR_YAML_VALIDATE',
      message: 'Unexpected element type. Each element should be a yaml associative array.',
    });
    expect(where(e)).toEqual({ item: 'rules content item', line: 5, column: 2 });
  });

  it('missing keys are named, with the item that lacks them', () => {
    const noItems = errorOf('- list: good_list\n  items: [foo]\n- list: bad_list\n  no_items: true\n');
    expect(noItems).toMatchObject({
      code: 'LOAD_ERR_YAML_VALIDATE',
      message: "Item has no mapping for key 'items'",
    });
    expect(where(noItems)).toEqual({ item: 'list bad_list', line: 2, column: 2 });
    const noOutput = errorOf(
      '- rule: no output rule\n  desc: d\n  condition: evt.type=open\n  priority: INFO\n',
    );
    expect(noOutput.message).toBe("Item has no mapping for key 'output'");
    expect(where(noOutput).item).toBe('rule no output rule');
    expect(errorOf('- macro: bad_macro\n  nope: 1\n').message).toBe(
      "Item has no mapping for key 'condition'",
    );
    // a name that is present but empty
    expect(errorOf('- list:\n  items: [a]\n').message).toBe("Mapping for key 'list' is empty");
  });

  it('an unknown top-level item and an unknown key are warnings, and the rest loads', () => {
    const w = warningsOf(`- nothing: here\n${RULE('r', 'evt.type=open', '  colour: blue')}`);
    expect(w.map((x) => [x.code, x.message])).toEqual([
      ['LOAD_UNKNOWN_ITEM', 'Unknown top level item'],
      ['LOAD_UNKNOWN_KEY', "Unknown key 'colour'. The key will be ignored."],
    ]);
  });

  it('scalars are read as yaml-cpp reads them for Falco: untyped text, its booleans, null', () => {
    // `enabled: no` is false for yaml-cpp (YAML 1.2's core schema would call it a string)
    const { engine } = load(RULE('r', 'evt.type=open', '  enabled: no'));
    expect(engine.rules[0]!.enabled).toBe(false);
    // list items keep their text: 1.0 stays 1.0, 0x10 stays 0x10
    const { engine: e2 } = load(
      yaml`
      - list: l
        items: [1.0, 0x10]
      - rule: r
        desc: d
        condition: proc.name in (l)
        output: o
        priority: INFO`,
    );
    expect(e2.rules[0]!.condition).toBe('proc.name in ( 1.0, 0x10 )');
    expect(errorOf(RULE('r', 'evt.type=open', '  enabled: maybe')).message).toBe(
      "Can't decode YAML scalar value",
    );
  });

  it('a priority Falco does not know is refused at the priority', () => {
    const e = errorOf('- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: SEVERE\n');
    expect(e.message).toBe('Invalid priority');
    expect(where(e)).toEqual({ item: 'rule r', line: 4, column: 12 });
    // case does not matter, and "info" is Informational
    expect(
      load('- rule: r\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: info\n').engine
        .rules[0]!.priority,
    ).toBe(6);
  });

  it('an alias bomb is refused, not expanded', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 40; i++) text += `a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]\n`;
    const e = errorOf(`- list: bomb\n  items: *a39\n${text.replace(/^/gm, '  # ')}`);
    expect(e.code).toMatch(/^LOAD_ERR_YAML/);
  });
});

describe('required_engine_version and required_plugin_versions', () => {
  it('an engine version newer than scapkit matches is LOAD_ERR_VALIDATE', () => {
    const e = errorOf('- required_engine_version: 0.99.0\n');
    expect(e).toMatchObject({
      code: 'LOAD_ERR_VALIDATE',
      message: `Rules require engine version 0.99.0, but engine version is ${ENGINE_VERSION.join('.')}`,
    });
    expect(where(e).item).toBe('required_engine_version');
  });

  it('a bare number is a minor version (Falco 0.x); older and equal versions load', () => {
    expect(load('- required_engine_version: 17\n').results[0]!.successful).toBe(true);
    expect(load(`- required_engine_version: ${ENGINE_VERSION.join('.')}\n`).results[0]!.successful).toBe(
      true,
    );
    expect(errorOf(`- required_engine_version: ${ENGINE_VERSION[1] + 1}\n`).code).toBe('LOAD_ERR_VALIDATE');
  });

  it('a version that is not x.y.z', () => {
    expect(errorOf('- required_engine_version: not-a-number\n')).toMatchObject({
      code: 'LOAD_ERR_YAML_VALIDATE',
      message:
        'Unable to parse engine version \'not-a-number\' as a semver string. Expected "x.y.z" semver format.',
    });
  });

  it('a plugin scapkit does not provide is a warning; its rules that need it are skipped, the others run', () => {
    const text = yaml`
      - required_plugin_versions:
          - name: k8saudit
            version: 0.1.0
      - rule: audit rule
        desc: d
        condition: ka.verb=create
        output: o
        priority: INFO
      - rule: syscall rule
        desc: d
        condition: evt.type=open
        output: o
        priority: INFO`;
    const { engine, results } = load(text);
    const w = results[0]!.warnings;
    expect(results[0]!.successful).toBe(true);
    expect(w[0]).toMatchObject({ code: 'LOAD_UNKNOWN_SOURCE' });
    expect(w[0]!.message).toMatch(
      /^Plugin requirement not satisfied, must load one of: k8saudit \(>= 0\.1\.0\)/,
    );
    expect(w.find((x) => x.code === 'LOAD_UNKNOWN_FILTER')?.message).toBe(
      'filter_check called with nonexistent field ka.verb',
    );
    expect(engine.rules.map((r) => r.name)).toEqual(['syscall rule']);
    // the container plugin's fields are scapkit's own
    expect(warningsOf('- required_plugin_versions:\n  - name: container\n    version: 0.4.0\n')).toEqual([]);
  });

  it('a rule of a source scapkit does not evaluate is skipped with LOAD_UNKNOWN_SOURCE', () => {
    const { engine, results } = load(
      '- rule: audit\n  desc: d\n  condition: ka.verb=create\n  output: o\n  priority: INFO\n  source: k8s_audit\n',
    );
    expect(results[0]!.warnings.map((w) => [w.code, w.message])).toEqual([
      ['LOAD_UNKNOWN_SOURCE', 'Unknown source k8s_audit, skipping'],
    ]);
    expect(engine.rules).toEqual([]);
  });
});

describe('lists', () => {
  const rule = (cond: string) => `${RULE('r', cond)}\n`;

  it('are substituted as text, and can be used before they are defined', () => {
    const { engine } = load(
      `${rule('evt.type=open and proc.name in (cat_binaries)')}- list: cat_binaries\n  items: [cat, "my cat"]\n`,
    );
    // Falco's resolve_list: blanks around the name go with it; an item with a blank is quoted
    expect(engine.rules[0]!.condition).toBe('evt.type=open and proc.name in ( cat, "my cat" )');
  });

  it('only a whole word between delimiters is a list name', () => {
    const { engine } = load(
      `- list: cat\n  items: [dog]\n${rule('evt.type=open and proc.name in (cat_write, cat)')}`,
    );
    expect(engine.rules[0]!.condition).toBe('evt.type=open and proc.name in (cat_write, dog )');
  });

  it('an empty list takes a comma with it', () => {
    const { engine } = load(
      `- list: none\n  items: []\n${rule('evt.type=open and proc.name in (cat, none)')}`,
    );
    // the blank before the name and the one Falco writes after the (empty) items both stay
    expect(engine.rules[0]!.condition).toBe('evt.type=open and proc.name in (cat  )');
  });

  it('a list names other lists: those defined before it are expanded into it, later ones by the text pass', () => {
    const { engine } = load(
      yaml`
      - list: a
        items: [x]
      - list: b
        items: [a, y, c]
      - list: c
        items: [z]
      ` + rule('proc.name in (b)'),
    );
    // a is expanded into b when b is compiled; c stays an item of b, and the condition's substitution of
    // every list in definition order replaces it after b's
    expect(engine.rules[0]!.condition).toBe('proc.name in ( x, y, z )');
  });

  it('append (deprecated) and override append add items; a redefinition replaces them', () => {
    const base = '- list: l\n  items: [a]\n';
    const append = '- list: l\n  items: [b]\n  append: true\n';
    const override = '- list: l\n  items: [c]\n  override:\n    items: append\n';
    const { engine, results } = load(
      `${base}${append}${override}${rule('evt.type=open and proc.name in (l)')}`,
    );
    expect(engine.rules[0]!.condition).toBe('evt.type=open and proc.name in ( a, b, c )');
    expect(results[0]!.warnings.map((w) => w.code)).toEqual(['LOAD_DEPRECATED_ITEM']);
    expect(
      load(`${base}- list: l\n  items: [d]\n${rule('proc.name in (l)')}`).engine.rules[0]!.condition,
    ).toBe('proc.name in ( d )');
  });

  it('appending to a list that does not exist', () => {
    expect(errorOf('- list: l\n  items: [b]\n  append: true\n')).toMatchObject({
      code: 'LOAD_ERR_VALIDATE',
      message: "List uses 'append' or 'override.items: append' but no list by that name already exists",
    });
  });

  it('lists that name each other in a loop are refused', () => {
    const e = errorOf('- list: a\n  items: [x]\n- list: b\n  items: [a]\n- list: a\n  items: [b]\n');
    expect(e.code).toBe('LOAD_ERR_VALIDATE');
    expect(e.message).toBe("List 'a' refers to itself through other lists (a → b → a)");
  });

  it('unused lists and invalid names are warned about', () => {
    const w = warningsOf(`- list: "bad name"\n  items: [x]\n${rule('evt.type=open')}`);
    expect(w.map((x) => x.code)).toEqual(['LOAD_INVALID_LIST_NAME', 'LOAD_UNUSED_LIST']);
  });
});

describe('macros', () => {
  it('are expanded on the tree; a macro sees the macros defined before it, a rule sees them all', () => {
    const { engine } = load(
      yaml`
      - rule: r
        desc: d
        condition: opened and late
        output: o
        priority: INFO
      - macro: opened
        condition: evt.type=open
      - macro: late
        condition: proc.name=cat`,
    );
    expect(engine.rules).toHaveLength(1);
    const e = errorOf('- macro: a\n  condition: b\n- macro: b\n  condition: evt.type=open\n');
    expect(e).toMatchObject({ code: 'LOAD_ERR_VALIDATE', message: "Undefined macro 'b' used in filter." });
    expect(where(e)).toEqual({ item: 'macro a', line: 1, column: 13 });
  });

  it('an undefined macro in a rule, at its place in the condition', () => {
    const e = errorOf(
      '- rule: some rule\n  desc: d\n  condition: evt.type=open and bar\n  output: o\n  priority: INFO\n',
    );
    expect(e).toMatchObject({ code: 'LOAD_ERR_VALIDATE', message: "Undefined macro 'bar' used in filter." });
    expect(where(e)).toEqual({ item: 'rule some rule', line: 2, column: 31 });
  });

  it('a reference loop is an error, not a hang', () => {
    const e = errorOf(
      '- macro: macro_a\n  condition: evt.type=open\n- macro: macro_b\n  condition: macro_a\n- macro: macro_a\n  condition: macro_b\n',
    );
    expect(e.code).toBe('LOAD_ERR_VALIDATE');
    expect(e.message).toMatch(/^reference loop in macro 'macro_[ab]'$/);
  });

  it('append joins the conditions with a blank; override replace replaces', () => {
    const { engine } = load(
      yaml`
      - macro: m
        condition: evt.type=open
      - macro: m
        condition: and proc.name=cat
        override:
          condition: append
      - rule: r
        desc: d
        condition: m
        output: o
        priority: INFO`,
    );
    expect(engine.rules[0]!.eventTypes.size).toBeGreaterThan(0);
    expect(warningsOf('- macro: unused\n  condition: evt.type=open\n').map((w) => w.code)).toEqual([
      'LOAD_UNUSED_MACRO',
    ]);
    expect(warningsOf('- macro: 1bad\n  condition: evt.type=open\n').map((w) => w.code)).toEqual([
      'LOAD_INVALID_MACRO_NAME',
      'LOAD_UNUSED_MACRO',
    ]);
  });
});

describe('rules: append, override, enabled', () => {
  const base = RULE('r', 'evt.type=open');

  it('append adds to the condition; override replaces named keys; a key present without an override entry is an error', () => {
    const app = load(`${base}\n- rule: r\n  condition: and proc.name=cat\n  append: true\n`);
    expect(app.engine.rules[0]!.condition).toBe('evt.type=open and proc.name=cat');
    const over = load(`${base}\n- rule: r\n  priority: DEBUG\n  override:\n    priority: replace\n`);
    expect(over.engine.rules[0]!.priority).toBe(7);
    expect(
      errorOf(`${base}\n- rule: r\n  priority: DEBUG\n  desc: x\n  override:\n    priority: replace\n`)
        .message,
    ).toBe("Unexpected key 'desc': no corresponding entry under 'override' is defined.");
    expect(
      errorOf(`${base}\n- rule: r\n  priority: DEBUG\n  override:\n    priority: append\n`).message,
    ).toBe("Key 'priority' cannot be appended to, use 'replace' instead");
    expect(
      errorOf(`${base}\n- rule: r\n  condition: x\n  append: true\n  override:\n    condition: append\n`)
        .message,
    ).toMatch(/^Keys 'override' and 'append: true' cannot be used together/);
  });

  it('appending or replacing a rule that does not exist', () => {
    expect(errorOf('- rule: r\n  condition: and proc.name=cat\n  append: true\n').message).toBe(
      "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists",
    );
    expect(errorOf('- rule: r\n  priority: INFO\n  override:\n    priority: replace\n').message).toBe(
      "An 'override.<key>: replace' to a rule was requested but no rule by that name already exists",
    );
  });

  it('an item with only enabled switches an earlier rule (deprecated form) and needs one', () => {
    const { engine, results } = load(`${base}\n- rule: r\n  enabled: false\n`);
    expect(engine.rules[0]!.enabled).toBe(false);
    expect(results[0]!.warnings.map((w) => w.code)).toEqual(['LOAD_DEPRECATED_ITEM']);
    expect(errorOf('- rule: nothing\n  enabled: true\n').message).toBe(
      "Rule has 'enabled' key but no rule by that name already exists",
    );
  });

  it('a redefinition replaces the rule at its first place in the order', () => {
    const { engine } = load(
      `${RULE('a', 'evt.type=open')}\n${RULE('b', 'evt.type=close')}\n${RULE('a', 'evt.type=read')}`,
    );
    expect(engine.rules.map((r) => [r.name, r.condition])).toEqual([
      ['a', 'evt.type=read'],
      ['b', 'evt.type=close'],
    ]);
  });

  it('later files append to and override what earlier files defined', () => {
    const { engine, results } = load(
      base,
      '- rule: r\n  condition: and proc.name=cat\n  override:\n    condition: append\n',
    );
    expect(results.map((r) => r.successful)).toEqual([true, true]);
    expect(engine.rules[0]!.condition).toBe('evt.type=open and proc.name=cat');
  });
});

describe('conditions and outputs', () => {
  it('an unknown field is LOAD_ERR_COMPILE_CONDITION at its line and column, even in a folded condition', () => {
    const e = errorOf(
      '- rule: r\n  desc: d\n  condition: >\n    evt.type=open\n    and proc.nopename=x\n  output: o\n  priority: INFO\n',
    );
    expect(e).toMatchObject({
      code: 'LOAD_ERR_COMPILE_CONDITION',
      message: 'filter_check called with nonexistent field proc.nopename',
    });
    expect(where(e)).toEqual({ item: 'rule r', line: 4, column: 8 });
  });

  it('an error inside a macro points at the macro; one inside a list item at the item', () => {
    const inMacro = errorOf(
      '- macro: m\n  condition: proc.name=cat and fd.nonexistent=1\n' + RULE('r', 'evt.type=open and m'),
    );
    expect(where(inMacro)).toEqual({ item: 'rule r', line: 1, column: 31 });
    const inList = errorOf(`- list: ty\n  items: [open, opne]\n${RULE('r', 'evt.type in (ty)')}`);
    expect(inList.message).toBe('unknown event type opne');
    expect(where(inList)).toEqual({ item: 'rule r', line: 1, column: 16 });
  });

  it('skip-if-unknown-filter turns an unknown field or event type into a warning and skips the rule', () => {
    const text = yaml`
      - rule: Contains Unknown Event And Skipping (field)
        desc: d
        condition: evt.type=open and proc.nonexistent=foo
        output: o
        priority: INFO
        skip-if-unknown-filter: true
      - rule: Contains Unknown Event And Skipping (evt type)
        desc: d
        condition: evt.type=some-unknown-event
        output: o
        priority: INFO
        skip-if-unknown-filter: true
      - rule: Contains Unknown Event And Skipping (output)
        desc: d
        condition: evt.type=open
        output: "%proc.nonexistent"
        priority: INFO
        skip-if-unknown-filter: true`;
    const { engine, results } = load(text);
    expect(results[0]!.successful).toBe(true);
    expect(results[0]!.warnings.map((w) => [w.code, where(w).item])).toEqual([
      ['LOAD_UNKNOWN_FILTER', 'rule Contains Unknown Event And Skipping (field)'],
      ['LOAD_UNKNOWN_FILTER', 'rule Contains Unknown Event And Skipping (evt type)'],
      ['LOAD_UNKNOWN_FILTER', 'rule Contains Unknown Event And Skipping (output)'],
    ]);
    expect(engine.rules).toEqual([]);
    expect(errorOf(RULE('Contains Unknown Event And Unspecified', 'evt.type=some-unknown-event')).code).toBe(
      'LOAD_ERR_COMPILE_CONDITION',
    );
  });

  it('an output with an unknown field is LOAD_ERR_COMPILE_OUTPUT', () => {
    const e = errorOf(
      '- rule: rule_with_invalid_output\n  desc: d\n  condition: evt.type=open\n  output: "%not_a_real_field"\n  priority: INFO\n',
    );
    expect(e.code).toBe('LOAD_ERR_COMPILE_OUTPUT');
    expect(e.message).toMatch(/invalid formatting token/);
    expect(where(e).item).toBe('rule rule_with_invalid_output');
  });

  it('LOAD_NO_EVTTYPE for a rule without an evt.type restriction, unless warn_evttypes is false or it never matches', () => {
    expect(warningsOf(RULE('r', 'proc.name=cat')).map((w) => [w.code, w.message])).toEqual([
      [
        'LOAD_NO_EVTTYPE',
        'Rule matches too many evt.type values. This has a significant performance penalty.',
      ],
    ]);
    expect(warningsOf(RULE('r', 'proc.name=cat', '  warn_evttypes: false'))).toEqual([]);
    expect(warningsOf(RULE('r', 'evt.num=0 and proc.name=cat'))).toEqual([]);
  });

  it("an evt.type check Falco's event type search cannot read is LOAD_ERR_COMPILE_CONDITION at the check", () => {
    const e = errorOf(RULE('r', 'proc.name=cat and tolower(evt.type)=open'));
    expect(e).toMatchObject({
      code: 'LOAD_ERR_COMPILE_CONDITION',
      message: 'event code search does not support `evt.type` checks with transformers',
    });
    // Falco's 0-based position: the third line (`  condition: proc.name=cat and tolower(…`), at `tolower`.
    expect(where(e)).toEqual({ item: 'rule r', line: 2, column: 31 });
    expect(errorOf(RULE('r', 'evt.type=val(proc.name)')).message).toBe(
      'right-hand field comparisons on `evt.type`/`syscall.type` checks are not supported by event code search',
    );
    // Negated evt.type checks leave nearly every type: Falco warns.
    expect(warningsOf(RULE('r', 'evt.type!=open and not evt.type in (open, close)'))).toEqual([
      expect.objectContaining({ code: 'LOAD_NO_EVTTYPE' }),
    ]);
  });

  it('a regex that would backtrack for ever loads (RE2), a back-reference is a load error at its place', () => {
    expect(load(RULE('r', 'evt.type=open and proc.name regex "(a+)+$"')).results[0]!.successful).toBe(true);
    const e = errorOf(RULE('r', 'evt.type=open and proc.name regex "(a)\\\\1"'));
    expect(e.code).toBe('LOAD_ERR_COMPILE_CONDITION');
    expect(e.message).toMatch(/^invalid regular expression/);
    expect(where(e)).toEqual({ item: 'rule r', line: 2, column: 47 });
  });

  it('a syntax error in a condition is LOAD_ERR_COMPILE_CONDITION at the character', () => {
    const e = errorOf(RULE('r', '"evt.type=open and (proc.name=cat"'));
    expect(e.code).toBe('LOAD_ERR_COMPILE_CONDITION');
    expect(e.message).toMatch(/expected '\)'/);
  });
});

describe('exceptions, compiled as Falco compiles them', () => {
  const withExceptions = (exceptions: string) =>
    load(`${RULE('r', 'evt.type=open')}  exceptions:\n${exceptions.replace(/^/gm, '    ')}\n`);

  it('a single field compares with `in` against every value', () => {
    const { engine } = withExceptions('- name: ex1\n  fields: proc.name\n  values: [cat, "my cat"]');
    expect(engine.rules[0]!.condition).toBe('(evt.type=open) and not (proc.name in (cat, "my cat"))');
  });

  it('a tuple of fields gives one conjunction per value tuple, with comps, lists and quoted values', () => {
    const { engine } = withExceptions(
      yaml`
      - name: ex1
        fields: [proc.name, fd.name]
        comps: [=, startswith]
        values:
          - [cat, /etc]
          - [sh, "/var/my dir"]
      - name: ex2
        fields: [proc.name, fd.directory]
        comps: [=, in]
        values:
          - [bash, [/tmp, /var/tmp]]
          - [dash, "(/usr, /opt)"]`,
    );
    expect(engine.rules[0]!.condition).toBe(
      '(evt.type=open)' +
        // Falco writes " and " then " field": two blanks
        ' and not (( proc.name = cat and  fd.name startswith /etc) or ( proc.name = sh and  fd.name startswith "/var/my dir"))' +
        ' and not (( proc.name = bash and  fd.directory in (/tmp, /var/tmp)) or ( proc.name = dash and  fd.directory in (/usr, /opt)))',
    );
  });

  it('values appended to an exception by a later item; a new exception needs values', () => {
    const { engine } = load(
      `${RULE('r', 'evt.type=open')}  exceptions:\n    - name: ex1\n      fields: proc.name\n      values: [cat]\n` +
        '- rule: r\n  exceptions:\n    - name: ex1\n      values: [dog]\n  override:\n    exceptions: append\n',
    );
    expect(engine.rules[0]!.condition).toBe('(evt.type=open) and not (proc.name in (cat, dog))');
    const noFields = errorOf(
      `${RULE('r', 'evt.type=open')}\n- rule: r\n  exceptions:\n    - name: new\n      values: [x]\n  override:\n    exceptions: append\n`,
    );
    expect(noFields.message).toBe('Rule exception must have fields property with a list of fields');
    expect(where(noFields).item).toBe('exception new');
  });

  it('checks Falco makes: lengths, operators, fields', () => {
    const ex = (e: string) =>
      errorOf(`${RULE('r', 'evt.type=open')}  exceptions:\n${e.replace(/^/gm, '    ')}\n`);
    expect(ex('- name: ex1\n  fields: [proc.name, fd.name]\n  comps: [=]\n  values: []').message).toBe(
      'Fields and comps lists must have equal length',
    );
    expect(ex('- name: ex1\n  fields: [proc.name]\n  comps: [~~]\n  values: []').message).toBe(
      "'~~' is not a supported comparison operator",
    );
    expect(ex('- name: ex1\n  fields: [proc.nope]\n  values: []').message).toBe(
      "'proc.nope' is not a supported filter field",
    );
    expect(ex('- name: ex1\n  fields: [proc.name, fd.name]\n  values: [[cat]]').message).toBe(
      'Fields and values lists must have equal length',
    );
    expect(ex('- name: ex1\n  fields: proc.name\n  comps: =\n  values: [x]').message).toMatch(
      /^When fields is a single value, comps must be one of \(in, pmatch, intersects\)/,
    );
    expect(ex('- fields: [proc.name]\n  values: []').message).toBe("Item has no mapping for key 'name'");
    const dup = warningsOf(
      `${RULE('r', 'evt.type=open')}  exceptions:\n    - name: a\n      fields: proc.name\n      values: [x]\n    - name: a\n      fields: fd.name\n      values: [y]\n`,
    );
    expect(dup.map((w) => w.code)).toEqual(['LOAD_EXCEPTION_NAME_NOT_UNIQUE']);
  });
});

describe('bad input never ends in a stack trace', () => {
  it('a rules file over the size limit is one error at the limit, not a parse of it', () => {
    const { results } = load(`# ${'x'.repeat(80)}\n`.repeat(Math.ceil((MAX_RULES_BYTES + 100) / 83)));
    const e = results[0]!.errors[0]!;
    expect(e.code).toBe('LOAD_ERR_FILE_READ');
    expect(e.message).toMatch(/^rules file is larger than 16 MiB/);
    // the position says how far it was read: the line of the limit
    expect(where(e).line).toBe(Math.floor(MAX_RULES_BYTES / 83));
  });

  it('conditions nested deeper than the parser goes are an error', () => {
    const e = errorOf(RULE('r', `"${'('.repeat(2000)}evt.type=open${')'.repeat(2000)}"`));
    expect(e.code).toBe('LOAD_ERR_COMPILE_CONDITION');
    expect(e.message).toMatch(/nests deeper/);
  });
});
