// The slot table: columns gathered from per-batch slots (rows with no slot, null values, a batch finished
// in another row order, and a second batch after reset) read back as the values each row was given.
import { makeVector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { SlotTable } from '../src/builders.js';

function values(table: SlotTable, length: number, order?: Int32Array): unknown[][] {
  return table.columns.map((c) =>
    [...makeVector(c.finish(length, order))].map((v) => (typeof v === 'bigint' ? Number(v) : v)),
  );
}

describe('SlotTable', () => {
  it('gives each row its slot values, nulls where a slot or a value is missing', () => {
    const t = new SlotTable(16, ['dictionary', 'int64', 'int32']);
    const a = t.newSlot();
    t.setString(a, 0, 'bash');
    t.setInteger(a, 1, -5);
    t.setInteger(a, 2, 443);
    const b = t.newSlot();
    t.setString(b, 0, 'python3');
    t.setInteger(b, 1, 2n ** 40n + 7n);
    const rows = [a, b, -1, a, b, b, a, -1, a, a];
    for (const [r, s] of rows.entries()) t.setRow(r, s);
    expect(values(t, rows.length)).toEqual([
      ['bash', 'python3', null, 'bash', 'python3', 'python3', 'bash', null, 'bash', 'bash'],
      [-5, 2 ** 40 + 7, null, -5, 2 ** 40 + 7, 2 ** 40 + 7, -5, null, -5, -5],
      [443, null, null, 443, null, null, 443, null, 443, 443],
    ]);
    const order = Int32Array.from([2, 1, 0]);
    expect(values(t, 3, order)).toEqual([
      [null, 'python3', 'bash'],
      [null, 2 ** 40 + 7, -5],
      [null, null, 443],
    ]);
    for (const c of t.columns) c.reset();
    const c = t.newSlot();
    t.setString(c, 0, 'sshd');
    t.setRow(0, c);
    expect(values(t, 1)).toEqual([['sshd'], [null], [null]]);
  });

  it('grows past its first slots', () => {
    const t = new SlotTable(300, ['dictionary']);
    for (let r = 0; r < 300; r++) {
      const s = t.newSlot();
      t.setString(s, 0, `v${r % 7}`);
      t.setRow(r, s);
    }
    expect(values(t, 300)[0]).toEqual(Array.from({ length: 300 }, (_, r) => `v${r % 7}`));
  });
});
