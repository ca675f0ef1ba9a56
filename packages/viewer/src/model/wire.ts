// The server's answers as JSON lines (`scapkit view`'s /api): typed arrays — a model's series, the bytes of
// an I/O stream — would otherwise become objects keyed by index. A Float64Array travels as
// {"$f64": [numbers]}, a Uint8Array as {"$u8": "base64"}; the page's reviver turns them back.

/** JSON.stringify's replacer on the server. */
export function wireReplacer(_key: string, v: unknown): unknown {
  if (v instanceof Float64Array) return { $f64: Array.from(v) };
  if (v instanceof Uint8Array) return { $u8: toBase64(v) };
  return v;
}

/** JSON.parse's reviver in the page. */
export function wireReviver(_key: string, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as { $f64?: number[]; $u8?: string };
    if (o.$f64 !== undefined) return Float64Array.from(o.$f64);
    if (o.$u8 !== undefined) return fromBase64(o.$u8);
  }
  return v;
}

function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
