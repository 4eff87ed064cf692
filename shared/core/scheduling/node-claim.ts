// A node this solve plans to launch: the pods placed on it, its narrowed requirements and the instance types
// still able to host all of them. Options only ever shrink (karpenter-core §1.6).

import { LABEL_CAPACITY_TYPE, LABEL_HOSTNAME, LABEL_ZONE } from '../labels.js';
import type { InstanceType } from '../model/instancetype.js';
import { formatTaint, untoleratedTaint } from '../model/taints.js';
import { Requirement } from '../requirements/requirement.js';
import { ALLOW_WELL_KNOWN, type Requirements, requirementsIntersect } from '../requirements/requirements.js';
import { add, fits, type Resources } from '../resources/resources.js';
import { formatHostPort, HostPortUsage } from './host-ports.js';
import type { PodView } from './pod-view.js';
import { hasOffering, type NodeClaimTemplate } from './template.js';
import { type Topology, TopologyFailure } from './topology/topology.js';

export interface Placement {
  readonly requirements: Requirements;
  readonly options: InstanceType[];
}

export class NodeClaim {
  readonly pods: PodView[] = [];
  requests: Resources = {};
  requirements: Requirements;
  options: InstanceType[];
  /** Upper bound of any option's room per resource: a cheap first rejection. */
  private ceiling: Record<string, number> = {};
  private readonly hostPorts = new HostPortUsage();

  constructor(
    readonly template: NodeClaimTemplate,
    readonly hostname: string,
    /** Creation order, for stable ordering among equally loaded claims. */
    readonly seq: number,
  ) {
    this.requirements = template.requirements.copy().add(Requirement.single(LABEL_HOSTNAME, hostname));
    this.options = [];
  }

  /** Where the pod would leave this claim, or why it cannot join. */
  canAdd(view: PodView, topology: Topology, minValuesStrict: boolean): Placement | string {
    const taint = untoleratedTaint(view.tolerations, this.template.pool.taints);
    if (taint) return `taint ${formatTaint(taint)} of nodepool "${this.template.pool.name}" is not tolerated`;
    const port = this.hostPorts.conflict(view.pod.hostPorts);
    if (port) return `host port ${formatHostPort(port)} is in use`;
    const total = add(this.requests, view.pod.requests);
    if (this.pods.length > 0 && !fits(total, this.ceiling)) return 'no room';
    const conflict = this.requirements.incompatibility(view.requirements, ALLOW_WELL_KNOWN);
    if (conflict) return conflict;
    const narrowed = this.requirements.copy().addAll(view.requirements);
    const withTopology = topology.addRequirements(view, narrowed, this.template.pool.taints);
    if (withTopology instanceof TopologyFailure) return withTopology.describe();
    const changed = changedKeys(view, this.requirements, withTopology);
    const options = this.filterOptions(changed, withTopology, total);
    if (options.length === 0) return 'no instance type fits';
    const short = unmetMinValues(withTopology, options);
    if (short && minValuesStrict) return short;
    return { requirements: withTopology, options };
  }

  add(view: PodView, placement: Placement): void {
    this.pods.push(view);
    this.requests = add(this.requests, view.pod.requests);
    this.requirements = placement.requirements;
    this.hostPorts.add(view.pod.hostPorts);
    if (placement.options !== this.options) {
      this.options = placement.options;
      this.ceiling = ceilingOf(this.options, this.template);
    }
  }

  private filterOptions(changed: readonly string[], reqs: Requirements, total: Resources): InstanceType[] {
    const offeringsChanged = changed.includes(LABEL_ZONE) || changed.includes(LABEL_CAPACITY_TYPE);
    const out: InstanceType[] = [];
    for (const type of this.options) {
      if (changed.length > 0 && !matchesKeys(type, reqs, changed)) continue;
      if (offeringsChanged && !hasOffering(type, reqs)) continue;
      if (!fits(total, this.template.available.get(type.name) as Resources)) continue;
      out.push(type);
    }
    return out.length === this.options.length ? this.options : out;
  }

  /** Seeds a fresh claim with the options its first pod left it. */
  start(view: PodView, placement: Placement): void {
    this.options = placement.options;
    this.ceiling = ceilingOf(this.options, this.template);
    this.add(view, placement);
  }
}

/** Keys whose requirement the pod or its topology narrowed: only those can rule out more options. */
function changedKeys(view: PodView, before: Requirements, after: Requirements): string[] {
  const keys: string[] = [];
  for (const key of after.keys()) {
    if (key === LABEL_HOSTNAME) continue;
    if (view.requirements.has(key) || after.get(key) !== before.get(key)) keys.push(key);
  }
  return keys;
}

function matchesKeys(type: InstanceType, reqs: Requirements, keys: readonly string[]): boolean {
  for (const key of keys) {
    const theirs = type.requirements.get(key);
    const ours = reqs.get(key);
    if (theirs && ours && !requirementsIntersect(theirs, ours)) return false;
  }
  return true;
}

function ceilingOf(options: readonly InstanceType[], template: NodeClaimTemplate): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of options) {
    const room = template.available.get(t.name) as Resources;
    for (const key in room) out[key] = Math.max(out[key] ?? 0, room[key] as number);
  }
  return out;
}

/** The first requirement whose minValues the options cannot meet, described; undefined when all are met. */
export function unmetMinValues(reqs: Requirements, options: readonly InstanceType[]): string | undefined {
  for (const r of reqs.values()) {
    if (!r.minValues) continue;
    const values = new Set<string>();
    for (const t of options) {
      const theirs = t.requirements.get(r.key);
      if (!theirs || theirs.complement) continue;
      for (const v of theirs.values) if (r.has(v)) values.add(v);
    }
    if (values.size < r.minValues) {
      return `minValues ${r.minValues} for ${r.key} cannot be met (only ${values.size} values available)`;
    }
  }
  return undefined;
}
