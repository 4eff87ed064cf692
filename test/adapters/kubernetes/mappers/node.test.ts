// toNode: the API's Node object to the core's Node (DESIGN §5 "Existing nodes").

import { describe, expect, it } from 'vitest';
import { normalizeLabels, toNode } from '../../../../shared/adapters/kubernetes/mappers/node.js';
import { cpu, gi, nodeObject } from './objects.js';

describe('toNode', () => {
  it('reads capacity and allocatable from status in canonical units', () => {
    const node = toNode(nodeObject('node-a'));
    expect(node.capacity).toEqual({ cpu: cpu(2), memory: gi(8), pods: 29 });
    expect(node.allocatable).toEqual({ cpu: 1930, memory: gi(7), pods: 29 });
  });

  it('is ready only when the Ready condition is True', () => {
    const notReady = nodeObject('node-b', {
      status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }] },
    });
    expect(toNode(nodeObject('node-a')).ready).toBe(true);
    expect(toNode(notReady).ready).toBe(false);
    expect(toNode({ metadata: { name: 'fresh' } }).ready).toBe(false);
  });

  it('keeps taints, providerID, cordoning and the deletion time', () => {
    const node = toNode(
      nodeObject('node-c', {
        metadata: { name: 'node-c', deletionTimestamp: '2025-06-11T09:07:45Z' },
        spec: {
          providerID: 'aws:///us-east-1c/i-0123456789abcdef0',
          unschedulable: true,
          taints: [
            { key: 'karpenter.sh/disrupted', effect: 'NoSchedule' },
            { key: 'dedicated', value: 'gpu', effect: 'NoExecute', timeAdded: '2025-06-11T09:07:45Z' },
          ],
        },
      }),
    );
    expect(node).toMatchObject({
      providerID: 'aws:///us-east-1c/i-0123456789abcdef0',
      unschedulable: true,
      deletionTimestamp: Date.UTC(2025, 5, 11, 9, 7, 45),
      taints: [
        { key: 'karpenter.sh/disrupted', effect: 'NoSchedule' },
        { key: 'dedicated', value: 'gpu', effect: 'NoExecute' },
      ],
    });
    expect(node.creationTimestamp).toBe(0);
  });

  it('normalizes legacy label keys, the current key winning when both are present', () => {
    expect(
      normalizeLabels({
        'beta.kubernetes.io/arch': 'amd64',
        'kubernetes.io/arch': 'arm64',
        'failure-domain.beta.kubernetes.io/zone': 'us-east-1a',
      }),
    ).toEqual({ 'kubernetes.io/arch': 'arm64', 'topology.kubernetes.io/zone': 'us-east-1a' });
  });

  it('reports a malformed allocatable quantity against the node', () => {
    const node = nodeObject('node-d', { status: { allocatable: { cpu: '1930m', memory: '7 Gi' } } });
    expect(() => toNode(node)).toThrow('Node/node-d: status.allocatable.memory: "7 Gi" is not a Kubernetes quantity');
  });
});
