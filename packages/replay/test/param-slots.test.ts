// The state engine finds a named parameter through a slot table (state/param-slots.ts) whose entry for an
// event type is looked up in the event table the first time an event of that type asks (a cold import reads
// no parameter list). It must say exactly what each event type's own name index says, for every name of the
// table and for a name no type has, on the first ask and after it, and -1 where the event stops before it.
import { EVENT_MAX, EVENTS, type EventView } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { paramSlot, slotIndex } from '../src/state/param-slots.js';

/** An event of `type` carrying `count` parameters: all slotIndex reads of a view. */
const eventOf = (type: number, count = 255): EventView =>
  ({ type, paramCount: () => count }) as unknown as EventView;

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
        // Twice: the first ask fills the type's entry, the second reads it.
        for (const got of [slotIndex(eventOf(e.id), slot), slotIndex(eventOf(e.id), slot)])
          if (got !== want) wrong.push(`${name} in ${e.name} (${e.id}): ${got}, want ${want}`);
      }
      expect(slot.byType.every((i) => i >= -1)).toBe(true);
    }
    expect(wrong).toEqual([]);
  });

  it('is -1 where the event stops before the parameter, and for a type beyond the table', () => {
    const fd = paramSlot('fd');
    const closeExit = EVENTS.findIndex((e) => e.name === 'close' && e.dir === '<' && e.paramIndex.has('fd'));
    const i = EVENTS[closeExit]?.paramIndex.get('fd') ?? -1;
    expect(i).toBeGreaterThan(0);
    expect(slotIndex(eventOf(closeExit, i + 1), fd)).toBe(i);
    expect(slotIndex(eventOf(closeExit, i), fd)).toBe(-1);
    expect(slotIndex(eventOf(EVENT_MAX + 1), fd)).toBe(-1);
  });

  it('is -1 everywhere for a name no event has, and one slot per name', () => {
    const none = paramSlot('no-such-parameter');
    for (let t = 0; t < EVENT_MAX; t++) expect(slotIndex(eventOf(t), none)).toBe(-1);
    expect(none.byType.every((i) => i === -1)).toBe(true);
    expect(paramSlot('fd')).toBe(paramSlot('fd'));
  });
});
