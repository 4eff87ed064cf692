// Ownership tags (DESIGN.md §2 "Ownership"): what makes an instance, volume, network interface, fleet or launch
// template ours. The IAM policy conditions CreateFleet, TerminateInstances and CreateTags on the cluster tag, so
// these keys are a contract with infra/, not a convention.
//
// Karpenter's own keys (`karpenter.sh/nodepool`, `karpenter.k8s.aws/ec2nodeclass`) are deliberately NOT set: a
// Karpenter still running during a migration garbage-collects instances carrying them that have no NodeClaim.

import type { Tag, TagSpecification } from '@aws-sdk/client-ec2';
import type { NodeClass, NodePool } from '../../../core/model/nodepool.js';

export const TAG_CLUSTER = 'fleetwright.io/cluster';
export const TAG_NODEPOOL = 'fleetwright.io/nodepool';
export const TAG_NODECLASS = 'fleetwright.io/nodeclass';
export const TAG_NODEPOOL_HASH = 'fleetwright.io/nodepool-hash';
export const TAG_NODECLASS_HASH = 'fleetwright.io/nodeclass-hash';
/** EKS console and cost allocation group resources by it. */
export const TAG_EKS_CLUSTER_NAME = 'eks:eks-cluster-name';
/** Set after registration only (research/aws-provider.md §j.3). */
export const TAG_NAME = 'Name';

/** The legacy cloud-provider ownership tag the VPC CNI and load-balancer controller look for. */
export function kubernetesClusterTag(cluster: string): string {
  return `kubernetes.io/cluster/${cluster}`;
}

/** Tags of everything a launch creates: the node class's own first, ours over them. */
export function launchTags(
  cluster: string,
  nodePool: NodePool,
  nodeClass: NodeClass,
  nodeClassTags: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...nodeClassTags,
    [TAG_CLUSTER]: cluster,
    [TAG_NODEPOOL]: nodePool.name,
    [TAG_NODECLASS]: nodeClass.name,
    [TAG_NODEPOOL_HASH]: nodePool.templateHash,
    [TAG_NODECLASS_HASH]: nodeClass.specHash,
    [TAG_EKS_CLUSTER_NAME]: cluster,
    [kubernetesClusterTag(cluster)]: 'owned',
  };
}

/** Tags of the launch-template resource itself: enough to find a cluster's (or a class's) templates to delete. */
export function launchTemplateTags(cluster: string, nodeClass: NodeClass): Record<string, string> {
  return { [TAG_CLUSTER]: cluster, [TAG_NODECLASS]: nodeClass.name, [TAG_EKS_CLUSTER_NAME]: cluster };
}

/** EC2's `Tag[]`, sorted by key so equal maps hash and compare equally. */
export function toTagList(tags: Readonly<Record<string, string>>): Tag[] {
  return Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] as string }));
}

export function tagSpecifications(
  resourceTypes: readonly TagSpecification['ResourceType'][],
  tags: Readonly<Record<string, string>>,
): TagSpecification[] {
  const list = toTagList(tags);
  return resourceTypes.map((ResourceType) => ({ ResourceType, Tags: list }));
}

/** EC2's `Tag[]` back to a map. */
export function fromTagList(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { Key, Value } of tags ?? []) if (Key !== undefined) out[Key] = Value ?? '';
  return out;
}
