// Which label keys and values a NodePool may use. Syntax first (Kubernetes qualified names and label values),
// then the one domain rule for keys a pool's template labels and requirements may set:
//
//   1. `kubernetes.io/hostname` and `karpenter.sh/nodepool` are refused: a new node's name cannot be chosen,
//      and fleetwright sets the pool label itself.
//   2. Well-known labels (zone, region, instance type, arch, os, capacity type, windows build, and the
//      `karpenter.k8s.aws/instance-*` labels) are allowed: a pool may pin them.
//   3. Otherwise a key whose domain is, or ends with, `kubernetes.io`, `k8s.io`, `karpenter.sh` or
//      `karpenter.k8s.aws` is refused, except the domains `node.kubernetes.io`,
//      `node-restriction.kubernetes.io`, `kops.k8s.io` (Karpenter's exceptions) and `node-role.kubernetes.io`
//      (fleetwright patches it on after registration, DESIGN.md §2 "Labels"; Karpenter refuses it).
//   "Ends with" is a plain suffix match on the domain, as Karpenter's `strings.HasSuffix`.
//
// This is Karpenter's `IsRestrictedLabel` (core plus the AWS provider's domain) with that one addition.

import { LABEL_HOSTNAME, LABEL_NODEPOOL, WELL_KNOWN_LABELS } from '../core/labels.js';

const RESTRICTED_DOMAINS: readonly string[] = ['kubernetes.io', 'k8s.io', 'karpenter.sh', 'karpenter.k8s.aws'];
const DOMAIN_EXCEPTIONS: readonly string[] = [
  'node.kubernetes.io',
  'node-restriction.kubernetes.io',
  'kops.k8s.io',
  'node-role.kubernetes.io',
];

// Kubernetes limits (apimachinery `validation.IsQualifiedName`, `IsValidLabelValue`).
const MAX_NAME_CHARS = 63;
const MAX_PREFIX_CHARS = 253;
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a valid label key (Kubernetes qualified name), or undefined. */
export function labelKeySyntaxProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const expected = 'expected an optional DNS prefix and a name of up to 63 letters, digits, "-", "_" or "."';
  if (prefix !== undefined && (prefix.length > MAX_PREFIX_CHARS || !DNS_SUBDOMAIN.test(prefix))) {
    return `${JSON.stringify(key)} is not a valid label key: ${expected}`;
  }
  if (name.length > MAX_NAME_CHARS || !NAME.test(name)) {
    return `${JSON.stringify(key)} is not a valid label key: ${expected}`;
  }
  return undefined;
}

/** Why `value` is not a valid label value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > MAX_NAME_CHARS || !NAME.test(value)) {
    return `${JSON.stringify(value)} is not a valid label value: expected up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
  }
  return undefined;
}

function domainOf(key: string): string {
  const slash = key.indexOf('/');
  return slash >= 0 ? key.slice(0, slash) : '';
}

/**
 * Why a NodePool may not set or require `key` (the rule in this file's header), or undefined when it may.
 * `key` should already be normalized (legacy `beta.kubernetes.io/*` keys mapped to their current names).
 */
export function restrictedPoolLabelProblem(key: string): string | undefined {
  if (key === LABEL_HOSTNAME) return `label "${key}" is restricted: a new node's hostname cannot be chosen`;
  if (key === LABEL_NODEPOOL) return `label "${key}" is restricted: fleetwright sets it to the pool's name`;
  if (WELL_KNOWN_LABELS.has(key)) return undefined;
  const domain = domainOf(key);
  if (DOMAIN_EXCEPTIONS.some((d) => domain.endsWith(d))) return undefined;
  const restricted = RESTRICTED_DOMAINS.find((d) => domain.endsWith(d));
  if (restricted) {
    return `label domain "${restricted}" is restricted: use a well-known label, a key of node.kubernetes.io, node-role.kubernetes.io or node-restriction.kubernetes.io, or a domain of your own`;
  }
  return undefined;
}
