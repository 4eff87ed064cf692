// resolveInstanceTypes: which types a node class can launch, in catalogue order, and what callers may rely on
// about the objects it returns (shared parts frozen, requirements their own).

import { describe, expect, it } from 'vitest';
import { resolveInstanceTypes } from '../../../shared/core/instancetypes/resolve.js';
import { LABEL_ZONE } from '../../../shared/core/labels.js';
import { Requirement } from '../../../shared/core/requirements/requirement.js';
import { bundledCatalogue, fakeEntry, nodeClass } from '../../fixtures/instance-types.js';

const A1_TYPES = ['a1.2xlarge', 'a1.4xlarge', 'a1.large', 'a1.medium', 'a1.metal', 'a1.xlarge'];

describe('resolveInstanceTypes', () => {
  it('leaves out a1.* under AL2023, as Karpenter does', () => {
    const names = resolveInstanceTypes(bundledCatalogue(), nodeClass()).map((t) => t.name);
    expect(names).toHaveLength(1345 - A1_TYPES.length);
    expect(names.filter((n) => n.startsWith('a1.'))).toEqual([]);
  });

  it('keeps a1.* for Bottlerocket and Custom', () => {
    for (const amiFamily of ['Bottlerocket', 'Custom'] as const) {
      const names = resolveInstanceTypes(bundledCatalogue(), nodeClass({ amiFamily })).map((t) => t.name);
      expect(names).toHaveLength(1345);
      expect(names.filter((n) => n.startsWith('a1.')).sort()).toEqual(A1_TYPES);
    }
  });

  it('keeps catalogue order, whatever it is', () => {
    const entries = ['z.large', 'b.large', 'm.large'].map((name) => fakeEntry(name));
    expect(resolveInstanceTypes(entries, nodeClass()).map((t) => t.name)).toEqual(['z.large', 'b.large', 'm.large']);
    const bundled = bundledCatalogue().filter((e) => e.family !== 'a1');
    expect(resolveInstanceTypes(bundled, nodeClass()).map((t) => t.name)).toEqual(bundled.map((e) => e.name));
  });

  it('returns an empty list for an empty catalogue', () => {
    expect(resolveInstanceTypes([], nodeClass())).toEqual([]);
  });

  it('gives each call its own requirements, so narrowing one does not leak into the next', () => {
    const entries = [fakeEntry('fake.large')];
    const [first] = resolveInstanceTypes(entries, nodeClass());
    first?.requirements.add(Requirement.of(LABEL_ZONE, 'In', ['us-east-1a']));
    const [second] = resolveInstanceTypes(entries, nodeClass());
    expect(second?.requirements.get(LABEL_ZONE)?.values.size).toBe(3);
  });

  it('shares labels and offerings between calls, frozen', () => {
    const entries = [fakeEntry('fake.large')];
    const [a] = resolveInstanceTypes(entries, nodeClass());
    const [b] = resolveInstanceTypes(entries, nodeClass({ amiFamily: 'Bottlerocket' }));
    expect(a?.labels).toBe(b?.labels);
    expect(Object.isFrozen(a?.labels)).toBe(true);
    expect(Object.isFrozen(a?.offerings[0])).toBe(true);
  });

  it('applies each node class to the same entries independently', () => {
    const entries = [fakeEntry('fake.large')];
    const pods = (maxPods: number) =>
      resolveInstanceTypes(entries, nodeClass({ kubelet: { maxPods } }))[0]?.allocatable.pods;
    expect([pods(10), pods(20), pods(10)]).toEqual([10, 20, 10]);
  });
});
