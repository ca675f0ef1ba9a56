// Path arithmetic the way libsinsp does it (sinsp_utils::concatenate_paths): a relative path is joined to
// the directory it is relative to, `.` and `..` components are resolved and repeated slashes collapsed.

/** Joins `path` to `dir` (ignored when `path` is absolute) and normalises the result. */
export function concatenatePaths(dir: string, path: string): string {
  if (path.length === 0) return dir;
  const full =
    path.charCodeAt(0) === 47 || dir.length === 0 ? path : dir.endsWith('/') ? dir + path : `${dir}/${path}`;
  return normalize(full);
}

function normalize(p: string): string {
  if (p.indexOf('/.') < 0 && p.indexOf('//') < 0 && !p.startsWith('./') && !p.startsWith('..')) return p;
  const abs = p.charCodeAt(0) === 47;
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  const trailing = p.endsWith('/') && joined.length > 0 ? '/' : '';
  return abs ? `/${joined}${trailing}` : joined + trailing;
}
