// Issue #16: no non-null assertion on an index read (`a[i]!`) in packages/*/src. With
// noUncheckedIndexedAccess such a read is `T | undefined`; the assertion hides what the check is for. An
// index from input gets a real check (the package's error or a default), one the code guarantees a read
// that needs none (docs/DEVELOPING.md). Found on the syntax tree, so comments and `!==` do not count.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mts|cts)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** `file:line:column` of each `x[i]!` in one source file. */
function indexAssertions(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const kind = file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isNonNullExpression(n) && ts.isElementAccessExpression(n.expression)) {
      const { line, character } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
      found.push(`${relative(root, file)}:${line + 1}:${character + 1}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

test('no `a[i]!` in packages/*/src', () => {
  const packages = readdirSync(join(root, 'packages'), { withFileTypes: true }).filter((e) =>
    e.isDirectory(),
  );
  const files = packages.flatMap((p) => {
    const src = join(root, 'packages', p.name, 'src');
    return existsSync(src) ? sources(src) : [];
  });
  expect(files.length).toBeGreaterThan(100); // the walk found the sources
  expect(files.flatMap(indexAssertions), '`a[i]!` in packages/*/src (see docs/DEVELOPING.md)').toEqual([]);
});
