// What every AMI family's user data is rendered from, and the label rules all families share
// (research/aws-provider.md §b.9). The renderers live next to this file: nodeadm.ts (AL2023),
// bottlerocket.ts; Custom passes the user's user data through unchanged.

import type { KubeletDocument } from '../../../../config/kubelet-schema.js';
import { LABEL_CAPACITY_TYPE, LABEL_NODEPOOL, WELL_KNOWN_LABELS } from '../../../../core/labels.js';
import type { AmiFamily } from '../../../../core/model/nodepool.js';
import type { PlannedNode } from '../../../../core/model/plan.js';
import type { Taint } from '../../../../core/model/taints.js';
import type { ClusterInfo } from '../cluster.js';
import { renderBottlerocket } from './bottlerocket.js';
import { renderNodeadm } from './nodeadm.js';

/** EC2 refuses user data over 16 KiB (research/aws-provider.md §b.6). */
export const USER_DATA_MAX_BYTES = 16_384;

export interface BootstrapInput {
  readonly cluster: ClusterInfo;
  /** Node labels the kubelet sets at registration (already filtered by `bootstrapLabels`). */
  readonly labels: Readonly<Record<string, string>>;
  /** Taints the node registers with: the pool's taints and startup taints. */
  readonly taints: readonly Taint[];
  /** The pod limit of the instance types this user data serves (maxPods is baked in, so it splits templates). */
  readonly maxPods: number;
  /** The node class's `spec.kubelet`, passed to the kubelet as given. */
  readonly kubelet?: KubeletDocument | undefined;
  /** The node class's `spec.userData`. */
  readonly userData?: string | undefined;
  readonly instanceStorePolicy?: 'RAID0' | undefined;
}

/** Label domains the kubelet may not set on itself (NodeRestriction); the reconcile patches them on later. */
const RESTRICTED_DOMAINS = ['kubernetes.io', 'k8s.io'];

function restrictedDomain(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const domain = key.slice(0, slash);
  return RESTRICTED_DOMAINS.some((d) => domain === d || domain.endsWith(`.${d}`));
}

/**
 * The labels a planned node's kubelet registers with: the pool's and pods' own labels plus nodepool, node class
 * and capacity type. Instance-type and zone labels are left out: one launch template serves every option of
 * the fleet request, and the kubelet and cloud provider set those labels themselves.
 */
export function bootstrapLabels(node: PlannedNode): Record<string, string> {
  const labels: Record<string, string> = {};
  // Sorted: the rendered user data, and so the launch template's name, must not depend on label order.
  for (const key of Object.keys(node.labels).sort()) {
    const typeSpecific = WELL_KNOWN_LABELS.has(key) && key !== LABEL_NODEPOOL && key !== LABEL_CAPACITY_TYPE;
    if (!typeSpecific && !restrictedDomain(key)) labels[key] = node.labels[key] as string;
  }
  return labels;
}

/**
 * The user data (plain text, not yet base64) for a node class's AMI family. Throws when the result exceeds
 * EC2's 16 KiB limit or the user's own user data cannot be read.
 */
export function renderUserData(family: AmiFamily, input: BootstrapInput): string {
  const text =
    family === 'AL2023'
      ? renderNodeadm(input)
      : family === 'Bottlerocket'
        ? renderBottlerocket(input)
        : (input.userData ?? '');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > USER_DATA_MAX_BYTES) {
    throw new Error(`User data is limited to ${USER_DATA_MAX_BYTES} bytes; the rendered user data has ${bytes}`);
  }
  return text;
}
