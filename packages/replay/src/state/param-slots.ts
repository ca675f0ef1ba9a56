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

/** The slot of parameter `name` (one per name, made on first use). */
export function paramSlot(name: string): ParamSlot {
  let s = slots.get(name);
  if (!s) {
    const byType = new Int16Array(EVENT_MAX).fill(-1);
    for (const [id, e] of EVENTS.entries()) if (id < EVENT_MAX) byType[id] = e.paramIndex.get(name) ?? -1;
    s = { name, byType };
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
