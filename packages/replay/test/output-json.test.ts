// -j quotes strings with a shortcut (a concatenation when nothing needs escaping): it must write exactly
// what JSON.stringify writes, for any string, lone surrogates and controls included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFieldRegistry, fieldJson } from '../src/index.js';

describe('fieldJson on strings', () => {
  const field = createFieldRegistry().resolve('proc.name');
  it('is JSON.stringify', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        expect(fieldJson(field, s)).toBe(JSON.stringify(s));
      }),
      { numRuns: 5000 },
    );
    for (const s of [
      '',
      'a"b',
      'a\\b',
      '\n',
      '\u001f',
      '\u007f',
      '\u2028',
      '\ud83d\ude00',
      '\ud800',
      'x\udfff',
    ])
      expect(fieldJson(field, s)).toBe(JSON.stringify(s));
  });
});
