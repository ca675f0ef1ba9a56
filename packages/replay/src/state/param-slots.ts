// Where a named parameter sits in each event type, looked up in the event table the first time an event of
// that type asks (a cold import reads no parameter list, issue #18), so that the state engine finds `fd`,
// `res`, `name` … of the current event with an array read instead of a Map lookup per event.
// Events keep the layouts they were recorded with; a slot says -1 where a type lacks the parameter.
import { EVENT_MAX, EVENTS, type EventView } from '@scapkit/scap-format';

/** A parameter name and its index in every event type (-1: the type has no such parameter; -2: not looked up yet). */
export interface ParamSlot {
  readonly name: string;
  readonly byType: Int16Array;
}

const slots = new Map<string, ParamSlot>();
/** A byType entry not looked up yet. */
const UNFILLED = -2;

/** The slot of parameter `name` (one per name, made on first use; each type's index found when first asked). */
export function paramSlot(name: string): ParamSlot {
  let s = slots.get(name);
  if (!s) {
    s = { name, byType: new Int16Array(EVENT_MAX).fill(UNFILLED) };
    slots.set(name, s);
  }
  return s;
}

/** Looks up (once per slot and type) where `slot`'s parameter sits in `type`'s layout. */
function fill(slot: ParamSlot, type: number): number {
  const i = EVENTS[type]?.paramIndex.get(slot.name) ?? -1;
  slot.byType[type] = i;
  return i;
}

/** The index of `slot` in the event `v` is on, -1 when its type lacks it or this event stops before it. */
export function slotIndex(v: EventView, slot: ParamSlot): number {
  const type = v.type;
  let i = slot.byType[type] ?? -1;
  if (i === UNFILLED) i = fill(slot, type);
  return i >= 0 && i < v.paramCount() ? i : -1;
}
