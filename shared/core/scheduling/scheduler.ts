// The solve: place every pod on an existing node, on a node planned earlier in this solve, or on a new node
// from the first NodePool that can take it; relax preferences one at a time when it fits nowhere; retry failed
// pods until a round makes no progress. Pure and deterministic (karpenter-core §1.3–1.6).

import type { InstanceType } from '../model/instancetype.js';
import type { NodePool } from '../model/nodepool.js';
import type { Pod } from '../model/pod.js';
import type { Settings } from '../model/settings.js';
import type { DaemonSet } from '../model/workloads.js';
import type { Resources } from '../resources/resources.js';
import { ClaimOrder } from './claim-order.js';
import { poolDomains } from './domains.js';
import { ExistingNode, type ExistingNodeInput } from './existing-node.js';
import { tryNewNode } from './new-node.js';
import type { NodeClaim } from './node-claim.js';
import { PodView } from './pod-view.js';
import { PodQueue } from './queue.js';
import { NodeClaimTemplate } from './template.js';
import { type PlacedPod, Topology } from './topology/topology.js';

export interface PoolInput {
  readonly pool: NodePool;
  readonly instanceTypes: readonly InstanceType[];
  /** Capacity of the pool's existing nodes, counted against its limits. */
  readonly used: Resources;
}

export interface SolveInput {
  /** Pods to place. */
  readonly pods: readonly Pod[];
  /** Nodes that may receive pods (not being disrupted), in flight ones included. */
  readonly existing: readonly ExistingNodeInput[];
  /** Running pods, for topology counts. */
  readonly placed: readonly PlacedPod[];
  readonly daemonSets: readonly DaemonSet[];
  readonly pools: readonly PoolInput[];
  readonly settings: Pick<Settings, 'preferencePolicy' | 'minValuesPolicy'>;
}

export interface SolveResult {
  readonly newNodes: readonly NodeClaim[];
  readonly existing: readonly ExistingNode[];
  /** Pod uid -> why it could not be placed. */
  readonly failures: ReadonlyMap<string, string>;
}

/** NodePools in the order they are tried: weight descending, then name descending (Karpenter's order). */
export function orderPools<T extends { readonly pool: NodePool }>(pools: readonly T[]): T[] {
  return [...pools].sort(
    (a, b) => b.pool.weight - a.pool.weight || (a.pool.name < b.pool.name ? 1 : a.pool.name > b.pool.name ? -1 : 0),
  );
}

export function solve(input: SolveInput): SolveResult {
  return new Scheduler(input).run();
}

class Scheduler {
  private readonly templates: NodeClaimTemplate[];
  private readonly existing: ExistingNode[];
  private readonly claims = new ClaimOrder();
  private readonly topology: Topology;
  private readonly failures = new Map<string, string>();
  private readonly respect: boolean;
  private readonly minValuesStrict: boolean;
  private readonly preferNoScheduleExists: boolean;
  private nextHostname = 0;

  constructor(private readonly input: SolveInput) {
    this.respect = input.settings.preferencePolicy !== 'Ignore';
    this.minValuesStrict = input.settings.minValuesPolicy !== 'BestEffort';
    this.templates = orderPools(input.pools).map(
      (p) => new NodeClaimTemplate(p.pool, p.instanceTypes, input.daemonSets, p.used),
    );
    this.preferNoScheduleExists = this.templates.some((t) => t.hasPreferNoSchedule);
    // Initialized nodes first, then by name (karpenter-core §1.3).
    this.existing = [...input.existing]
      .sort((a, b) => Number(b.initialized) - Number(a.initialized) || (a.node.name < b.node.name ? -1 : 1))
      .map((e) => new ExistingNode(e, input.daemonSets));
    this.topology = new Topology({
      batch: input.pods.map((p) => new PodView(p, this.respect)),
      placed: input.placed,
      nodes: this.existing.map((n) => ({ labels: n.labels, taints: n.taints })),
      poolDomains: poolDomains(this.templates),
    });
  }

  run(): SolveResult {
    const queue = new PodQueue(this.input.pods);
    for (let pod = queue.pop(); pod; pod = queue.pop()) {
      const error = this.trySchedule(pod);
      if (error === undefined) this.failures.delete(pod.uid);
      else {
        this.failures.set(pod.uid, error);
        queue.pushBack(pod);
      }
    }
    return { newNodes: this.claims.inCreationOrder(), existing: this.existing, failures: this.failures };
  }

  /** Places the pod, relaxing preferences as needed; returns the reason when it fits nowhere. */
  private trySchedule(pod: Pod): string | undefined {
    const view = new PodView(pod, this.respect);
    let error = this.add(view);
    while (error !== undefined && view.relax(this.preferNoScheduleExists)) error = this.add(view);
    return error;
  }

  private add(view: PodView): string | undefined {
    const gate = this.topology.hostnameGate(view);
    for (const node of gate ? this.existing.filter((n) => gate.empty.has(n.hostname)) : this.existing) {
      const result = node.canAdd(view, this.topology);
      if (typeof result === 'string') continue;
      node.add(view);
      this.topology.record(view, result, node.taints);
      return undefined;
    }
    // With hostname anti-affinity only nodes whose hostname is still empty in the group can take the pod; when
    // those are few, look at them alone rather than at every planned node.
    const zones = this.topology.affinityZones(view);
    const claims =
      gate && gate.empty.size < this.claims.size
        ? this.claims.withHostnames(gate.empty)
        : zones
          ? this.claims.inZones(zones)
          : this.claims.byLoad();
    for (const claim of claims) {
      const result = claim.canAdd(view, this.topology, this.minValuesStrict);
      if (typeof result === 'string') continue;
      claim.add(view, result);
      this.claims.grew(claim);
      this.topology.record(view, result.requirements, claim.template.pool.taints);
      return undefined;
    }
    return this.addNewNode(view);
  }

  private addNewNode(view: PodView): string | undefined {
    if (this.templates.length === 0) return 'no NodePools';
    const hostname = `hostname-placeholder-${String(this.nextHostname).padStart(4, '0')}`;
    this.topology.registerHostname(hostname);
    const reasons: string[] = [];
    for (const template of this.templates) {
      const result = tryNewNode({
        template,
        view,
        hostname,
        seq: this.nextHostname,
        topology: this.topology,
        minValuesStrict: this.minValuesStrict,
      });
      if (typeof result === 'string') {
        reasons.push(this.templates.length > 1 ? `nodepool "${template.pool.name}": ${result}` : result);
        continue;
      }
      this.nextHostname++;
      this.claims.add(result);
      this.topology.record(view, result.requirements, template.pool.taints);
      return undefined;
    }
    return reasons.join('; ');
  }
}
