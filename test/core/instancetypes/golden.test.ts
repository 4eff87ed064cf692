// Golden test: the allocatable formulas reproduce Karpenter's own computed values (`karpenterAllocatableAL2023`
// in the bundled catalogue, taken from Karpenter's generated instance-type reference) for every type.

import { describe, expect, it } from 'vitest';
import {
  capacityAndAllocatable,
  nodeClassOverhead,
  RESOURCE_POD_ENI,
} from '../../../shared/core/instancetypes/allocatable.js';
import type { CatalogueEntry } from '../../../shared/core/instancetypes/catalogue.js';
import { resolveInstanceTypes } from '../../../shared/core/instancetypes/resolve.js';
import { canonicalQuantity } from '../../../shared/core/resources/quantity.js';
import type { Resources } from '../../../shared/core/resources/resources.js';
import { bundledCatalogue, nodeClass } from '../../fixtures/instance-types.js';

const CATALOGUE_SIZE = 1345;

/** Karpenter's values in canonical units. */
function golden(entry: CatalogueEntry): Resources {
  const g = entry.karpenterAllocatableAL2023;
  if (!g) throw new Error(`${entry.name} has no karpenterAllocatableAL2023`);
  return {
    cpu: canonicalQuantity('cpu', g.cpu),
    memory: canonicalQuantity('memory', g.memory),
    'ephemeral-storage': canonicalQuantity('ephemeral-storage', g.ephemeralStorage),
    pods: g.pods,
  };
}

/** One line per resource that differs, e.g. `m5.large memory: got 7238000000, Karpenter 7238123520`. */
function mismatches(name: string, got: Resources, want: Resources): string[] {
  return Object.entries(want)
    .filter(([resource, amount]) => got[resource] !== amount)
    .map(([resource, amount]) => `${name} ${resource}: got ${got[resource]}, Karpenter ${amount}`);
}

describe('allocatable against Karpenter (AL2023 defaults)', () => {
  const catalogue = bundledCatalogue();
  const overhead = nodeClassOverhead(nodeClass());

  it('has the whole catalogue to check', () => {
    expect(catalogue).toHaveLength(CATALOGUE_SIZE);
  });

  it('reproduces cpu, memory, ephemeral-storage and pods for all 1345 types', () => {
    const problems = catalogue.flatMap((entry) =>
      mismatches(entry.name, capacityAndAllocatable(entry, overhead).allocatable, golden(entry)),
    );
    expect(problems).toEqual([]);
  });

  it('gives the same values through resolveInstanceTypes, for every type AL2023 can launch', () => {
    const types = resolveInstanceTypes(catalogue, nodeClass());
    const byName = new Map(catalogue.map((e) => [e.name, e]));
    const problems = types.flatMap((t) =>
      mismatches(t.name, t.allocatable, golden(byName.get(t.name) as CatalogueEntry)),
    );
    expect(problems).toEqual([]);
    expect(types).toHaveLength(CATALOGUE_SIZE - catalogue.filter((e) => e.family === 'a1').length);
  });

  it('advertises pod-eni from the VPC-limits data; the reference page differs only with 0 for 56 newer types', () => {
    // The reference page (generated 2026-07-11) shows podENI 0 for 56 newer types (c8gb, c9g, m8gn, …) that the
    // VPC-limits table (generated 2026-08-06) marks trunking-compatible, most likely because the page predates
    // them in the table. We follow the table, as Karpenter does at run time.
    const differing = catalogue.filter(
      (e) =>
        (capacityAndAllocatable(e, overhead).allocatable[RESOURCE_POD_ENI] ?? 0) !==
        e.karpenterAllocatableAL2023?.podENI,
    );
    expect(differing.every((e) => e.karpenterAllocatableAL2023?.podENI === 0 && e.trunkingCompatible)).toBe(true);
    expect(differing).toHaveLength(56);
  });
});
