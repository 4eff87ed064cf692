// `config push`: a validated config folder -> parameters under the prefix. The plan is computed from what is
// stored first, so unchanged documents are not rewritten (each write is a new version, and SSM keeps 100)
// and `--prune` knows what to delete. The write order is DESIGN.md §5's, with a reason each:
//   1. settings — a push that pauses the controller pauses it before any pool changes;
//   2. node classes, then pools — a pool is never read before the class it names exists;
//   3. (--prune) pools, then classes, then settings — the reverse, so no pool outlives its class.
// Only parameters in our layout are pruned; anything else under the prefix is reported and left alone.

import type { SSMClient } from '@aws-sdk/client-ssm';
import type { ConfigKind } from '../../../config/document.js';
import { EC2NODECLASS_KIND } from '../../../config/nodeclass-schema.js';
import { NODEPOOL_KIND } from '../../../config/nodepool-schema.js';
import { SETTINGS_KIND } from '../../../config/settings-schema.js';
import { parameterName, parameterSlot } from '../../../config/store-layout.js';
import {
  byteLength,
  chooseTier,
  deleteParameters,
  parameterHistory,
  putParameter,
  STANDARD_TIER_MAX_BYTES,
  type StoredParameter,
} from './parameters.js';

export interface PushDocument {
  readonly kind: ConfigKind;
  readonly name: string;
  readonly document: Record<string, unknown>;
}

export interface PlannedWrite {
  readonly parameter: string;
  /** Compact JSON, without `status`: what the parameter holds. */
  readonly value: string;
  readonly current?: StoredParameter;
}

export interface PushPlan {
  readonly writes: readonly PlannedWrite[];
  readonly unchanged: readonly string[];
  readonly deletes: readonly string[];
  /** Parameters under the prefix that are not documents of ours: never written or deleted. */
  readonly strays: readonly string[];
}

const WRITE_ORDER: readonly ConfigKind[] = [SETTINGS_KIND, EC2NODECLASS_KIND, NODEPOOL_KIND];
const DELETE_ORDER: readonly ConfigKind[] = [NODEPOOL_KIND, EC2NODECLASS_KIND, SETTINGS_KIND];

/** The value a document is stored as: compact JSON without `status`, which the controller ignores. */
export function storedValue(document: Record<string, unknown>): string {
  const { status: _status, ...stored } = document;
  return JSON.stringify(stored);
}

/** Whether the stored value holds the same JSON (whitespace aside, as a console edit may add). */
function sameValue(stored: string, value: string): boolean {
  try {
    return JSON.stringify(JSON.parse(stored)) === value;
  } catch {
    return false;
  }
}

export function planPush(
  prefix: string,
  documents: readonly PushDocument[],
  current: readonly StoredParameter[],
  prune: boolean,
): PushPlan {
  const stored = new Map(current.map((p) => [p.name, p]));
  const writes: PlannedWrite[] = [];
  const unchanged: string[] = [];
  const ordered = [...documents].sort((a, b) => WRITE_ORDER.indexOf(a.kind) - WRITE_ORDER.indexOf(b.kind));
  for (const doc of ordered) {
    const parameter = parameterName(prefix, doc.kind, doc.name);
    const value = storedValue(doc.document);
    const existing = stored.get(parameter);
    if (existing && sameValue(existing.value, value)) unchanged.push(parameter);
    else writes.push({ parameter, value, ...(existing ? { current: existing } : {}) });
  }
  const pushed = new Set(documents.map((d) => parameterName(prefix, d.kind, d.name)));
  const ours = current.flatMap((p) => {
    const slot = parameterSlot(prefix, p.name);
    return slot ? [{ name: p.name, kind: slot.kind }] : [];
  });
  const deletes = prune
    ? ours
        .filter((p) => !pushed.has(p.name))
        .sort((a, b) => DELETE_ORDER.indexOf(a.kind) - DELETE_ORDER.indexOf(b.kind))
        .map((p) => p.name)
    : [];
  const strays = current.filter((p) => !parameterSlot(prefix, p.name)).map((p) => p.name);
  return { writes, unchanged, deletes, strays };
}

/**
 * Carries out the plan in order, reporting each step as it completes; stops at the first failure (an
 * SsmCallError naming the call), so the lines reported say exactly what was done.
 */
export async function executePush(client: SSMClient, plan: PushPlan, report: (line: string) => void): Promise<void> {
  for (const write of plan.writes) {
    const bytes = byteLength(write.value);
    const tier = chooseTier(bytes, await currentTier(client, write));
    const { version } = await putParameter(client, write.parameter, write.value, tier);
    report(`${write.current ? 'updated' : 'created'} ${write.parameter} (version ${version}, ${tier}, ${bytes} bytes)`);
  }
  for (const parameter of plan.unchanged) report(`unchanged ${parameter}`);
  if (plan.deletes.length > 0) {
    const missing = new Set(await deleteParameters(client, plan.deletes));
    for (const parameter of plan.deletes) report(`${missing.has(parameter) ? 'already gone' : 'deleted'} ${parameter}`);
  }
  for (const parameter of plan.strays) report(`left alone ${parameter}: not a fleetwright document`);
}

/**
 * The tier of an existing parameter when it matters: only a parameter that might be Advanced while the new
 * value fits Standard needs its history read (SSM refuses to move a parameter down a tier).
 */
async function currentTier(client: SSMClient, write: PlannedWrite) {
  if (!write.current) return undefined;
  if (byteLength(write.value) > STANDARD_TIER_MAX_BYTES) return undefined;
  if (byteLength(write.current.value) > STANDARD_TIER_MAX_BYTES) return 'Advanced' as const;
  const history = await parameterHistory(client, write.parameter);
  return history[history.length - 1]?.tier;
}
