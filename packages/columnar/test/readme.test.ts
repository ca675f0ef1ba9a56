// The README says what the code does: its column table is the one the schema makes, and the questions it
// shows are examples/fleet/questions.sql's, as DuckDB and Spark run them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventColumnsMarkdown } from '@scapkit/columnar';
import { describe, expect, it } from 'vitest';
import { repo } from './support/replay-columns.js';

const readme = readFileSync(join(repo, 'packages/columnar/README.md'), 'utf8');

describe('README', () => {
  it('shows the events columns as the schema defines them', () => {
    expect(readme).toContain(eventColumnsMarkdown());
  });

  it("shows examples/fleet/questions.sql's questions", () => {
    const sql = readFileSync(join(repo, 'examples/fleet/questions.sql'), 'utf8');
    for (const block of sql.split(/^-- name: /m).slice(1)) {
      const body = block
        .split('\n')
        .slice(1)
        .filter((l) => !l.startsWith('--'))
        .join('\n')
        .trim();
      expect(readme).toContain(body);
    }
  });
});
