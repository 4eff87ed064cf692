// Node affinity, pod (anti-)affinity and topology spread as toPod maps them.

import { describe, expect, it } from 'vitest';
import { toPod } from '../../../../shared/adapters/kubernetes/mappers/pod.js';
import { podObject } from './objects.js';

const withAffinity = (affinity: object, labels: Record<string, string> = { app: 'web' }) =>
  toPod(podObject('web-0', { metadata: { name: 'web-0', labels }, spec: { containers: [], affinity } }));

describe('node affinity', () => {
  it('keeps required terms as an OR of matchExpressions, normalizing legacy keys', () => {
    const pod = withAffinity({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'failure-domain.beta.kubernetes.io/zone', operator: 'In', values: ['z1'] }] },
            { matchExpressions: [{ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['3'] }] },
          ],
        },
      },
    });
    expect(pod.requiredNodeAffinity).toEqual([
      { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['z1'] }] },
      { matchExpressions: [{ key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: ['3'] }] },
    ]);
    expect(pod.usesMatchFields).toBe(false);
  });

  it('reads the EBS CSI driver zone key as the zone, as Karpenter does', () => {
    const pod = withAffinity({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'topology.ebs.csi.aws.com/zone', operator: 'In', values: ['us-east-1a'] }] },
          ],
        },
      },
    });
    expect(pod.requiredNodeAffinity).toEqual([
      { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1a'] }] },
    ]);
  });

  it('keeps weighted preferences', () => {
    const pod = withAffinity({
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 50, preference: { matchExpressions: [{ key: 'karpenter.sh/capacity-type', operator: 'Exists' }] } },
        ],
      },
    });
    expect(pod.preferredNodeAffinity).toEqual([
      { weight: 50, preference: { matchExpressions: [{ key: 'karpenter.sh/capacity-type', operator: 'Exists' }] } },
    ]);
  });

  it('marks matchFields terms, which Karpenter refuses, so validation can say so', () => {
    const pod = withAffinity({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-a'] }] }],
        },
      },
    });
    expect(pod.usesMatchFields).toBe(true);
    expect(pod.requiredNodeAffinity).toEqual([{ matchExpressions: [] }]);
  });

  it('is empty when there is none', () => {
    const pod = toPod(podObject());
    expect(pod.requiredNodeAffinity).toEqual([]);
    expect(pod.preferredNodeAffinity).toEqual([]);
  });
});

describe('pod affinity and anti-affinity', () => {
  it('keeps required and preferred terms of both kinds', () => {
    const term = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } };
    const pod = withAffinity({
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ ...term, namespaces: ['cache'] }],
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term }],
      },
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [term],
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { ...term, namespaceSelector: {} } },
        ],
      },
    });
    expect(pod.podAffinity).toEqual([{ ...term, namespaces: ['cache'] }]);
    expect(pod.preferredPodAffinity).toEqual([{ weight: 10, podAffinityTerm: term }]);
    expect(pod.podAntiAffinity).toEqual([term]);
    expect(pod.preferredPodAntiAffinity).toEqual([
      { weight: 100, podAffinityTerm: { ...term, namespaceSelector: {} } },
    ]);
  });

  it('folds matchLabelKeys (In) and mismatchLabelKeys (NotIn) with the pod’s own values', () => {
    const pod = withAffinity(
      {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              topologyKey: 'kubernetes.io/hostname',
              labelSelector: { matchLabels: { app: 'web' } },
              matchLabelKeys: ['pod-template-hash'],
              mismatchLabelKeys: ['tenant', 'absent'],
            },
          ],
        },
      },
      { app: 'web', 'pod-template-hash': 'abc12', tenant: 'blue' },
    );
    expect(pod.podAntiAffinity[0]?.labelSelector).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'pod-template-hash', operator: 'In', values: ['abc12'] },
        { key: 'tenant', operator: 'NotIn', values: ['blue'] },
      ],
    });
  });

  it('requires a topologyKey', () => {
    expect(() =>
      withAffinity({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: {} }] } }),
    ).toThrow('spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: missing');
  });
});

describe('topology spread constraints', () => {
  const spread = (constraint: object, labels?: Record<string, string>) =>
    toPod(
      podObject('web-0', {
        metadata: { name: 'web-0', labels: labels ?? { app: 'web' } },
        spec: { containers: [], topologySpreadConstraints: [constraint as never] },
      }),
    ).topologySpreadConstraints;

  it('fills in the API defaults: nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore', () => {
    const constraints = spread({
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { app: 'web' } },
    });
    expect(constraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { app: 'web' } },
        nodeAffinityPolicy: 'Honor',
        nodeTaintsPolicy: 'Ignore',
      },
    ]);
  });

  it('keeps explicit policies and minDomains', () => {
    const [constraint] = spread({
      maxSkew: 2,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'ScheduleAnyway',
      minDomains: 3,
      nodeAffinityPolicy: 'Ignore',
      nodeTaintsPolicy: 'Honor',
    });
    expect(constraint).toMatchObject({ minDomains: 3, nodeAffinityPolicy: 'Ignore', nodeTaintsPolicy: 'Honor' });
    expect(constraint?.labelSelector).toBeUndefined();
  });

  it('folds matchLabelKeys into the selector as kube-scheduler does, ignoring keys the pod lacks', () => {
    const [constraint] = spread(
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { app: 'web' } },
        matchLabelKeys: ['pod-template-hash', 'not-on-this-pod'],
      },
      { app: 'web', 'pod-template-hash': '5d7f9c6b8d' },
    );
    expect(constraint?.labelSelector).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'pod-template-hash', operator: 'In', values: ['5d7f9c6b8d'] }],
    });
    expect(constraint?.matchLabelKeys).toBeUndefined();
  });

  it('leaves an absent selector absent even with matchLabelKeys (it matches no pods)', () => {
    const [constraint] = spread({ maxSkew: 1, topologyKey: 'zone', matchLabelKeys: ['app'] });
    expect(constraint?.labelSelector).toBeUndefined();
    expect(constraint?.whenUnsatisfiable).toBe('DoNotSchedule');
  });

  it('requires maxSkew', () => {
    expect(() => spread({ topologyKey: 'zone' })).toThrow('spec.topologySpreadConstraints[0].maxSkew: missing');
  });
});
