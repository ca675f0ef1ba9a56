// evt.info writes each parameter's `name=` from argNames (render/params.ts), made once per event layout (type
// and number of parameters): the names must be those of the schema the values render by (sysdig 0.29.3's
// table for its layouts, libs HEAD's for longer ones), the bytes their UTF-8 with '=', on first ask and after.
import { EVENT_MAX, EVENTS, type EventView } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { argNames, renderInfo } from '../src/render/params.js';

/** An event of `type` carrying `count` parameters: all argNames reads of a view. */
const eventOf = (type: number, count: number): EventView =>
  ({
    type,
    paramCount: () => count,
    info: type < EVENT_MAX ? EVENTS[type] : undefined,
  }) as unknown as EventView;

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('argNames', () => {
  it('names every layout of every event as its rendering schema does, the same object on the second ask', () => {
    const wrong: string[] = [];
    for (const e of EVENTS) {
      for (let n = 0; n <= e.paramCount + 1; n++) {
        const v = eventOf(e.id, n);
        const info = renderInfo(v) ?? v.info;
        const want = Array.from(
          { length: n },
          (_, i) => info?.params[i]?.name ?? v.info?.params[i]?.name ?? `arg${i}`,
        );
        const got = argNames(v);
        expect(argNames(eventOf(e.id, n))).toBe(got);
        if (got.names.join(',') !== want.join(',')) wrong.push(`${e.name} (${e.id}) x${n}: ${got.names}`);
        const parts = want.map((_, i) => text(got.bytes.subarray(got.starts[i], got.starts[i + 1])));
        if (parts.join('') !== want.map((w) => `${w}=`).join('') || got.starts[n] !== got.bytes.length)
          wrong.push(`${e.name} (${e.id}) x${n}: bytes ${parts}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('takes the layout into account: a read exit in 0.29.3 layout and in the current one', () => {
    const readExit = EVENTS.findIndex((e) => e.name === 'read' && e.dir === '<');
    expect(argNames(eventOf(readExit, 2)).names).toEqual(['res', 'data']);
    expect(argNames(eventOf(readExit, 4)).names).toEqual(['res', 'data', 'fd', 'size']);
  });

  it('names the parameters of a type beyond the table arg0, arg1, …', () => {
    const got = argNames(eventOf(EVENT_MAX + 3, 2));
    expect(got.names).toEqual(['arg0', 'arg1']);
    expect(text(got.bytes)).toBe('arg0=arg1=');
  });
});
