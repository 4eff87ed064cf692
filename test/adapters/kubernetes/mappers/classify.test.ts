// classifyObjects: sorting the objects of a `plan` input by kind.

import { describe, expect, it } from 'vitest';
import { classifyObjects } from '../../../../shared/adapters/kubernetes/mappers/classify.js';

const obj = (kind: string | undefined, name: string, namespace?: string) => ({
  ...(kind ? { kind } : {}),
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

describe('classifyObjects', () => {
  it('sorts every kind plan reads', () => {
    const bag = classifyObjects([
      obj('Pod', 'web-0', 'shop'),
      obj('Node', 'node-a'),
      obj('DaemonSet', 'aws-node', 'kube-system'),
      obj('PodDisruptionBudget', 'web', 'shop'),
      obj('Deployment', 'web', 'shop'),
      obj('ReplicaSet', 'web-5d7f9c6b8d', 'shop'),
      obj('StatefulSet', 'db', 'shop'),
      obj('Job', 'backfill', 'batch'),
    ]);
    expect(bag.pods).toHaveLength(1);
    expect(bag.nodes).toHaveLength(1);
    expect(bag.daemonSets).toHaveLength(1);
    expect(bag.podDisruptionBudgets).toHaveLength(1);
    expect(bag.workloads.map((w) => w.kind)).toEqual(['Deployment', 'ReplicaSet', 'StatefulSet', 'Job']);
    expect(bag.ignored).toEqual([]);
  });

  it('sets other kinds aside with a note naming them', () => {
    const bag = classifyObjects([obj('Pod', 'web-0'), obj('ConfigMap', 'aws-auth', 'kube-system')]);
    expect(bag.pods).toHaveLength(1);
    expect(bag.ignored).toEqual([
      {
        index: 1,
        kind: 'ConfigMap',
        name: 'kube-system/aws-auth',
        note: 'ignored ConfigMap kube-system/aws-auth: plan reads only Pod, Node, DaemonSet, PodDisruptionBudget, Deployment, ReplicaSet, StatefulSet, Job',
      },
    ]);
  });

  it('gives objects without a kind the default kind, when there is one', () => {
    const bag = classifyObjects([obj(undefined, 'hand-written')], { defaultKind: 'Pod' });
    expect(bag.pods).toEqual([{ kind: 'Pod', metadata: { name: 'hand-written' } }]);
  });

  it('ignores objects without a kind otherwise, and anything that is not an object', () => {
    const bag = classifyObjects([obj(undefined, 'mystery'), 'text']);
    expect(bag.ignored.map((i) => i.note)).toEqual([
      'ignored item 0 (mystery): it has no kind',
      'ignored item 1: not an object',
    ]);
  });

  it('matches kinds exactly, as the API spells them', () => {
    expect(classifyObjects([obj('pod', 'lower')]).ignored).toHaveLength(1);
  });
});
