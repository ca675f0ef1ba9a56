// TextOutput writes exactly the UTF-8 of each line and a newline, whatever the lines hold: short ASCII ones
// are copied by hand, the others go through the encoder, lines longer than the buffer on their own.
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextOutput } from '../src/output.js';

function collector(): { out: Writable; bytes: () => Buffer } {
  const parts: Buffer[] = [];
  const out = new Writable({
    write(chunk, _enc, cb) {
      parts.push(Buffer.from(chunk));
      cb();
    },
  });
  return { out, bytes: () => Buffer.concat(parts) };
}

describe('TextOutput', () => {
  it('writes the UTF-8 of every line, each followed by a newline', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 30 }),
            fc.string({ unit: 'grapheme', maxLength: 30 }),
            fc.string({ maxLength: 300 }),
          ),
          {
            maxLength: 200,
          },
        ),
        async (lines) => {
          const { out, bytes } = collector();
          const t = new TextOutput(out, 256, false);
          for (const l of lines) t.line(l);
          await t.flush();
          expect(bytes().equals(Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8'))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
