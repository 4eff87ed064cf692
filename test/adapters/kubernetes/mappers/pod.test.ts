// toPod: the API's Pod object to the core's Pod (DESIGN §5 "Pods"; karpenter-core §1.2).

import { describe, expect, it } from 'vitest';
import { MappingError } from '../../../../shared/adapters/kubernetes/mappers/fields.js';
import { toPod } from '../../../../shared/adapters/kubernetes/mappers/pod.js';
import { isPending } from '../../../../shared/core/model/pod.js';
import { container, podObject, thrown } from './objects.js';

describe('toPod', () => {
  describe('metadata', () => {
    it('keeps identity, labels, annotations and owners, with times as epoch milliseconds', () => {
      const pod = toPod(
        podObject('web-0', {
          metadata: {
            name: 'web-0',
            namespace: 'shop',
            uid: '6f1c',
            labels: { app: 'web' },
            annotations: { 'karpenter.sh/do-not-disrupt': 'true' },
            creationTimestamp: '2025-06-11T09:00:00Z',
            deletionTimestamp: '2025-06-11T09:05:00Z',
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'ss-1', controller: true },
            ],
          },
        }),
      );
      expect(pod).toMatchObject({
        uid: '6f1c',
        namespace: 'shop',
        name: 'web-0',
        labels: { app: 'web' },
        annotations: { 'karpenter.sh/do-not-disrupt': 'true' },
        ownerReferences: [{ kind: 'StatefulSet', name: 'web', uid: 'ss-1', controller: true }],
        creationTimestamp: Date.UTC(2025, 5, 11, 9, 0, 0),
        deletionTimestamp: Date.UTC(2025, 5, 11, 9, 5, 0),
      });
    });

    it('synthesizes the UID as <namespace>/<name>, the namespace as default, and creation time 0', () => {
      const pod = toPod({ metadata: { name: 'bare' }, spec: { containers: [] } });
      expect(pod).toMatchObject({ uid: 'default/bare', namespace: 'default', creationTimestamp: 0 });
      expect(pod.deletionTimestamp).toBeUndefined();
    });

    it('reads YAML numbers in labels as text', () => {
      const pod = toPod(podObject('v', { metadata: { name: 'v', labels: { version: 2 as unknown as string } } }));
      expect(pod.labels).toEqual({ version: '2' });
    });
  });

  describe('status', () => {
    it('defaults the phase to Pending, so a freshly written pod is pending', () => {
      const pod = toPod(podObject());
      expect(pod.phase).toBe('Pending');
      expect(pod.unschedulable).toBe(false);
      expect(isPending(pod)).toBe(true);
    });

    it("marks kube-scheduler's PodScheduled=False/Unschedulable verdict", () => {
      const status = {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes' }],
      };
      expect(toPod(podObject('p', { status })).unschedulable).toBe(true);
    });

    it('does not mark other PodScheduled=False reasons', () => {
      const status = { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulerError' }] };
      expect(toPod(podObject('p', { status })).unschedulable).toBe(false);
    });

    it('keeps startTime and nominatedNodeName (a nominated pod is not pending)', () => {
      const status = { phase: 'Pending', startTime: '2025-06-11T09:00:02Z', nominatedNodeName: 'node-a' };
      const pod = toPod(podObject('p', { status }));
      expect(pod).toMatchObject({ startTime: Date.UTC(2025, 5, 11, 9, 0, 2), nominatedNodeName: 'node-a' });
      expect(isPending(pod)).toBe(false);
    });
  });

  describe('spec', () => {
    it('keeps the node, priority and grace period', () => {
      const pod = toPod(
        podObject('p', {
          spec: {
            containers: [],
            nodeName: 'node-a',
            priorityClassName: 'system-node-critical',
            priority: 2000001000,
            terminationGracePeriodSeconds: 10,
          },
        }),
      );
      expect(pod).toMatchObject({
        nodeName: 'node-a',
        priorityClassName: 'system-node-critical',
        priority: 2000001000,
        terminationGracePeriodSeconds: 10,
      });
    });

    it('normalizes legacy keys in the node selector', () => {
      const nodeSelector = { 'beta.kubernetes.io/arch': 'arm64', 'karpenter.sh/capacity-type': 'spot' };
      expect(toPod(podObject('p', { spec: { containers: [], nodeSelector } })).nodeSelector).toEqual({
        'kubernetes.io/arch': 'arm64',
        'karpenter.sh/capacity-type': 'spot',
      });
    });

    it('keeps tolerations without tolerationSeconds', () => {
      const tolerations = [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
        { operator: 'Exists' },
      ];
      expect(toPod(podObject('p', { spec: { containers: [], tolerations } })).tolerations).toEqual([
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
        { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
        { operator: 'Exists' },
      ]);
    });

    it('collects host ports of the containers, defaulting protocol to TCP and hostIP to every address', () => {
      const ports = [
        { containerPort: 8080 },
        { containerPort: 53, hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.1' },
        { containerPort: 9100, hostPort: 9100 },
      ];
      const pod = toPod(podObject('p', { spec: { containers: [container('exporter', {}, {}, { ports })] } }));
      expect(pod.hostPorts).toEqual([
        { port: 53, protocol: 'UDP', hostIP: '10.0.0.1' },
        { port: 9100, protocol: 'TCP', hostIP: '' },
      ]);
    });
  });

  describe('volumes', () => {
    it('names the claims of persistentVolumeClaim volumes and of generic ephemeral volumes (<pod>-<volume>), once each', () => {
      const volumes = [
        { name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } },
        { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } } },
        { name: 'config', configMap: { name: 'db-config' } },
        { name: 'again', persistentVolumeClaim: { claimName: 'data-db-0', readOnly: true } },
        { name: 'tmp', emptyDir: {} },
      ];
      const pod = toPod(podObject('db-0', { spec: { containers: [], volumes } }));
      expect(pod.persistentVolumeClaims).toEqual(['data-db-0', 'db-0-scratch']);
    });

    it('leaves the field out for a pod without claims', () => {
      const volumes = [{ name: 'tmp', emptyDir: {} }];
      expect(toPod(podObject('p', { spec: { containers: [], volumes } }))).not.toHaveProperty('persistentVolumeClaims');
      expect(toPod(podObject('p'))).not.toHaveProperty('persistentVolumeClaims');
    });

    it('names the field of a claim without a name, and of volumes that are not a list', () => {
      const nameless = podObject('db-0', {
        spec: { containers: [], volumes: [{ name: 'data', persistentVolumeClaim: {} as never }] },
      });
      expect(() => toPod(nameless)).toThrow(
        'Pod/default/db-0: spec.volumes[0].persistentVolumeClaim.claimName: missing: a non-empty string is required',
      );
      const ephemeral = podObject('db-0', { spec: { containers: [], volumes: [{ ephemeral: {} } as never] } });
      expect(() => toPod(ephemeral)).toThrow('Pod/default/db-0: spec.volumes[0].name: missing');
      const notList = podObject('db-0', { spec: { containers: [], volumes: { data: {} } as never } });
      expect(() => toPod(notList)).toThrow('Pod/default/db-0: spec.volumes: expected a list, got an object');
    });
  });

  describe('errors', () => {
    it('names the pod and the path of a field of the wrong type', () => {
      const pod = podObject('api', { spec: { containers: [], tolerations: { key: 'x' } as never } });
      const error = thrown(() => toPod(pod));
      expect(error).toBeInstanceOf(MappingError);
      expect(error).toMatchObject({ object: 'Pod/default/api', path: 'spec.tolerations' });
      expect((error as Error).message).toBe('Pod/default/api: spec.tolerations: expected a list, got an object');
    });

    it('requires a name', () => {
      expect(() => toPod({ metadata: { namespace: 'x' }, spec: { containers: [] } })).toThrow(
        'Pod/x/(unnamed): metadata.name: missing',
      );
    });

    it('rejects a creation time that is not RFC 3339', () => {
      const pod = podObject('p', { metadata: { name: 'p', creationTimestamp: 'yesterday' } });
      expect(() => toPod(pod)).toThrow('metadata.creationTimestamp: "yesterday" is not an RFC 3339 time');
    });

    it('ignores fields it does not read, however odd', () => {
      const pod = { ...podObject(), spec: { containers: [], futureField: { anything: [1, 2] } }, extra: true };
      expect(() => toPod(pod as never)).not.toThrow();
    });
  });
});
