// A node this solve plans to launch: the pods placed on it, its narrowed requirements and the instance types
// still able to host all of them. Options only ever shrink (karpenter-core §1.6).

import { LABEL_CAPACITY_TYPE, LABEL_HOSTNAME, LABEL_ZONE } from '../labels.js';
import type { InstanceType } from '../model/instancetype.js';
import { formatTaint, untoleratedTaint } from '../model/taints.js';
import { Requirement } from '../requirements/requirement.js';
import { ALLOW_WELL_KNOWN, type Requirements, requirementsIntersect } from '../requirements/requirements.js';
import { add, fitsSum, type Resources } from '../resources/resources.js';
import { formatHostPort, HostPortUsage } from './host-ports.js';
import { OptionSet } from './option-set.js';
import type { PodView } from './pod-view.js';
import { hasOffering, type NodeClaimTemplate } from './template.js';
import { type Topology, TopologyFailure } from './topology/topology.js';

export interface Placement {
  readonly requirements: Requirements;
  /** The options left, when a requirement narrowed them; undefined when only the resources grew. */
  readonly options?: InstanceType[];
}

export class NodeClaim {
  readonly pods: PodView[] = [];
  requests: Resources = {};
  requirements: Requirements;
  private optionSet: OptionSet;
  private readonly hostPorts = new HostPortUsage();

  constructor(
    readonly template: NodeClaimTemplate,
    readonly hostname: string,
    /** Creation order, for stable ordering among equally loaded claims. */
    readonly seq: number,
  ) {
    this.requirements = template.requirements.copy().add(Requirement.single(LABEL_HOSTNAME, hostname));
    this.optionSet = new OptionSet(template, []);
  }

  /** The instance types that can still hold every pod of the claim, in catalogue order. */
  get options(): InstanceType[] {
    return this.optionSet.toArray();
  }

  /** Where the pod would leave this claim, or why it cannot join. Cheap rejections come first. */
  canAdd(view: PodView, topology: Topology, minValuesStrict: boolean): Placement | string {
    if (!this.hasRoomFor(view.pod.requests)) return 'no room';
    if (topology.quickReject(view, this.requirements)) return 'topology';
    const taint = untoleratedTaint(view.tolerations, this.template.pool.taints);
    if (taint) return `taint ${formatTaint(taint)} of nodepool "${this.template.pool.name}" is not tolerated`;
    const port = this.hostPorts.conflict(view.pod.hostPorts);
    if (port) return `host port ${formatHostPort(port)} is in use`;
    const conflict = this.requirements.incompatibility(view.requirements, ALLOW_WELL_KNOWN);
    if (conflict) return conflict;
    const narrowed =
      view.requirements.size > 0 ? this.requirements.copy().addAll(view.requirements) : this.requirements;
    const withTopology = topology.addRequirements(
      view,
      narrowed,
      this.template.pool.taints,
      narrowed !== this.requirements,
    );
    if (withTopology instanceof TopologyFailure) return withTopology.describe();
    const changed = changedKeys(this.requirements, withTopology);
    let options: InstanceType[] | undefined;
    if (changed.length > 0 || hasMinValues(withTopology)) {
      options = this.filterOptions(changed, withTopology, view.pod.requests);
      if (options.length === 0) return 'no instance type fits';
      const short = unmetMinValues(withTopology, options);
      if (short && minValuesStrict) return short;
    } else if (!this.optionSet.anyHolds(this.requests, view.pod.requests)) {
      return 'no instance type fits';
    }
    return { requirements: withTopology, options };
  }

  add(view: PodView, placement: Placement): void {
    this.pods.push(view);
    this.requests = add(this.requests, view.pod.requests);
    this.requirements = placement.requirements;
    this.hostPorts.add(view.pod.hostPorts);
    if (placement.options) this.optionSet.replace(placement.options);
    else this.optionSet.shrinkTo(this.requests);
  }

  /** Seeds a fresh claim with its first pod and the options that pod left. */
  start(view: PodView, requirements: Requirements, options: readonly InstanceType[]): void {
    this.optionSet = new OptionSet(this.template, options);
    this.add(view, { requirements });
  }

  private hasRoomFor(requests: Resources): boolean {
    for (const resource in requests) {
      const total = (this.requests[resource] ?? 0) + (requests[resource] as number);
      if (total > 0 && total > this.optionSet.ceiling(resource)) return false;
    }
    return true;
  }

  private filterOptions(changed: readonly string[], reqs: Requirements, extra: Resources): InstanceType[] {
    const offeringsChanged = changed.includes(LABEL_ZONE) || changed.includes(LABEL_CAPACITY_TYPE);
    const out: InstanceType[] = [];
    for (const type of this.optionSet.toArray()) {
      if (changed.length > 0 && !matchesKeys(type, reqs, changed)) continue;
      if (offeringsChanged && !hasOffering(type, reqs)) continue;
      if (!fitsSum(this.requests, extra, this.template.room(type))) continue;
      out.push(type);
    }
    return out;
  }
}

function hasMinValues(reqs: Requirements): boolean {
  for (const r of reqs.values()) if (r.minValues) return true;
  return false;
}

/**
 * Keys whose requirement the pod or its topology narrowed: only those can rule out more options (the options
 * already satisfy everything else). Narrowing that changes nothing keeps the same Requirement object.
 */
function changedKeys(before: Requirements, after: Requirements): string[] {
  const keys: string[] = [];
  if (after === before) return keys;
  for (const key of after.keys()) {
    if (key !== LABEL_HOSTNAME && after.get(key) !== before.get(key)) keys.push(key);
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
