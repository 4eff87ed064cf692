// expandWorkloads: Deployments, ReplicaSets, StatefulSets and Jobs stand for the pods their controllers would
// create, minus those already in the input (DESIGN §5 "Pods").

import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import { describe, expect, it } from 'vitest';
import { toPod } from '../../../../shared/adapters/kubernetes/mappers/pod.js';
import { expandWorkloads, type Workload } from '../../../../shared/adapters/kubernetes/mappers/workloads.js';
import { isPending, type Pod } from '../../../../shared/core/model/pod.js';
import { container, podObject } from './objects.js';

const TEMPLATE = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [container('nginx', { cpu: '1500m', memory: '2Gi' })] },
};

function workload(kind: string, name: string, spec: object = {}, extra: object = {}): Workload {
  const apiVersion = kind === 'Job' ? 'batch/v1' : 'apps/v1';
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: 'shop', uid: `${name}-uid`, creationTimestamp: '2025-06-11T09:00:00Z' },
    spec: { template: TEMPLATE, ...spec },
    ...extra,
  } as Workload;
}

function ownedPod(name: string, owner: OwnerReference, extra: { labels?: object; phase?: string } = {}): Pod {
  return toPod(
    podObject(name, {
      metadata: { name, namespace: 'shop', labels: { app: 'web', ...extra.labels }, ownerReferences: [owner] },
      ...(extra.phase ? { status: { phase: extra.phase } } : {}),
    }),
  );
}

const ref = (kind: string, name: string, uid = `${name}-uid`): OwnerReference => ({
  apiVersion: 'apps/v1',
  kind,
  name,
  uid,
  controller: true,
});

const names = (pods: readonly Pod[]) => pods.map((p) => p.name);

describe('expandWorkloads', () => {
  it('turns a Deployment into spec.replicas pending pods, named <workload>-<i>', () => {
    const pods = expandWorkloads([workload('Deployment', 'web', { replicas: 3 })], []);
    expect(names(pods)).toEqual(['web-0', 'web-1', 'web-2']);
    expect(pods.every(isPending)).toBe(true);
  });

  it('defaults replicas to 1', () => {
    expect(names(expandWorkloads([workload('StatefulSet', 'db')], []))).toEqual(['db-0']);
  });

  it('gives expanded pods the namespace, template, creation time, a derived UID and the owner', () => {
    const [pod] = expandWorkloads([workload('Deployment', 'web')], []);
    expect(pod).toMatchObject({
      namespace: 'shop',
      name: 'web-0',
      uid: 'web-uid-0',
      labels: { app: 'web' },
      creationTimestamp: Date.UTC(2025, 5, 11, 9, 0, 0),
      ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'web-uid', controller: true }],
      requests: { cpu: 1500, memory: 2 * 2 ** 30, pods: 1 },
      phase: 'Pending',
    });
  });

  it('counts a Deployment’s pods through its ReplicaSet and avoids their names', () => {
    const deployment = workload('Deployment', 'web', { replicas: 3 });
    const replicaSet = workload('ReplicaSet', 'web-5d7f9c6b8d', { replicas: 3 });
    (replicaSet.metadata as { ownerReferences: OwnerReference[] }).ownerReferences = [ref('Deployment', 'web')];
    const existing = ownedPod('web-1', ref('ReplicaSet', 'web-5d7f9c6b8d'));
    const pods = expandWorkloads([deployment, replicaSet], [existing]);
    // One exists, so numbering starts at 1; web-1 is taken, so the two new pods are web-2 and web-3.
    expect(names(pods)).toEqual(['web-2', 'web-3']);
    expect(pods.map((p) => p.uid)).toEqual(['web-uid-2', 'web-uid-3']);
  });

  it('recognizes a Deployment’s pods by pod-template-hash when its ReplicaSet is not in the input', () => {
    const existing = ownedPod('web-5d7f9c6b8d-h7m4t', ref('ReplicaSet', 'web-5d7f9c6b8d', 'rs-uid'), {
      labels: { 'pod-template-hash': '5d7f9c6b8d' },
    });
    const pods = expandWorkloads([workload('Deployment', 'web', { replicas: 2 })], [existing]);
    expect(names(pods)).toEqual(['web-1']);
  });

  it('expands a ReplicaSet without a Deployment in the input on its own', () => {
    const replicaSet = workload('ReplicaSet', 'web-5d7f9c6b8d', { replicas: 2 });
    (replicaSet.metadata as { ownerReferences: OwnerReference[] }).ownerReferences = [ref('Deployment', 'gone')];
    expect(names(expandWorkloads([replicaSet], []))).toEqual(['web-5d7f9c6b8d-0', 'web-5d7f9c6b8d-1']);
  });

  it('does not count terminal or terminating pods: the controller replaces them', () => {
    const failed = ownedPod('db-0', ref('StatefulSet', 'db'), { phase: 'Failed' });
    const running = ownedPod('db-1', ref('StatefulSet', 'db'), { phase: 'Running' });
    const pods = expandWorkloads([workload('StatefulSet', 'db', { replicas: 3 })], [failed, running]);
    expect(names(pods)).toEqual(['db-2', 'db-3']);
  });

  it('creates nothing when the input already holds enough pods', () => {
    const existing = [0, 1, 2].map((i) => ownedPod(`db-${i}`, ref('StatefulSet', 'db')));
    expect(expandWorkloads([workload('StatefulSet', 'db', { replicas: 2 })], existing)).toEqual([]);
  });

  it('matches owners by name when UIDs are left out, but not when they disagree', () => {
    const byName = ownedPod('a', { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: '' });
    const other = ownedPod('b', ref('StatefulSet', 'db', 'an-older-db'));
    expect(names(expandWorkloads([workload('StatefulSet', 'db', { replicas: 2 })], [byName, other]))).toEqual(['db-1']);
  });

  describe('Jobs', () => {
    it('want spec.parallelism pods', () => {
      expect(names(expandWorkloads([workload('Job', 'train', { parallelism: 3 })], []))).toEqual([
        'train-0',
        'train-1',
        'train-2',
      ]);
    });

    it('want no more pods than completions remain', () => {
      const job = workload('Job', 'backfill', { parallelism: 3, completions: 10 }, { status: { succeeded: 8 } });
      expect(names(expandWorkloads([job], []))).toEqual(['backfill-0', 'backfill-1']);
    });

    it('count succeeded pods in the input when the Job has no status', () => {
      const done = ownedPod('backfill-a', ref('Job', 'backfill'), { phase: 'Succeeded' });
      const job = workload('Job', 'backfill', { parallelism: 2, completions: 2 });
      expect(names(expandWorkloads([job], [done]))).toEqual(['backfill-0']);
    });

    it('want nothing when suspended or finished', () => {
      const suspended = workload('Job', 'later', { suspend: true });
      const complete = workload('Job', 'done', {}, { status: { conditions: [{ type: 'Complete', status: 'True' }] } });
      expect(expandWorkloads([suspended, complete], [])).toEqual([]);
    });
  });

  it('avoids names across workloads of the same namespace', () => {
    const pods = expandWorkloads([workload('Deployment', 'web'), workload('StatefulSet', 'web')], []);
    expect(names(pods)).toEqual(['web-0', 'web-1']);
    expect(new Set(pods.map((p) => p.uid)).size).toBe(2);
  });

  it('synthesizes the workload UID as <namespace>/<name> when absent', () => {
    const deployment = workload('Deployment', 'web');
    delete (deployment.metadata as { uid?: string }).uid;
    expect(expandWorkloads([deployment], [])[0]?.uid).toBe('shop/web-0');
  });

  it('defaults the namespace to default', () => {
    const deployment = workload('Deployment', 'web');
    delete (deployment.metadata as { namespace?: string }).namespace;
    expect(expandWorkloads([deployment], [])[0]?.namespace).toBe('default');
  });

  it('refuses an object that is not a workload', () => {
    expect(() => expandWorkloads([workload('CronJob', 'nightly')], [])).toThrow(
      'CronJob/shop/nightly: kind: expected one of Deployment, ReplicaSet, StatefulSet, Job',
    );
  });

  it('reports a bad replica count and a bad template against the workload', () => {
    expect(() => expandWorkloads([workload('Deployment', 'web', { replicas: 'three' })], [])).toThrow(
      'Deployment/shop/web: spec.replicas: expected an integer, got string "three"',
    );
    const broken = workload('StatefulSet', 'db', {
      template: { spec: { containers: [container('db', { memory: 'lots' })] } },
    });
    expect(() => expandWorkloads([broken], [])).toThrow(
      'StatefulSet/shop/db: spec.template.spec.containers[0].resources.requests.memory: "lots"',
    );
  });
});
