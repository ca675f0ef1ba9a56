// Integer and string-list parameters read the way every consumer of events needs them: an integer at
// whatever width the event stored it (old layouts sometimes differ from the table), a NUL-separated list
// (args, env, cgroups) as its strings.
import type { EventView } from '../event.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Parameter `i` as a signed integer of its stored width (8, 4, 2 or 1 bytes); 0 when it has another. */
export function paramInt(v: EventView, i: number): number {
  switch (v.paramLength(i)) {
    case 8:
      return v.paramI64(i);
    case 4:
      return v.paramI32(i);
    case 2:
      return v.paramI16(i);
    case 1:
      return v.paramI8(i);
    default:
      return 0;
  }
}

/** Parameter `i` as an unsigned integer of its stored width (exact below 2^53); 0 when it has another. */
export function paramUint(v: EventView, i: number): number {
  switch (v.paramLength(i)) {
    case 8:
      return v.paramU64(i);
    case 4:
      return v.paramU32(i);
    case 2:
      return v.paramU16(i);
    case 1:
      return v.paramU8(i);
    default:
      return 0;
  }
}

/**
 * A NUL-separated list (args, env, cgroups) as its strings; a last item without its NUL counts too. One
 * decode for the whole list (a NUL is never part of a multi-byte character, so splitting after decoding
 * gives what decoding each item would).
 */
export function splitNulList(b: Uint8Array): string[] {
  if (b.length === 0) return [];
  const items = utf8.decode(b).split('\0');
  if (b[b.length - 1] === 0) items.pop();
  return items;
}
