// The `regex` operator's engine for browser bundles (package.json `browser` swaps it for regex-engine.ts):
// imported statically, since a browser cannot load a module synchronously when a filter first needs it.
import { RE2JS } from 're2js';

/** The RE2JS class. */
export function regexEngine(): typeof RE2JS {
  return RE2JS;
}
