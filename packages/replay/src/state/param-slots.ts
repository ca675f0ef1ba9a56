// Where a named parameter sits in each event type, looked up in the event table the first time an event of
// that type asks (a cold import reads no parameter list, issue #18), so that the state engine finds `fd`,
// `res`, `name` … of the current event with an array read instead of a Map lookup per event.
// Events keep the layouts they were recorded with; a slot says -1 where a type lacks the parameter.
// A ParamReader reads one such parameter from the event's length array without locating the others: the
// state path reads the fd or the result of most events and nothing else.
import { EVENT_HEADER_SIZE, EVENT_MAX, EVENTS, type EventView, eventTypeTable } from '@scapkit/scap-format';

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

/** The index of `slot` in `type`'s layout, -1 when the type lacks it. */
function indexIn(slot: ParamSlot, type: number): number {
  const i = slot.byType[type] ?? -1;
  return i === UNFILLED ? fill(slot, type) : i;
}

/** The index of `slot` in the event `v` is on, -1 when its type lacks it or this event stops before it. */
export function slotIndex(v: EventView, slot: ParamSlot): number {
  const i = indexIn(slot, v.type);
  return i >= 0 && i < v.paramCount() ? i : -1;
}

const TWO32 = 4294967296;
const EMPTY = new Uint8Array(0);
/** 1 for the types whose parameter lengths are u32 (EF_LARGE_PAYLOAD), else u16. */
const wideTypes = eventTypeTable(() => {
  const wide = new Uint8Array(EVENT_MAX);
  for (let t = 0; t < EVENT_MAX; t++) wide[t] = EVENTS[t]?.largePayload === true ? 1 : 0;
  return wide;
});

/**
 * Finds one parameter of an event from the event's length array (the lengths before it summed), where
 * EventView locates every parameter on first use: what `slotIndex` and `paramInt` give, without the
 * others. A parameter is present as EventView counts it: within the header's count and within the event.
 */
export class ParamReader {
  /** Offset in the event's bytes and length of the parameter find() found last. */
  private at = 0;
  private len = 0;
  private data: Uint8Array = EMPTY;
  private dv: DataView = new DataView(EMPTY.buffer);
  private readonly wide = wideTypes();

  /** Whether `v`'s event has `slot`'s parameter; it is then the one int() and uint() read. */
  find(v: EventView, slot: ParamSlot): boolean {
    const type = v.type;
    // Types beyond the table have no slot (byType has EVENT_MAX entries).
    const i = indexIn(slot, type);
    if (i < 0) return false;
    const data = v.data;
    if (data !== this.data) {
      this.data = data;
      this.dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    }
    const dv = this.dv;
    const off = v.off;
    const n = v.nparams;
    if (i >= n) return false;
    const end = off + v.len;
    let q = off + EVENT_HEADER_SIZE;
    let p: number;
    let l: number;
    if (this.wide[type] === 1) {
      p = q + n * 4;
      if (p > end) return false;
      for (const last = q + i * 4; q < last; q += 4) p += dv.getUint32(q, true);
      l = dv.getUint32(q, true);
    } else {
      p = q + n * 2;
      if (p > end) return false;
      for (const last = q + i * 2; q < last; q += 2) p += dv.getUint16(q, true);
      l = dv.getUint16(q, true);
    }
    // The parameter or one before it overruns the event: EventView counts it absent.
    if (p + l > end) return false;
    this.at = p;
    this.len = l;
    return true;
  }

  /** The parameter find() found, as a signed integer of its stored width (0 for another width). */
  int(): number {
    const dv = this.dv;
    const p = this.at;
    switch (this.len) {
      case 8:
        return dv.getInt32(p + 4, true) * TWO32 + dv.getUint32(p, true);
      case 4:
        return dv.getInt32(p, true);
      case 2:
        return dv.getInt16(p, true);
      case 1:
        return dv.getInt8(p);
      default:
        return 0;
    }
  }

  /** The first two bytes of the parameter find() found, as an unsigned integer (EventView.paramU16). */
  u16(): number {
    return this.dv.getUint16(this.at, true);
  }

  /** The parameter find() found, as an unsigned integer of its stored width (exact below 2^53). */
  uint(): number {
    const dv = this.dv;
    const p = this.at;
    switch (this.len) {
      case 8:
        return dv.getUint32(p + 4, true) * TWO32 + dv.getUint32(p, true);
      case 4:
        return dv.getUint32(p, true);
      case 2:
        return dv.getUint16(p, true);
      case 1:
        return dv.getUint8(p);
      default:
        return 0;
    }
  }
}
