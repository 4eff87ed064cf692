import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CoverColumn, fractionalCover } from '../../../shared/core/plan/fractional-cover.js';

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((sum, x, i) => sum + x * (b[i] as number), 0);

describe('fractionalCover', () => {
  // A: 4 CPU / 8 GiB, B: 2 CPU / 16 GiB, both $1. 8 CPU and 32 GiB: 4/3 of each, $8/3; either alone costs $4.
  const columns: CoverColumn[] = [
    { amounts: [4, 8], price: 1 },
    { amounts: [2, 16], price: 1 },
  ];

  it('mixes a compute and a memory type when that covers the demand for less than either alone', () => {
    const cover = fractionalCover(columns, [8, 32]);
    expect(cover?.cost).toBeCloseTo(8 / 3, 9);
    expect(cover?.counts[0]).toBeCloseTo(4 / 3, 9);
    expect(cover?.counts[1]).toBeCloseTo(4 / 3, 9);
  });

  it('prices each resource so that the types it buys are worth exactly their price', () => {
    const cover = fractionalCover(columns, [8, 32]);
    expect(cover?.duals[0]).toBeCloseTo(1 / 6, 9);
    expect(cover?.duals[1]).toBeCloseTo(1 / 24, 9);
  });

  it('buys nothing for no demand', () => {
    expect(fractionalCover(columns, [0, 0])).toEqual({ cost: 0, duals: [0, 0], counts: [0, 0] });
  });

  it('returns undefined when no type has a resource the demand asks for', () => {
    expect(fractionalCover(columns, [1, 1, 1])).toBeUndefined();
  });

  it('does not cycle on many types of the same shape and price', () => {
    const same = Array.from({ length: 50 }, () => ({ amounts: [4, 16, 29], price: 0.2 }));
    expect(fractionalCover(same, [40, 160, 100])?.cost).toBeCloseTo(2, 9);
  });

  it('is optimal: its counts cover the demand, no type is worth more than its price, and both sides agree', () => {
    const column = fc.record({
      amounts: fc.tuple(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 256 }),
        fc.integer({ min: 8, max: 200 }),
      ),
      price: fc.integer({ min: 1, max: 500 }).map((c) => c / 100),
    });
    const demand = fc.tuple(
      fc.integer({ min: 0, max: 500 }),
      fc.integer({ min: 0, max: 2000 }),
      fc.integer({ min: 0, max: 900 }),
    );
    fc.assert(
      fc.property(fc.array(column, { minLength: 1, maxLength: 30 }), demand, (cols, need) => {
        const cover = fractionalCover(cols, need);
        expect(cover).toBeDefined();
        if (!cover) return;
        const tolerance = 1e-6 * (1 + cover.cost);
        need.forEach((d, r) => {
          const covered = cols.reduce((sum, c, i) => sum + (c.amounts[r] as number) * (cover.counts[i] as number), 0);
          expect(covered).toBeGreaterThanOrEqual(d - 1e-6 * (1 + d));
        });
        for (const c of cols) expect(dot(c.amounts, cover.duals)).toBeLessThanOrEqual(c.price + tolerance);
        for (const dual of cover.duals) expect(dual).toBeGreaterThanOrEqual(-1e-12);
        expect(dot(need, cover.duals)).toBeCloseTo(cover.cost, 6);
        expect(
          dot(
            cover.counts,
            cols.map((c) => c.price),
          ),
        ).toBeCloseTo(cover.cost, 6);
      }),
      { numRuns: 300 },
    );
  });
});
