// The kubelets (and the node lifecycle bits of the cloud controller manager): a running instance registers as a
// Node after a realistic delay, with the labels, taints and maxPods its user data gives it plus the labels the
// kubelet and the cloud provider set themselves (instance type, zone, region, arch, os, hostname, capacity type);
// allocatable follows the catalogue's formulas (shared/core/instancetypes/allocatable.ts), the same ones the core
// plans with. It turns Ready, and its startup taints are lifted (as a CNI or agent DaemonSet would lift them).
// When the instance goes away, its pods die and its Node is deleted.

import { capacityAndAllocatable, nodeClassOverhead } from '../../core/instancetypes/allocatable.js';
import type { CatalogueEntry } from '../../core/instancetypes/catalogue.js';
import { instanceTypeLabels } from '../../core/instancetypes/labels.js';
import * as L from '../../core/labels.js';
import type { NodeClass, NodePool } from '../../core/model/nodepool.js';
import type { Resources } from '../../core/resources/resources.js';
import type { SimClock } from '../clock.js';
import { privateDnsName, type SimInstance } from '../ec2/instance-record.js';
import type { SimulatedEc2 } from '../ec2/simulated-ec2.js';
import type { KubeObject } from '../kube-api/resources.js';
import { type ClusterObjects, type NodeObject, timestamp } from './objects.js';
import { readUserData } from './user-data.js';

/** running -> Node object: nodeadm, containerd and the kubelet start (EKS AL2023 nodes join ~30-60 s after launch). */
export const REGISTRATION_DELAY_MS = 25_000;
/** Node -> Ready: the VPC CNI's daemon initialises networking. */
export const READY_DELAY_MS = 10_000;
/** Ready -> startup taints removed: the agent that owns them (a CNI, a security agent) reports in. */
export const STARTUP_TAINT_DELAY_MS = 10_000;

export interface KubeletOptions {
  readonly clock: SimClock;
  readonly objects: ClusterObjects;
  readonly ec2: SimulatedEc2;
  readonly catalogue: ReadonlyMap<string, CatalogueEntry>;
  /** The config in force: node classes give the kubelet's reservations, pools the startup taints. */
  readonly config: () => { readonly nodePools: readonly NodePool[]; readonly nodeClasses: readonly NodeClass[] };
  readonly region: string;
}

export class Kubelets {
  /** Instance id -> node name, for the instances that registered. */
  private readonly registered = new Map<string, string>();
  /** Virtual time of each registration, by node name. */
  readonly registeredAt = new Map<string, number>();

  constructor(private readonly options: KubeletOptions) {
    options.ec2.onStateChange((instance, previous) => this.changed(instance, previous));
  }

  private changed(instance: Readonly<SimInstance>, previous: string | undefined): void {
    const { clock } = this.options;
    if (instance.state === 'running' && previous === 'pending') {
      clock.setTimer(REGISTRATION_DELAY_MS, () => this.register(instance.id));
    } else if (instance.state === 'shutting-down' || instance.state === 'terminated') {
      this.goAway(instance.id);
    }
  }

  private register(id: string): void {
    const { ec2, objects, clock } = this.options;
    const instance = ec2.instance(id);
    if (instance?.state !== 'running') return;
    const node = this.nodeObject(instance);
    objects.store.create('nodes', node);
    this.registered.set(id, node.metadata.name);
    this.registeredAt.set(node.metadata.name, clock.now());
    clock.setTimer(READY_DELAY_MS, () => this.becomeReady(node.metadata.name));
  }

  private becomeReady(name: string): void {
    const { objects, clock } = this.options;
    const node = objects.node(name);
    if (!node) return;
    objects.update('nodes', { ...node, status: { ...node.status, conditions: [readyCondition(true, clock.now())] } });
    clock.setTimer(STARTUP_TAINT_DELAY_MS, () => this.liftStartupTaints(name));
  }

  private liftStartupTaints(name: string): void {
    const { objects, config } = this.options;
    const node = objects.node(name);
    if (!node) return;
    const pool = config().nodePools.find((p) => p.name === node.metadata.labels?.[L.LABEL_NODEPOOL]);
    const startup = new Set((pool?.startupTaints ?? []).map((t) => `${t.key}:${t.effect}`));
    if (startup.size === 0) return;
    const taints = (node.spec?.taints ?? []).filter((t) => !startup.has(`${t.key}:${t.effect}`));
    objects.update('nodes', { ...node, spec: { ...node.spec, taints } });
  }

  /** The instance is shutting down or gone: its containers stop at once, and its Node is removed. */
  private goAway(id: string): void {
    const { objects } = this.options;
    const name = this.registered.get(id);
    if (name === undefined) return;
    this.registered.delete(id);
    for (const pod of objects.pods()) if (pod.spec?.nodeName === name) objects.deletePod(pod);
    if (objects.node(name)) objects.store.delete('nodes', undefined, name);
  }

  private nodeObject(instance: Readonly<SimInstance>): KubeObject & NodeObject {
    const { catalogue, config, region, clock } = this.options;
    const name = privateDnsName(instance.privateIp);
    const boot = readUserData(instance.userData);
    const entry = catalogue.get(instance.instanceType);
    const nodeClass = config().nodeClasses.find((c) => c.name === instance.tags.get('fleetwright.io/nodeclass'));
    const labels: Record<string, string> = {
      ...(entry ? instanceTypeLabels(entry, 'linux', region) : {}),
      ...boot.labels,
      [L.LABEL_INSTANCE_TYPE]: instance.instanceType,
      [L.LABEL_ZONE]: instance.zone.name,
      [L.LABEL_REGION]: region,
      [L.LABEL_ARCH]: instance.architecture === 'arm64' ? 'arm64' : 'amd64',
      [L.LABEL_OS]: 'linux',
      [L.LABEL_HOSTNAME]: name,
      [L.LABEL_CAPACITY_TYPE]: instance.capacityType,
      'topology.k8s.aws/zone-id': instance.zone.id,
    };
    const nodepool = instance.tags.get('fleetwright.io/nodepool');
    if (nodepool && !labels[L.LABEL_NODEPOOL]) labels[L.LABEL_NODEPOOL] = nodepool;
    const sized = entry && nodeClass ? capacityAndAllocatable(entry, nodeClassOverhead(nodeClass)) : undefined;
    const pods = boot.maxPods ?? sized?.capacity.pods ?? 110;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels },
      spec: { providerID: `aws:///${instance.zone.name}/${instance.id}`, taints: boot.taints },
      status: {
        capacity: quantities({ cpu: (entry?.vcpu ?? 2) * 1000, ...sized?.capacity, pods }),
        allocatable: quantities({ cpu: (entry?.vcpu ?? 2) * 1000, ...sized?.allocatable, pods }),
        conditions: [readyCondition(false, clock.now())],
        addresses: [
          { type: 'InternalIP', address: instance.privateIp },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: nodeInfo(instance),
      },
    } as KubeObject & NodeObject;
  }
}

function readyCondition(ready: boolean, at: number) {
  return {
    type: 'Ready',
    status: ready ? 'True' : 'False',
    reason: ready ? 'KubeletReady' : 'KubeletNotReady',
    message: ready
      ? 'kubelet is posting ready status'
      : 'container runtime network not ready: cni plugin not initialized',
    lastTransitionTime: timestamp(at),
    lastHeartbeatTime: timestamp(at),
  };
}

function nodeInfo(instance: Readonly<SimInstance>) {
  return {
    architecture: instance.architecture === 'arm64' ? 'arm64' : 'amd64',
    operatingSystem: 'linux',
    kubeletVersion: 'v1.33.0-eks-sim',
    osImage: 'Amazon Linux 2023 (simulated)',
    containerRuntimeVersion: 'containerd://1.7.27',
    kernelVersion: '6.1.0',
    machineID: instance.id,
    systemUUID: instance.id,
    bootID: instance.id,
    kubeProxyVersion: '',
  };
}

/** Canonical amounts as API quantities: CPU in millicores, everything else as plain integers. */
function quantities(resources: Resources): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, amount] of Object.entries(resources)) {
    out[key] = key === 'cpu' ? `${Math.floor(amount)}m` : String(Math.floor(amount));
  }
  return out;
}
