// AL2023 user data (research/aws-provider.md §b.9, §j.7): a MIME archive whose LAST part is our nodeadm
// NodeConfig (nodeadm merges NodeConfigs and later parts win, so ours must come last). The user's own user
// data goes first: its MIME parts as they are, a NodeConfig YAML as a NodeConfig part, anything else as a
// shell script.

import { stringify } from 'yaml';
import type { BootstrapInput } from './bootstrap.js';
import { isMime, type MimePart, readMime, writeMime } from './mime.js';

export const NODECONFIG_CONTENT_TYPE = 'application/node.eks.aws';
const SHELL_CONTENT_TYPE = 'text/x-shellscript; charset="us-ascii"';
const NODECONFIG_API_VERSION = 'node.eks.aws/v1alpha1';
const NODECONFIG_HEADER = '# fleetwright generated NodeConfig';

function userParts(userData: string | undefined): MimePart[] {
  if (userData === undefined || userData.trim() === '') return [];
  if (isMime(userData)) return readMime(userData);
  const isNodeConfig = /^\s*apiVersion:\s*node\.eks\.aws\//m.test(userData) && /^\s*kind:\s*NodeConfig/m.test(userData);
  return [{ contentType: isNodeConfig ? NODECONFIG_CONTENT_TYPE : SHELL_CONTENT_TYPE, body: userData }];
}

/** kubelet --node-labels, sorted so equal label sets render (and hash) equally. */
function nodeLabelsFlag(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`);
  // Quoted exactly as Karpenter writes it (research/aws-provider.md §b.9), which nodeadm is known to accept.
  return `--node-labels="${pairs.join(',')}"`;
}

/** The KubeletConfiguration fields: the node class's kubelet map, then what fleetwright decides. */
function kubeletConfig(input: BootstrapInput): Record<string, unknown> {
  const { kubelet, cluster, maxPods, taints } = input;
  const clusterDNS = kubelet?.clusterDNS ?? (cluster.clusterDns === undefined ? undefined : [cluster.clusterDns]);
  return {
    ...kubelet,
    ...(clusterDNS === undefined ? {} : { clusterDNS }),
    maxPods,
    ...(taints.length === 0
      ? {}
      : {
          registerWithTaints: taints.map((t) =>
            t.value === undefined ? { key: t.key, effect: t.effect } : { key: t.key, value: t.value, effect: t.effect },
          ),
        }),
  };
}

/** The NodeConfig document nodeadm reads. */
export function nodeConfig(input: BootstrapInput): Record<string, unknown> {
  const { cluster } = input;
  return {
    apiVersion: NODECONFIG_API_VERSION,
    kind: 'NodeConfig',
    metadata: {},
    spec: {
      cluster: {
        apiServerEndpoint: cluster.endpoint,
        certificateAuthority: cluster.certificateAuthority,
        cidr: cluster.serviceCidr,
        name: cluster.name,
      },
      containerd: {},
      instance: { localStorage: input.instanceStorePolicy === 'RAID0' ? { strategy: 'RAID0' } : {} },
      kubelet: { config: kubeletConfig(input), flags: [nodeLabelsFlag(input.labels)] },
    },
  };
}

/** AL2023 user data: the user's parts, then the NodeConfig. */
export function renderNodeadm(input: BootstrapInput): string {
  const ours: MimePart = {
    contentType: NODECONFIG_CONTENT_TYPE,
    body: `${NODECONFIG_HEADER}\n${stringify(nodeConfig(input))}`,
  };
  return writeMime([...userParts(input.userData), ours]);
}
