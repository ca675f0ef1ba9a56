// A user's chisel by path (`-c ./my-chisel.js`): an ES module whose default export is a ChiselDefinition.
import { basename, extname, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ChiselError, isChiselDefinition } from '../chisels/loader.js';
import type { ChiselDefinition } from '../chisels/types.js';

/**
 * Imports the chisel module at `path` (relative to the working directory) and returns its definition,
 * named after the file when it has no name. Pass it as `importModule` to loadChisel, parseChiselCommandLine
 * or describeChisel. A missing file, a module that fails to load or one that exports no chisel is a
 * ChiselError.
 */
export async function importChiselModule(path: string): Promise<ChiselDefinition> {
  const abs = resolvePath(path);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const hint = /\.m?ts$/.test(abs)
      ? ' (a .ts chisel needs a Node that can import TypeScript; compile it to .js)'
      : '';
    throw new ChiselError(`cannot load chisel module ${path}: ${why}${hint}`);
  }
  if (!isChiselDefinition(mod.default)) {
    throw new ChiselError(
      `${path} does not default-export a chisel (an object with description and create(args, env))`,
    );
  }
  const d = mod.default;
  // A module without a name is known by its file name.
  return typeof d.name === 'string' && d.name !== '' ? d : { ...d, name: basename(abs, extname(abs)) };
}
