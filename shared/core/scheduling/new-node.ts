// Starting a new node from a NodePool template for a pod that fits nowhere else, and, when that is impossible,
// saying exactly why: requirements, offerings, resources, limits or minValues.

import { LABEL_CAPACITY_TYPE, LABEL_HOSTNAME, LABEL_ZONE } from '../labels.js';
import type { InstanceType } from '../model/instancetype.js';
import { formatTaint, untoleratedTaint } from '../model/taints.js';
import { Requirement } from '../requirements/requirement.js';
import { ALLOW_WELL_KNOWN, type Requirements, requirementsIntersect } from '../requirements/requirements.js';
import { formatQuantity } from '../resources/quantity.js';
import { fits, type Resources } from '../resources/resources.js';
import { NodeClaim, unmetMinValues } from './node-claim.js';
import type { PodView } from './pod-view.js';
import { hasOffering, type NodeClaimTemplate } from './template.js';
import { type Topology, TopologyFailure } from './topology/topology.js';

export interface NewNodeRequest {
  readonly template: NodeClaimTemplate;
  readonly view: PodView;
  readonly hostname: string;
  readonly seq: number;
  readonly topology: Topology;
  readonly minValuesStrict: boolean;
}

/** A new claim holding the pod, or the reason this pool cannot make one. */
export function tryNewNode(req: NewNodeRequest): NodeClaim | string {
  const { template, view, topology } = req;
  const pool = template.pool;
  const taint = untoleratedTaint(view.tolerations, pool.taints);
  if (taint) return `does not tolerate taint ${formatTaint(taint)}`;
  const conflict = template.requirements.incompatibility(view.requirements, ALLOW_WELL_KNOWN);
  if (conflict) return conflict;
  const reqs = template.requirements
    .copy()
    .addAll(view.requirements)
    .add(Requirement.single(LABEL_HOSTNAME, req.hostname));
  const withTopology = topology.addRequirements(view, reqs, pool.taints);
  if (withTopology instanceof TopologyFailure) return withTopology.describe();
  if (!template.nodesLeft()) return `limit of ${pool.limits.nodes} nodes reached`;
  const candidates = compatibleTypes(template, withTopology);
  const options = candidates.filter(
    (t) => fits(view.pod.requests, template.available.get(t.name) as Resources) && template.withinLimits(t),
  );
  if (options.length === 0) return explainNoType(template, view, withTopology, candidates);
  const short = unmetMinValues(withTopology, options);
  if (short && req.minValuesStrict) return short;
  const claim = new NodeClaim(template, req.hostname, req.seq);
  claim.start(view, withTopology, options);
  template.reserve(options);
  return claim;
}

/** The pool's types whose requirements and offerings suit `reqs`, cached per requirement set. */
function compatibleTypes(template: NodeClaimTemplate, reqs: Requirements): InstanceType[] {
  const key = [...reqs.values()]
    .filter((r) => r.key !== LABEL_HOSTNAME)
    .map((r) => r.canonical())
    .sort()
    .join(';');
  let types = template.compatibleCache.get(key);
  if (!types) {
    types = template.instanceTypes.filter((t) => t.requirements.intersects(reqs) && hasOffering(t, reqs));
    template.compatibleCache.set(key, types);
  }
  return types;
}

function explainNoType(
  template: NodeClaimTemplate,
  view: PodView,
  reqs: Requirements,
  candidates: readonly InstanceType[],
): string {
  if (template.instanceTypes.length === 0) return 'no instance type is compatible with the nodepool';
  if (candidates.length === 0) return explainRequirements(template.instanceTypes, reqs);
  const requests = view.pod.requests;
  for (const resource in requests) {
    const amount = requests[resource] as number;
    if (amount <= 0) continue;
    let largest = 0;
    for (const t of candidates) largest = Math.max(largest, template.available.get(t.name)?.[resource] ?? 0);
    if (amount > largest) {
      return `no instance type has ${formatQuantity(resource, amount)} ${resource} (largest: ${formatQuantity(resource, largest)})`;
    }
  }
  const fitting = candidates.filter((t) => fits(requests, template.available.get(t.name) as Resources));
  if (fitting.length === 0) {
    const summary = Object.entries(requests)
      .map(([r, a]) => `${r} ${formatQuantity(r, a)}`)
      .join(', ');
    return `no instance type has room for all of ${summary} at once`;
  }
  const left = Object.entries(template.remaining)
    .map(([r, a]) => `${r} ${formatQuantity(r, Math.max(0, a))}`)
    .join(', ');
  return `nodepool limits reached (left: ${left})`;
}

/** Names the requirement that rules out every type. */
function explainRequirements(types: readonly InstanceType[], reqs: Requirements): string {
  for (const r of reqs.values()) {
    if (r.key === LABEL_HOSTNAME || r.key === LABEL_ZONE || r.key === LABEL_CAPACITY_TYPE) continue;
    const any = types.some((t) => {
      const theirs = t.requirements.get(r.key);
      return !theirs || requirementsIntersect(theirs, r);
    });
    if (!any) return `no instance type satisfies ${r}`;
  }
  const zones = reqs.get(LABEL_ZONE);
  const capacityTypes = reqs.get(LABEL_CAPACITY_TYPE);
  const where = [zones && String(zones), capacityTypes && String(capacityTypes)].filter(Boolean).join(' and ');
  return `no available offering${where ? ` for ${where}` : ''} among compatible instance types`;
}
