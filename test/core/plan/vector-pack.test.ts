import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fractionalCover } from '../../../shared/core/plan/fractional-cover.js';
import { searchPacking } from '../../../shared/core/plan/pack-search.js';
import { type BinType, packShapes, type Shape } from '../../../shared/core/plan/vector-pack.js';

// [cpu, memory GiB, pods]
const COMPUTE: BinType = { room: [8, 8, 110], price: 0.4 };
const MEMORY: BinType = { room: [2, 32, 110], price: 0.4 };
const BALANCED: BinType = { room: [8, 32, 110], price: 0.62 };

/** The resource prices the cheapest fractional cover of these shapes by these types implies. */
function worthOf(shapes: readonly Shape[], types: readonly BinType[]): number[] {
  const demand = [0, 1, 2].map((d) => shapes.reduce((sum, s) => sum + (s.size[d] as number) * s.count, 0));
  const cover = fractionalCover(
    types.map((t) => ({ amounts: t.room, price: t.price })),
    demand,
  );
  if (!cover) throw new Error('no cover');
  return [...cover.duals];
}

const cheapestHolding = (types: readonly BinType[], load: readonly number[]) =>
  Math.min(...types.filter((t) => load.every((x, d) => x <= (t.room[d] as number))).map((t) => t.price));

function loadOf(counts: readonly number[], shapes: readonly Shape[]): number[] {
  return [0, 1, 2].map((d) => counts.reduce((sum, c, s) => sum + c * ((shapes[s] as Shape).size[d] as number), 0));
}

describe('packShapes', () => {
  const cpuHeavy: Shape = { size: [1, 1, 1], count: 8 };
  const memoryHeavy: Shape = { size: [0.25, 4, 1], count: 8 };

  it('puts CPU-heavy pods on a compute type and memory-heavy pods on a memory type, not both on a balanced one', () => {
    const types = [BALANCED, COMPUTE, MEMORY];
    const bins = packShapes([cpuHeavy, memoryHeavy], types, worthOf([cpuHeavy, memoryHeavy], types));
    expect(bins?.map((b) => ({ type: types[b.type], counts: b.counts }))).toEqual([
      { type: COMPUTE, counts: [8, 0] },
      { type: MEMORY, counts: [0, 8] },
    ]);
  });

  it('returns undefined when a pod fits no type', () => {
    const huge: Shape = { size: [16, 1, 1], count: 1 };
    expect(packShapes([huge], [COMPUTE, MEMORY], [1, 0, 0])).toBeUndefined();
  });

  it('places every pod exactly once, never past a node’s room', () => {
    const shape = fc.record({
      size: fc.tuple(
        fc.constantFrom(0.1, 0.25, 0.5, 1, 2, 4),
        fc.constantFrom(0.25, 0.5, 1, 2, 4, 8, 16),
        fc.constant(1),
      ),
      count: fc.integer({ min: 1, max: 40 }),
    });
    const type = fc.record({
      room: fc.tuple(
        fc.constantFrom(2, 4, 8, 16, 32),
        fc.constantFrom(4, 8, 16, 32, 64, 128),
        fc.constantFrom(8, 29, 58, 110),
      ),
      price: fc.integer({ min: 1, max: 300 }).map((c) => c / 100),
    });
    const big: BinType = { room: [32, 128, 110], price: 4 };
    fc.assert(
      fc.property(fc.array(shape, { minLength: 1, maxLength: 8 }), fc.array(type, { maxLength: 6 }), (shapes, more) => {
        const types = [...more, big];
        const worth = worthOf(shapes, types);
        const bins = packShapes(shapes, types, worth);
        expect(bins).toBeDefined();
        const placed = shapes.map(() => 0);
        for (const bin of bins ?? []) {
          const room = (types[bin.type] as BinType).room;
          loadOf(bin.counts, shapes).forEach((x, d) => {
            expect(x).toBeLessThanOrEqual((room[d] as number) + 1e-9);
          });
          bin.counts.forEach((c, s) => {
            placed[s] = (placed[s] as number) + c;
          });
        }
        expect(placed).toEqual(shapes.map((s) => s.count));
        // The search tries the full list among others, so it never does worse than one greedy run over it.
        const cost = (packing: readonly (readonly number[])[]) =>
          packing.reduce((sum, counts) => sum + cheapestHolding(types, loadOf(counts, shapes)), 0);
        const ranked = [...types].sort(
          (a, b) =>
            b.room.reduce((s, x, d) => s + x * (worth[d] as number), 0) / b.price -
            a.room.reduce((s, x, d) => s + x * (worth[d] as number), 0) / a.price,
        );
        const searched = searchPacking(
          shapes,
          ranked,
          worth,
          [...types].sort((a, b) => a.price - b.price),
        );
        const greedy = packShapes(shapes, ranked, worth)?.map((b) => b.counts) ?? [];
        expect(cost(searched ?? [])).toBeLessThanOrEqual(cost(greedy) + 1e-9);
      }),
      { numRuns: 200 },
    );
  });
});
