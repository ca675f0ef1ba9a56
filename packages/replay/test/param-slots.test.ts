// The state engine finds a named parameter through a slot table made in one pass over the event table
// (state/param-slots.ts, built on first use to keep import cheap). It must say exactly what each event
// type's own name index says, for every name of the table and for a name no type has.
import { EVENT_MAX, EVENTS } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { paramSlot } from '../src/state/param-slots.js';

describe('paramSlot', () => {
  const names = new Set<string>();
  for (const e of EVENTS) for (const p of e.params) names.add(p.name);

  it('gives each type the index its paramIndex gives, -1 where it has no such parameter', () => {
    expect(names.size).toBeGreaterThan(50);
    const wrong: string[] = [];
    for (const name of names) {
      const slot = paramSlot(name);
      expect(slot.byType.length).toBe(EVENT_MAX);
      for (const e of EVENTS) {
        const want = e.paramIndex.get(name) ?? -1;
        if (slot.byType[e.id] !== want)
          wrong.push(`${name} in ${e.name} (${e.id}): ${slot.byType[e.id]}, want ${want}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('is -1 everywhere for a name no event has, and one slot per name', () => {
    const none = paramSlot('no-such-parameter');
    expect(none.byType.every((i) => i === -1)).toBe(true);
    expect(paramSlot('fd')).toBe(paramSlot('fd'));
  });
});
