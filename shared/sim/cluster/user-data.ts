// What a simulated kubelet learns from its instance's user data, the way nodeadm (AL2023) or Bottlerocket's
// settings would hand it over: node labels, the taints to register with, and maxPods. It reads what the real EC2
// adapter rendered (shared/adapters/aws/ec2/user-data/), so a label or taint lost there is lost here too.

import { parse } from 'yaml';
import { isMime, readMime } from '../../adapters/aws/ec2/user-data/mime.js';
import { NODECONFIG_CONTENT_TYPE } from '../../adapters/aws/ec2/user-data/nodeadm.js';
import { readToml, type TomlTable } from '../../adapters/aws/ec2/user-data/toml.js';
import type { Taint, TaintEffect } from '../../core/model/taints.js';

export interface KubeletBootstrap {
  readonly labels: Record<string, string>;
  readonly taints: Taint[];
  readonly maxPods?: number;
}

const NOTHING: KubeletBootstrap = { labels: {}, taints: [] };

/** The bootstrap settings in base64 user data; nothing for user data the kubelet would not understand either. */
export function readUserData(base64: string | undefined): KubeletBootstrap {
  if (!base64) return NOTHING;
  const text = Buffer.from(base64, 'base64').toString('utf8');
  try {
    if (isMime(text)) return fromNodeadm(text);
    if (/^\s*\[settings/m.test(text)) return fromBottlerocket(readToml(text));
  } catch {
    // A node whose user data cannot be read still joins, as a real one with a broken NodeConfig would not; the
    // simulation keeps it simple and registers it without bootstrap labels.
  }
  return NOTHING;
}

interface NodeConfigKubelet {
  config?: { maxPods?: number; registerWithTaints?: { key: string; value?: string; effect: TaintEffect }[] };
  flags?: string[];
}

/** nodeadm merges NodeConfig parts and later ones win: the last part that sets a field is the one in force. */
function fromNodeadm(text: string): KubeletBootstrap {
  let labels: Record<string, string> = {};
  let taints: Taint[] = [];
  let maxPods: number | undefined;
  for (const part of readMime(text)) {
    if (part.contentType !== NODECONFIG_CONTENT_TYPE) continue;
    const doc = parse(part.body) as { spec?: { kubelet?: NodeConfigKubelet } } | null;
    const kubelet = doc?.spec?.kubelet;
    for (const flag of kubelet?.flags ?? []) {
      const match = /^--node-labels="?([^"]*)"?$/.exec(flag);
      if (match) labels = { ...labels, ...parseLabelList(match[1] ?? '') };
    }
    if (kubelet?.config?.registerWithTaints) taints = kubelet.config.registerWithTaints.map(toTaint);
    if (kubelet?.config?.maxPods !== undefined) maxPods = kubelet.config.maxPods;
  }
  return { labels, taints, ...(maxPods === undefined ? {} : { maxPods }) };
}

function fromBottlerocket(root: TomlTable): KubeletBootstrap {
  const kubernetes = ((root.settings as TomlTable | undefined)?.kubernetes ?? {}) as TomlTable;
  const labels = Object.fromEntries(
    Object.entries((kubernetes['node-labels'] ?? {}) as TomlTable).map(([k, v]) => [k, String(v)]),
  );
  const taints: Taint[] = [];
  for (const [key, values] of Object.entries((kubernetes['node-taints'] ?? {}) as TomlTable)) {
    for (const entry of Array.isArray(values) ? values : [values]) {
      const [value, effect] = String(entry).split(':');
      taints.push(toTaint({ key, ...(value ? { value } : {}), effect: (effect ?? 'NoSchedule') as TaintEffect }));
    }
  }
  const maxPods = kubernetes['max-pods'];
  return { labels, taints, ...(typeof maxPods === 'number' ? { maxPods } : {}) };
}

function parseLabelList(list: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of list.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
}

function toTaint(t: { key: string; value?: string; effect: TaintEffect }): Taint {
  return t.value === undefined ? { key: t.key, effect: t.effect } : { key: t.key, value: t.value, effect: t.effect };
}
