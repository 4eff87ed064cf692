// The mappers on real-looking `kubectl get ... -o json` output (test/fixtures/kubectl), read the way `plan`
// reads its inputs: readObjects → classifyObjects → to*/expandWorkloads.

import { describe, expect, it } from 'vitest';
import { classifyObjects } from '../../../../shared/adapters/kubernetes/mappers/classify.js';
import { toDaemonSet } from '../../../../shared/adapters/kubernetes/mappers/daemonset.js';
import { toNode } from '../../../../shared/adapters/kubernetes/mappers/node.js';
import { toPodDisruptionBudget } from '../../../../shared/adapters/kubernetes/mappers/pdb.js';
import { toPod } from '../../../../shared/adapters/kubernetes/mappers/pod.js';
import { expandWorkloads } from '../../../../shared/adapters/kubernetes/mappers/workloads.js';
import { readObjects } from '../../../../shared/cli/inputs.js';
import { isDaemonSetPod, isPending, podKey } from '../../../../shared/core/model/pod.js';
import { cpu, gi, mi } from './objects.js';

const FIXTURES = new URL('../../../fixtures/kubectl/', import.meta.url).pathname;
const load = async (file: string) => classifyObjects(await readObjects(`${FIXTURES}${file}`));

const [podObjects, nodeObjects, daemonSetObjects, pdbObjects, workloadObjects] = await Promise.all(
  ['pods.json', 'nodes.json', 'daemonsets.json', 'pdbs.json', 'workloads.json'].map(load),
);

describe('kubectl get pods -A -o json', () => {
  const pods = podObjects.pods.map(toPod);
  const byName = new Map(pods.map((p) => [p.name, p]));
  const get = (name: string) => byName.get(name) ?? expect.fail(`no pod ${name}`);

  it('reads every pod of the List', () => {
    expect(pods.map(podKey)).toEqual([
      'kube-system/coredns-787cb67946-x8qlp',
      'kube-system/aws-node-7xk2p',
      'default/web-5d7f9c6b8d-2xkqz',
      'default/web-5d7f9c6b8d-h7m4t',
      'batch/report-28471230-jx9vq',
      'monitoring/prometheus-0',
      'default/sandboxed',
      'default/critical-batch',
      'default/api-6c9b7d8f5-q2w3e',
    ]);
  });

  it('finds the pending pods: unbound, active, not daemon, not nominated', () => {
    expect(pods.filter(isPending).map((p) => p.name)).toEqual(['web-5d7f9c6b8d-2xkqz', 'prometheus-0', 'sandboxed']);
  });

  it('maps the pending web pod: requests, normalized selector, folded spread, scheduler verdict', () => {
    const web = get('web-5d7f9c6b8d-2xkqz');
    expect(web.requests).toEqual({ cpu: 1500, memory: gi(2), pods: 1 });
    expect(web.nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64', 'karpenter.sh/capacity-type': 'spot' });
    expect(web.unschedulable).toBe(true);
    expect(web.topologySpreadConstraints[0]?.labelSelector?.matchExpressions).toEqual([
      { key: 'pod-template-hash', operator: 'In', values: ['5d7f9c6b8d'] },
    ]);
  });

  it('maps init containers and a sidecar as kube-scheduler counts them (init 10 + sidecar 4.9 + app 6)', () => {
    expect(get('prometheus-0').requests).toEqual({ cpu: cpu(10.9), memory: gi(24) + mi(50), pods: 1 });
  });

  it('adds RuntimeClass overhead', () => {
    expect(get('sandboxed').requests).toEqual({ cpu: 750, memory: mi(632), pods: 1 });
  });

  it('counts a Job pod’s limits as requests', () => {
    expect(get('report-28471230-jx9vq')).toMatchObject({
      phase: 'Succeeded',
      requests: { cpu: cpu(2), memory: gi(4) },
    });
  });

  it('recognizes the DaemonSet pod, its host ports and its matchFields affinity', () => {
    const awsNode = get('aws-node-7xk2p');
    expect(isDaemonSetPod(awsNode)).toBe(true);
    expect(awsNode.usesMatchFields).toBe(true);
    expect(awsNode.hostPorts.map((p) => p.port)).toEqual([61678, 8162]);
    // The init container (25m) runs before the two 25m containers: max(25, 50).
    expect(awsNode.requests.cpu).toBe(50);
  });

  it('keeps a terminating pod out of the pending ones', () => {
    expect(get('api-6c9b7d8f5-q2w3e').deletionTimestamp).toBe(Date.UTC(2025, 5, 11, 9, 8, 0));
  });
});

describe('kubectl get nodes -o json', () => {
  const nodes = nodeObjects.nodes.map(toNode);

  it('maps an EKS node launched by Karpenter', () => {
    const [node] = nodes;
    expect(node).toMatchObject({
      name: 'ip-192-168-12-34.ec2.internal',
      providerID: 'aws:///us-east-1a/i-0a1b2c3d4e5f67890',
      ready: true,
      allocatable: { cpu: 1930, memory: 7134384 * 1024, pods: 29, 'ephemeral-storage': 18181869946 },
      creationTimestamp: Date.UTC(2025, 5, 10, 13, 2, 49),
    });
    expect(node?.labels).toMatchObject({
      'node.kubernetes.io/instance-type': 'm7i.large',
      'topology.kubernetes.io/zone': 'us-east-1a',
      'karpenter.sh/capacity-type': 'spot',
      'karpenter.sh/nodepool': 'default',
    });
    expect(Object.keys(node?.labels ?? {}).filter((k) => k.startsWith('beta.') || k.startsWith('failure-'))).toEqual(
      [],
    );
  });

  it('keeps the managed node group’s taint', () => {
    expect(nodes[1]?.taints).toEqual([{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NoSchedule' }]);
  });

  it('maps a node that is not ready and being deleted', () => {
    expect(nodes[2]).toMatchObject({
      ready: false,
      unschedulable: true,
      deletionTimestamp: Date.UTC(2025, 5, 11, 9, 7, 45),
    });
    expect(nodes[2]?.taints.map((t) => t.key)).toContain('karpenter.sh/disrupted');
  });
});

describe('kubectl get ds -n kube-system -o json', () => {
  const daemonSets = daemonSetObjects.daemonSets.map(toDaemonSet);

  it('maps each DaemonSet with its per-node pod', () => {
    expect(daemonSets.map((d) => [d.name, d.pod.requests.cpu])).toEqual([
      ['aws-node', 50],
      ['kube-proxy', 100],
      // Only limits are set; they count as requests.
      ['eks-pod-identity-agent', 50],
    ]);
    expect(daemonSets[2]?.pod.requests.memory).toBe(mi(64));
  });
});

describe('kubectl get pdb -A -o json', () => {
  const budgets = pdbObjects.podDisruptionBudgets.map(toPodDisruptionBudget);

  it('maps the budgets with the controller’s verdict', () => {
    expect(budgets).toEqual([
      {
        namespace: 'kube-system',
        name: 'coredns',
        maxUnavailable: '1',
        disruptionsAllowed: 0,
        selector: { matchLabels: { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' } },
      },
      {
        namespace: 'default',
        name: 'web',
        minAvailable: '50%',
        disruptionsAllowed: 0,
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
        selector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['web'] }] },
      },
    ]);
  });
});

describe('kubectl get deploy,rs,sts,job -A -o json', () => {
  const pods = podObjects.pods.map(toPod);
  const workloads = workloadObjects.workloads;

  it('adds only the pods the controllers have yet to create', () => {
    const expanded = expandWorkloads(workloads, pods);
    // web: 3 wanted, 2 through its ReplicaSet; coredns: 2 wanted, 1 found by pod-template-hash;
    // prometheus: 2 wanted, 1 there; report: complete; backfill: 2 of 10 completions left.
    expect(expanded.map(podKey)).toEqual([
      'default/web-2',
      'kube-system/coredns-1',
      'monitoring/prometheus-1',
      'batch/backfill-0',
      'batch/backfill-1',
    ]);
    expect(expanded[2]?.requests.cpu).toBe(cpu(10.9));
  });
});
