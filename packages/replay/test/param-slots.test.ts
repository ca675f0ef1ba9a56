// The state engine finds a named parameter through a slot table (state/param-slots.ts) whose entry for an
// event type is looked up in the event table the first time an event of that type asks (a cold import reads
// no parameter list). It must say exactly what each event type's own name index says, for every name of the
// table and for a name no type has, on the first ask and after it, and -1 where the event stops before it.
// ParamReader reads one parameter without locating the others: it must find and read what slotIndex and
// paramInt/paramUint do, on recorded events of every layout and on events cut short.
import { EVENT_MAX, EVENTS, EventView, paramInt, paramUint } from '@scapkit/scap-format';
import { openCaptureFile } from '@scapkit/scap-format/node';
import { describe, expect, it } from 'vitest';
import { ParamReader, paramSlot, slotIndex } from '../src/state/param-slots.js';
import { CAPTURES } from './support/replay-capture.js';

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

describe('ParamReader', () => {
  const names = ['fd', 'res', 'oldfd', 'dirfd', 'flags', 'vm_size', 'pgft_min', 'size', 'tid', 'ino', 'cmd'];
  const slots = names.map(paramSlot);
  /** What slotIndex and paramInt/paramUint say of every slot of the event `v` is on, and what the reader says. */
  const both = (v: EventView, reader: ParamReader) => {
    const want: (string | number)[] = [];
    const got: (string | number)[] = [];
    for (const slot of slots) {
      const i = slotIndex(v, slot);
      want.push(i < 0 ? 'absent' : `${paramInt(v, i)}/${paramUint(v, i)}`);
      got.push(reader.find(v, slot) ? `${reader.int()}/${reader.uint()}` : 'absent');
    }
    return { want, got };
  };

  it('reads what slotIndex and paramInt read, on every event of two captures', async () => {
    const reader = new ParamReader();
    const v = new EventView();
    let events = 0;
    for (const name of ['open-multiple-files', 'curl_google']) {
      for await (const r of openCaptureFile(`${CAPTURES}/${name}.scap`)) {
        if (r.kind !== 'events') continue;
        for (let i = 0; i < r.batch.count; i++) {
          const { want, got } = both(v.at(r.batch, i), reader);
          if (got.join() !== want.join()) expect(got).toEqual(want);
          events++;
        }
      }
    }
    expect(events).toBeGreaterThan(1000);
  });

  it('counts a parameter absent where the event is cut before its end or its length array', async () => {
    const reader = new ParamReader();
    const v = new EventView();
    let cut = 0;
    for await (const r of openCaptureFile(`${CAPTURES}/open-multiple-files.scap`)) {
      if (r.kind !== 'events') continue;
      for (let i = 0; i < r.batch.count; i++) {
        v.at(r.batch, i);
        // The same event with its length field cut short, a byte at a time down to its header (the
        // parameters the reader looks for are in the event's first 64 bytes).
        const bytes = r.batch.data.slice(v.off - 4, v.off + v.len);
        const dv = new DataView(bytes.buffer);
        for (let len = Math.min(v.len - 1, 64); len >= 26; len--) {
          dv.setUint32(4 + 16, len, true);
          const { want, got } = both(new EventView().atOffset(bytes, 4), reader);
          if (got.join() !== want.join()) expect(got).toEqual(want);
          cut++;
        }
      }
    }
    expect(cut).toBeGreaterThan(5000);
  });
});
