// Bottlerocket user data (research/aws-provider.md §b.9): TOML settings. The user's TOML is read and our keys
// overwrite theirs under `settings.kubernetes`; node labels are merged (ours win) and node taints replaced.
// podsPerCore is ignored, as Bottlerocket has no such setting.

import type { BootstrapInput } from './bootstrap.js';
import { readToml, type TomlTable, type TomlValue, writeToml } from './toml.js';

/** With instance-store RAID0, this bootstrap command formats the NVMe disks and binds kubelet's dirs onto them. */
const RAID0_COMMAND_NAME = '000-mount-instance-storage';
const RAID0_COMMANDS: TomlValue = [
  ['apiclient', 'ephemeral-storage', 'init'],
  ['apiclient', 'ephemeral-storage', 'bind', '--dirs', '/var/lib/containerd', '/var/lib/kubelet', '/var/log/pods'],
];

function table(parent: TomlTable, key: string): TomlTable {
  const existing = parent[key];
  const child: TomlTable = typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
  parent[key] = child;
  return child;
}

/** Copies the kubelet fields Bottlerocket has settings for, under their Bottlerocket names. */
function kubeletSettings(kubernetes: TomlTable, input: BootstrapInput): void {
  const k = input.kubelet;
  if (k === undefined) return;
  const maps: readonly (readonly [Record<string, string> | undefined, string])[] = [
    [k.kubeReserved as Record<string, string> | undefined, 'kube-reserved'],
    [k.systemReserved as Record<string, string> | undefined, 'system-reserved'],
    [k.evictionHard, 'eviction-hard'],
    [k.evictionSoft, 'eviction-soft'],
    [k.evictionSoftGracePeriod, 'eviction-soft-grace-period'],
  ];
  for (const [map, name] of maps) if (map !== undefined) kubernetes[name] = { ...map };
  if (k.evictionMaxPodGracePeriod !== undefined)
    kubernetes['eviction-max-pod-grace-period'] = k.evictionMaxPodGracePeriod;
  // Bottlerocket reads the image-GC thresholds as strings.
  if (k.imageGCHighThresholdPercent !== undefined) {
    kubernetes['image-gc-high-threshold-percent'] = String(k.imageGCHighThresholdPercent);
  }
  if (k.imageGCLowThresholdPercent !== undefined) {
    kubernetes['image-gc-low-threshold-percent'] = String(k.imageGCLowThresholdPercent);
  }
  if (k.cpuCFSQuota !== undefined) kubernetes['cpu-cfs-quota-enforced'] = k.cpuCFSQuota;
}

/** Taints as Bottlerocket spells them: key -> ["value:Effect", ...] (":Effect" without a value). */
function nodeTaints(input: BootstrapInput): TomlTable {
  const taints: Record<string, string[]> = {};
  for (const t of input.taints) taints[t.key] = [...(taints[t.key] ?? []), `${t.value ?? ''}:${t.effect}`];
  return taints;
}

/** The settings document, from the user's TOML (if any) with ours written over it. */
export function bottlerocketSettings(input: BootstrapInput): TomlTable {
  const root = input.userData?.trim() ? readToml(input.userData) : {};
  const settings = table(root, 'settings');
  const kubernetes = table(settings, 'kubernetes');
  const { cluster } = input;
  Object.assign(kubernetes, {
    'api-server': cluster.endpoint,
    'cluster-certificate': cluster.certificateAuthority,
    'cluster-name': cluster.name,
    'max-pods': input.maxPods,
  });
  const dns = input.kubelet?.clusterDNS?.[0] ?? cluster.clusterDns;
  if (dns !== undefined) kubernetes['cluster-dns-ip'] = dns;
  kubeletSettings(kubernetes, input);
  kubernetes['node-labels'] = { ...table(kubernetes, 'node-labels'), ...input.labels };
  kubernetes['node-taints'] = nodeTaints(input);
  if (input.instanceStorePolicy === 'RAID0') {
    const command = table(table(settings, 'bootstrap-commands'), RAID0_COMMAND_NAME);
    Object.assign(command, {
      commands: RAID0_COMMANDS,
      mode: 'always',
      essential: true,
    });
  }
  return root;
}

/** Bottlerocket user data: TOML text. */
export function renderBottlerocket(input: BootstrapInput): string {
  return writeToml(bottlerocketSettings(input));
}
