// withVolumeTopology: a bound volume's required node affinity ANDed into the pod's, as Karpenter's
// volumetopology.go does before scheduling.

import { describe, expect, it } from 'vitest';
import { LABEL_HOSTNAME, LABEL_ZONE } from '../../../shared/core/labels.js';
import type { NodeSelectorTerm } from '../../../shared/core/model/pod.js';
import { MAX_VOLUME_TOPOLOGY_TERMS, withVolumeTopology } from '../../../shared/core/scheduling/volume-topology.js';
import { pod } from '../../fixtures/builders.js';

const zone = (...values: string[]) => ({ key: LABEL_ZONE, operator: 'In' as const, values });
const arch = (...values: string[]) => ({ key: 'kubernetes.io/arch', operator: 'In' as const, values });
const spot = { key: 'karpenter.sh/capacity-type', operator: 'In' as const, values: ['spot'] };
const host = (name: string) => ({ key: LABEL_HOSTNAME, operator: 'In' as const, values: [name] });
const term = (...matchExpressions: NodeSelectorTerm['matchExpressions']): NodeSelectorTerm => ({ matchExpressions });

describe('withVolumeTopology', () => {
  it("gives a pod without node affinity its volume's zone", () => {
    const result = withVolumeTopology(pod({ name: 'db-0' }), [[term(zone('us-east-1b'))]]);
    expect(result.requiredNodeAffinity).toEqual([term(zone('us-east-1b'))]);
  });

  it("ANDs the volume's terms into each of the pod's terms: the cross product, in order", () => {
    const p = pod({ requiredNodeAffinity: [term(arch('amd64')), term(arch('arm64'))] });
    const result = withVolumeTopology(p, [[term(zone('us-east-1a')), term(zone('us-east-1b'))]]);
    expect(result.requiredNodeAffinity).toEqual([
      term(arch('amd64'), zone('us-east-1a')),
      term(arch('amd64'), zone('us-east-1b')),
      term(arch('arm64'), zone('us-east-1a')),
      term(arch('arm64'), zone('us-east-1b')),
    ]);
  });

  it('ANDs every volume in turn, keeping an expression both already hold once', () => {
    const p = pod({ requiredNodeAffinity: [term(zone('us-east-1a'))] });
    const result = withVolumeTopology(p, [[term(zone('us-east-1a'))], [term(spot)]]);
    expect(result.requiredNodeAffinity).toEqual([term(zone('us-east-1a'), spot)]);
  });

  it('drops hostname requirements: the pod of a local volume may move to a new node', () => {
    const result = withVolumeTopology(pod(), [[term(host('ip-10-0-0-1'), zone('us-east-1c'))]]);
    expect(result.requiredNodeAffinity).toEqual([term(zone('us-east-1c'))]);
  });

  it('leaves the pod as it is for volumes that constrain nothing (no terms, or only a hostname in a term)', () => {
    const p = pod({ requiredNodeAffinity: [term(arch('arm64'))] });
    expect(withVolumeTopology(p, [])).toBe(p);
    expect(withVolumeTopology(p, [[]])).toBe(p);
    expect(withVolumeTopology(p, [[term(host('ip-10-0-0-1')), term(zone('us-east-1a'))]])).toBe(p);
  });

  it(`keeps the first ${MAX_VOLUME_TOPOLOGY_TERMS} terms of a product that grows beyond them`, () => {
    const zones = (n: number) => Array.from({ length: n }, (_, i) => term(zone(`z-${i}`)));
    const p = pod({ requiredNodeAffinity: Array.from({ length: 8 }, (_, i) => term(arch(`a-${i}`))) });
    const result = withVolumeTopology(p, [zones(8)]);
    expect(result.requiredNodeAffinity).toHaveLength(MAX_VOLUME_TOPOLOGY_TERMS);
    expect(result.requiredNodeAffinity[0]).toEqual(term(arch('a-0'), zone('z-0')));
    expect(result.requiredNodeAffinity[MAX_VOLUME_TOPOLOGY_TERMS - 1]).toEqual(term(arch('a-3'), zone('z-7')));
  });
});
