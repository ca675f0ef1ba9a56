// The page writer's levels and encodings read back by DuckDB, and its page headers against
// hyparquet-writer's Thrift serializer: optional columns of every kind with the
// null patterns the levels take different paths for (none, all, alternating, runs across bytes, a last
// byte of fewer than 8 rows, a batch sliced at a byte boundary and off one), every row as it went in.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { encodeParquet } from '@scapkit/columnar/node';
import { Dictionary, Int32, Int64, RecordBatch, Utf8, vectorFromArray } from 'apache-arrow';
import { ByteWriter } from 'hyparquet-writer/src/bytewriter.js';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { afterAll, describe, expect, it } from 'vitest';
import { Bytes, pageHeader } from '../src/parquet-file.js';

const work = mkdtempSync(join(tmpdir(), 'scapkit-parquet-file-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Which rows are null, by pattern. */
const PATTERNS: Record<string, (i: number) => boolean> = {
  none: () => false,
  all: () => true,
  alternating: (i) => i % 2 === 1,
  'runs of 20 and 37': (i) => i % 57 < 20,
  'one in 9': (i) => i % 9 === 4,
  scattered: (i) => ((i * 2654435761) >>> 0) % 7 < 3,
};
const LENGTHS = [1, 7, 8, 9, 16, 17, 63, 200, 1001];

interface Row {
  n: bigint | null;
  small: number | null;
  text: string | null;
  kind: string | null;
}

function rowsOf(length: number, isNull: (i: number) => boolean): Row[] {
  return Array.from({ length }, (_, i) => {
    const nul = isNull(i);
    return {
      n: nul ? null : BigInt(i % 5) * 1_000_000_007n - 3n,
      small: nul ? null : (i * 7) % 3,
      text: nul ? null : `path/${i}`,
      kind: nul ? null : ['file', 'ipv4', 'unix'][i % 3]!,
    };
  });
}

function batchOf(rows: Row[]): RecordBatch {
  return new RecordBatch({
    n: vectorFromArray(
      rows.map((r) => r.n),
      new Int64(),
    ),
    small: vectorFromArray(
      rows.map((r) => r.small),
      new Int32(),
    ),
    text: vectorFromArray(
      rows.map((r) => r.text),
      new Utf8(),
    ),
    kind: vectorFromArray(
      rows.map((r) => r.kind),
      new Dictionary(new Utf8(), new Int32()),
    ),
  });
}

async function readBack(batch: RecordBatch, name: string): Promise<Row[]> {
  const path = join(work, `${name.replace(/\W+/g, '-')}.parquet`);
  writeFileSync(path, encodeParquet([batch]));
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const r = await c.run(`SELECT n, small, text, kind FROM read_parquet('${path}')`);
    return (await r.getRows()).map(([n, small, text, kind]) => ({
      n: n as bigint | null,
      small: small as number | null,
      text: text as string | null,
      kind: kind as string | null,
    }));
  } finally {
    c.closeSync();
  }
}

describe('optional columns read back row for row', () => {
  for (const [pattern, isNull] of Object.entries(PATTERNS)) {
    it(`nulls: ${pattern}`, async () => {
      for (const length of LENGTHS) {
        const rows = rowsOf(length, isNull);
        expect(await readBack(batchOf(rows), `${pattern}-${length}`)).toEqual(rows);
      }
    });
  }

  it('a batch sliced at a byte boundary and off one', async () => {
    const rows = rowsOf(300, PATTERNS['runs of 20 and 37']!);
    const batch = batchOf(rows);
    for (const [from, to] of [
      [8, 300],
      [16, 101],
      [3, 290],
      [13, 14],
    ] as const) {
      // Each column's data sliced (what RecordBatch.slice gives: an offset into the same buffers).
      const sliced = new RecordBatch(
        Object.fromEntries(batch.schema.fields.map((f) => [f.name, batch.getChild(f.name)!.slice(from, to)])),
      );
      expect(sliced.getChild('n')!.data[0]!.offset).toBe(from);
      expect(await readBack(sliced, `slice-${from}-${to}`)).toEqual(rows.slice(from, to));
    }
  });
});

describe('page headers', () => {
  it('are the bytes hyparquet-writer serializes for the same header', () => {
    const sizes = [0, 1, 63, 64, 127, 128, 300, 65_536, 1_048_577, 2 ** 31 - 1];
    for (const encoding of [undefined, 'PLAIN', 'RLE_DICTIONARY', 'DELTA_BINARY_PACKED'] as const) {
      for (const [i, uncompressed] of sizes.entries()) {
        const compressed = sizes[(i + 3) % sizes.length]!;
        const numValues = sizes[(i + 5) % sizes.length]!;
        const ours = new Bytes();
        pageHeader(ours, uncompressed, compressed, numValues, encoding);
        const theirs = new ByteWriter(64);
        writePageHeader(theirs, {
          type: encoding === undefined ? 'DICTIONARY_PAGE' : 'DATA_PAGE',
          uncompressed_page_size: uncompressed,
          compressed_page_size: compressed,
          ...(encoding === undefined
            ? { dictionary_page_header: { num_values: numValues, encoding: 'PLAIN' } }
            : {
                data_page_header: {
                  num_values: numValues,
                  encoding,
                  definition_level_encoding: 'RLE',
                  repetition_level_encoding: 'RLE',
                },
              }),
        });
        expect(ours.buf.slice(0, ours.n)).toEqual(new Uint8Array(theirs.getBytes()));
      }
    }
  });
});
