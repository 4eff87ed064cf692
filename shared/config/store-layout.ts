// Where documents live in SSM Parameter Store (DESIGN.md §3): one parameter per object under a prefix,
// default `/fleetwright/<cluster>/`, named `nodepools/<name>`, `nodeclasses/<name>` and `settings`. The same
// slots as the folder layout, so a parameter's last segment must equal its metadata.name. Pure: reading
// and writing SSM is shared/adapters/aws/ssm's.

import type { LayoutSlot } from './config-set.js';
import type { ConfigKind } from './document.js';
import { EC2NODECLASS_KIND } from './nodeclass-schema.js';
import { NODEPOOL_KIND } from './nodepool-schema.js';
import { SETTINGS_KIND } from './settings-schema.js';

export const SETTINGS_PARAMETER = 'settings';

const FOLDERS = [
  { folder: 'nodepools', kind: NODEPOOL_KIND },
  { folder: 'nodeclasses', kind: EC2NODECLASS_KIND },
] as const;

export function defaultPrefix(cluster: string): string {
  return `/fleetwright/${cluster}/`;
}

/** The path of a document relative to the prefix: `nodepools/web`, `settings`. */
export function relativeParameterName(kind: ConfigKind, name: string): string {
  const folder = FOLDERS.find((f) => f.kind === kind)?.folder;
  return folder ? `${folder}/${name}` : SETTINGS_PARAMETER;
}

export function parameterName(prefix: string, kind: ConfigKind, name: string): string {
  return `${prefix}${relativeParameterName(kind, name)}`;
}

/**
 * What a parameter's place under `prefix` says about its document, or undefined for a parameter that is
 * not one of ours (deeper paths, other names).
 */
export function parameterSlot(prefix: string, parameter: string): LayoutSlot | undefined {
  if (!parameter.startsWith(prefix)) return undefined;
  const relative = parameter.slice(prefix.length);
  if (relative === SETTINGS_PARAMETER) return { kind: SETTINGS_KIND, place: `${prefix}${SETTINGS_PARAMETER}` };
  const [folder, name, ...deeper] = relative.split('/');
  const slot = FOLDERS.find((f) => f.folder === folder);
  if (!slot || name === undefined || name === '' || deeper.length > 0) return undefined;
  return { kind: slot.kind, name, place: `a parameter under ${prefix}${folder}/` };
}

/** Where the document of a parameter name lives, for messages that list what is allowed. */
export function expectedParameters(prefix: string): string {
  return `${prefix}nodepools/<name>, ${prefix}nodeclasses/<name> or ${prefix}${SETTINGS_PARAMETER}`;
}

// EKS cluster names: a letter or digit, then letters, digits, hyphens and underscores, up to 100.
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

export function clusterNameProblem(cluster: string): string | undefined {
  return CLUSTER_NAME.test(cluster)
    ? undefined
    : `${JSON.stringify(cluster)} is not an EKS cluster name: expected letters, digits, "-" and "_", starting with a letter or digit, up to 100 characters`;
}

// SSM parameter names: a-zA-Z0-9_.- and "/" for the hierarchy; a path starts with "/" and the first segment
// may not begin with "aws" or "ssm" (reserved by AWS).
const PREFIX = /^\/([a-zA-Z0-9_.-]+\/)+$/;

/** The prefix with its trailing "/" added when missing, or the reason it cannot be one. */
export function normalizePrefix(prefix: string): { prefix: string } | { problem: string } {
  const withSlash = prefix.endsWith('/') ? prefix : `${prefix}/`;
  if (!PREFIX.test(withSlash)) {
    return {
      problem: `${JSON.stringify(prefix)} is not a parameter path: expected "/" then segments of letters, digits, "_", "." and "-" separated by "/", such as "/fleetwright/prod/"`,
    };
  }
  if (/^\/(aws|ssm)/i.test(withSlash)) {
    return { problem: `${JSON.stringify(prefix)} is reserved: parameter names may not begin with "aws" or "ssm"` };
  }
  return { prefix: withSlash };
}
