// Where a named parameter sits in each event type, computed once from the event table, so that the state
// engine finds `fd`, `res`, `name` … of the current event with an array read instead of a Map lookup per
// event. Events keep the layouts they were recorded with; a slot says -1 where a type lacks the parameter.
import { EVENT_MAX, EVENTS, type EventView } from '@scapkit/scap-format';

/** A parameter name and its index in every event type (-1: the type has no such parameter). */
export interface ParamSlot {
  readonly name: string;
  readonly byType: Int16Array;
}

const slots = new Map<string, ParamSlot>();
/** Every parameter name's index in every event type, made in one pass over the table on first use. */
let indexByName: Map<string, Int16Array> | undefined;

function indexesByName(): Map<string, Int16Array> {
  if (indexByName) return indexByName;
  const made = new Map<string, Int16Array>();
  for (let id = 0; id < EVENT_MAX; id++) {
    const params = EVENTS[id]?.params;
    if (params === undefined) continue;
    // Where a type repeats a name, the last one counts, as in the type's own paramIndex.
    for (let i = 0; i < params.length; i++) {
      const name = params[i]?.name;
      if (name === undefined) continue;
      let byType = made.get(name);
      if (byType === undefined) {
        byType = new Int16Array(EVENT_MAX).fill(-1);
        made.set(name, byType);
      }
      byType[id] = i;
    }
  }
  indexByName = made;
  return made;
}

/** The slot of parameter `name` (one per name, made on first use). */
export function paramSlot(name: string): ParamSlot {
  let s = slots.get(name);
  if (!s) {
    s = { name, byType: indexesByName().get(name) ?? new Int16Array(EVENT_MAX).fill(-1) };
    slots.set(name, s);
  }
  return s;
}

/** The index of `slot` in the event `v` is on, -1 when its type lacks it or this event stops before it. */
export function slotIndex(v: EventView, slot: ParamSlot): number {
  const type = v.type;
  const i = slot.byType[type] ?? -1;
  return i >= 0 && i < v.paramCount() ? i : -1;
}
