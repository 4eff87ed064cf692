// Catalogue entries: validation errors name the entry and field, and the DESIGN.md §5 overrides
// (`allocatable`, `offerings`, `labels`, `os`) behave as documented.

import { describe, expect, it } from 'vitest';
import { CatalogueError } from '../../../shared/core/instancetypes/catalogue.js';
import { resolveInstanceTypes } from '../../../shared/core/instancetypes/resolve.js';
import { validateCatalogue } from '../../../shared/core/instancetypes/validate.js';
import { bundledCatalogue, fakeEntry, nodeClass, resolveOne } from '../../fixtures/instance-types.js';

const MI = 2 ** 20;

describe('validateCatalogue', () => {
  it('accepts the bundled catalogue', () => {
    expect(validateCatalogue(bundledCatalogue())).toEqual([]);
  });

  it('accepts a minimal entry with explicit allocatable and offerings', () => {
    const entry = { name: 'fake-it-1', allocatable: { cpu: 1, pods: 5 }, offerings: [] };
    expect(validateCatalogue([entry])).toEqual([]);
  });

  it('requires an array', () => {
    expect(validateCatalogue({ name: 'm5.large' })).toEqual([
      'instance-type catalogue: expected an array of entries, got {"name":"m5.large"}',
    ]);
  });

  it('reports an entry with neither offerings nor onDemandPriceUSD', () => {
    expect(validateCatalogue([fakeEntry('fake.large', { onDemandPriceUSD: undefined })])).toEqual([
      'instance type "fake.large": offerings: neither offerings nor onDemandPriceUSD is given, so the type has no price',
    ]);
    expect(validateCatalogue([fakeEntry('fake.large', { onDemandPriceUSD: null })])).toHaveLength(1);
  });

  it('reports bad quantities in allocatable', () => {
    const entry = { name: 'fake.large', onDemandPriceUSD: 1, allocatable: { cpu: 'two', memory: '-1Gi', pods: true } };
    expect(validateCatalogue([entry])).toEqual([
      'instance type "fake.large": allocatable.cpu: "two" is not a Kubernetes quantity (expected e.g. "1900m", "2038Mi", 5)',
      'instance type "fake.large": allocatable.memory: "-1Gi" is negative',
      'instance type "fake.large": allocatable.pods: expected a quantity such as "1900m", "2038Mi" or 5, got true',
    ]);
  });

  it('reports an unknown capacity type and other offering problems with their index', () => {
    const offerings = [
      { zone: 'z1', capacityType: 'on-demand', price: 1 },
      { zone: '', capacityType: 'preemptible', price: -1, available: 'yes' },
    ];
    expect(validateCatalogue([fakeEntry('fake.large', { offerings } as never)])).toEqual([
      'instance type "fake.large": offerings[1].zone: expected a zone name, got ""',
      'instance type "fake.large": offerings[1].capacityType: "preemptible" is not one of spot, on-demand, reserved',
      'instance type "fake.large": offerings[1].price: expected $/h as a non-negative number, got -1',
      'instance type "fake.large": offerings[1].available: expected true or false, got "yes"',
    ]);
  });

  it('reports wrong field types, a missing name, duplicates, bad arch, os and labels', () => {
    const entries = [
      { onDemandPriceUSD: 1, allocatable: { pods: 1 } },
      fakeEntry('a.large', { vcpu: 2.5 as never, arch: 'sparc', os: [] }),
      fakeEntry('a.large', { labels: { 'topology.kubernetes.io/zone': 'z1', team: 7 as never } }),
    ];
    expect(validateCatalogue(entries)).toEqual([
      'instance type #0: name: expected a non-empty string, got undefined',
      'instance type "a.large": vcpu: expected a non-negative integer, got 2.5',
      'instance type "a.large": os: expected a non-empty list of operating systems such as ["linux"], got []',
      'instance type "a.large": arch: "sparc" is not one of amd64, arm64',
      'instance type "a.large": labels.topology.kubernetes.io/zone: this label is derived (name, offerings, region, pool or os), not set here',
      'instance type "a.large": labels.team: expected a string, got 7',
      'instance type "a.large": name: duplicate entry (entry #2)',
    ]);
  });

  it('requires vcpu and memoryMiB unless allocatable is given', () => {
    expect(validateCatalogue([{ name: 'bare.large', onDemandPriceUSD: 1 }])).toEqual([
      'instance type "bare.large": vcpu: required to compute allocatable (or give allocatable)',
      'instance type "bare.large": memoryMiB: required to compute allocatable (or give allocatable)',
    ]);
  });
});

describe('resolveInstanceTypes with invalid entries', () => {
  it('throws a CatalogueError listing every problem (missing price)', () => {
    const entries = [fakeEntry('ok.large'), fakeEntry('free.large', { onDemandPriceUSD: undefined })];
    expect(() => resolveInstanceTypes(entries, nodeClass())).toThrow(CatalogueError);
    expect(() => resolveInstanceTypes(entries, nodeClass())).toThrow(/"free.large": offerings: neither offerings/);
  });

  it('rejects duplicate names', () => {
    expect(() => resolveInstanceTypes([fakeEntry('a.large'), fakeEntry('a.large')], nodeClass())).toThrow(
      /duplicate entry/,
    );
  });
});

describe('overrides', () => {
  it('uses allocatable exactly as given; capacity from vcpu/memoryMiB where given, else allocatable', () => {
    const allocatable = { cpu: '1900m', memory: '2038Mi', pods: 5, 'fake.com/vendor-a': 2 };
    const type = resolveOne({ name: 'fake-it-2', vcpu: 2, allocatable, onDemandPriceUSD: 0.1 });
    expect(type.allocatable).toEqual({ cpu: 1900, memory: 2038 * MI, pods: 5, 'fake.com/vendor-a': 2 });
    expect(type.capacity).toEqual({ cpu: 2000, memory: 2038 * MI, pods: 5, 'fake.com/vendor-a': 2 });
  });

  it('applies no node-class overhead to an allocatable override', () => {
    const entry = { name: 'fake-it-3', allocatable: { cpu: 1, memory: '1Gi', pods: 3 }, onDemandPriceUSD: 0.1 };
    const nc = nodeClass({ kubelet: { maxPods: 1, systemReserved: { cpu: 500 } } });
    expect(resolveOne(entry, nc).allocatable).toEqual({ cpu: 1000, memory: 2 ** 30, pods: 3 });
  });

  it('keeps the given offerings in order, available defaulting to true', () => {
    const offerings = [
      { zone: 'z2', capacityType: 'spot', price: 0.41, available: false },
      { zone: 'z1', capacityType: 'on-demand', price: 0.5 },
      { zone: 'z1', capacityType: 'reserved', price: 0.3, available: true },
    ] as const;
    const type = resolveOne(fakeEntry('fake-it-4', { offerings, onDemandPriceUSD: undefined }));
    expect(type.offerings).toEqual([
      { zone: 'z2', capacityType: 'spot', price: 0.41, available: false },
      { zone: 'z1', capacityType: 'on-demand', price: 0.5, available: true },
      { zone: 'z1', capacityType: 'reserved', price: 0.3, available: true },
    ]);
  });

  it('adds the entry labels to labels and requirements, winning over derived ones', () => {
    const type = resolveOne(
      fakeEntry('fake.large', { labels: { size: 'small', 'karpenter.k8s.aws/instance-family': 'x' } }),
    );
    expect(type.labels).toMatchObject({ size: 'small', 'karpenter.k8s.aws/instance-family': 'x' });
    expect(type.requirements.get('size')?.singleValue()).toBe('small');
    expect(type.requirements.get('karpenter.k8s.aws/instance-family')?.singleValue()).toBe('x');
  });

  it('leaves out types whose os does not include the family OS', () => {
    const entries = [
      fakeEntry('win.large', { os: ['windows'] }),
      fakeEntry('both.large', { os: ['windows', 'linux'] }),
    ];
    expect(resolveInstanceTypes(entries, nodeClass()).map((t) => t.name)).toEqual(['both.large']);
  });
});
