// toDaemonSet: the DaemonSet and the pod its template puts on every node.

import type { DaemonSet as K8sDaemonSet } from 'kubernetes-types/apps/v1.js';
import { describe, expect, it } from 'vitest';
import { toDaemonSet } from '../../../../shared/adapters/kubernetes/mappers/daemonset.js';
import { isDaemonSetPod, isPending } from '../../../../shared/core/model/pod.js';
import { container } from './objects.js';

function daemonSet(spec: Partial<K8sDaemonSet['spec']> = {}): K8sDaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name: 'node-exporter',
      namespace: 'monitoring',
      uid: 'ds-1',
      creationTimestamp: '2025-05-02T08:05:11Z',
    },
    spec: {
      selector: { matchLabels: { app: 'node-exporter' } },
      template: {
        metadata: { labels: { app: 'node-exporter' } },
        spec: {
          containers: [container('exporter', undefined, { cpu: '100m', memory: '64Mi' })],
          tolerations: [{ operator: 'Exists' }],
        },
      },
      ...spec,
    },
  };
}

describe('toDaemonSet', () => {
  it('builds its pod from the template, in its namespace, owned by it', () => {
    const ds = toDaemonSet(daemonSet());
    expect(ds).toMatchObject({ namespace: 'monitoring', name: 'node-exporter', uid: 'ds-1' });
    expect(ds.pod).toMatchObject({
      namespace: 'monitoring',
      name: 'node-exporter',
      labels: { app: 'node-exporter' },
      ownerReferences: [{ kind: 'DaemonSet', name: 'node-exporter', uid: 'ds-1', controller: true }],
      tolerations: [{ operator: 'Exists' }],
      creationTimestamp: Date.UTC(2025, 4, 2, 8, 5, 11),
      phase: 'Pending',
    });
  });

  it('counts template limits as requests (the API server defaults DaemonSet templates too)', () => {
    expect(toDaemonSet(daemonSet()).pod.requests).toEqual({ cpu: 100, memory: 64 * 2 ** 20, pods: 1 });
  });

  it('makes a daemon pod, which is never pending on its own', () => {
    const { pod } = toDaemonSet(daemonSet());
    expect(isDaemonSetPod(pod)).toBe(true);
    expect(isPending(pod)).toBe(false);
  });

  it('reports template errors against the DaemonSet at spec.template', () => {
    const broken = daemonSet({
      template: { spec: { containers: [container('exporter', { cpu: 'one' })] } },
    });
    expect(() => toDaemonSet(broken)).toThrow(
      'DaemonSet/monitoring/node-exporter: spec.template.spec.containers[0].resources.requests.cpu: "one"',
    );
  });

  it('names the template field in errors about its metadata', () => {
    const broken = daemonSet({
      template: { metadata: { labels: { app: { name: 'x' } as never } }, spec: { containers: [] } },
    });
    expect(() => toDaemonSet(broken)).toThrow(
      'DaemonSet/monitoring/node-exporter: spec.template.metadata.labels.app: expected a string, got an object',
    );
  });

  it('requires a template', () => {
    const { template: _, ...spec } = daemonSet().spec ?? {};
    expect(() => toDaemonSet({ ...daemonSet(), spec: spec as never })).toThrow('spec.template: missing');
  });
});
