// sinsp's sanitize_string: the names it shows (fd names, unix socket paths) lose their control characters.
// One definition for the reader's socket texts and replay's fd names.

/** `s` without C0 control characters and DEL; `s` itself when it has none (the common case: no copy). */
export function sanitizeString(s: string): string {
  let clean = true;
  for (let i = 0; i < s.length && clean; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) clean = false;
  }
  if (clean) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f) out += s[i];
  }
  return out;
}
