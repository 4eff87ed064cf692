// The workload controllers: Deployments (through a ReplicaSet, as the pods' owner says), StatefulSets and Jobs
// keep their pods in the store — a missing pod (scaled up, evicted, killed with its node) is created again, an
// extra one (scaled down) deleted — and a Job's pods finish after the run time the scenario gives them. The
// workload objects themselves stay here: fleetwright never reads them (it reads pods, nodes, DaemonSets, PDBs).

import type { Job } from 'kubernetes-types/batch/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { SimClock } from '../clock.js';
import type { KubeObject } from '../kube-api/resources.js';
import { type ClusterObjects, isTerminalPod, type PodObject, timestamp } from './objects.js';

/** The controllers' resync period: the real ones react to watch events at once; a second is close enough. */
export const CONTROLLER_PERIOD_MS = 1_000;

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'Job';

export interface Workload {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly template: PodTemplateSpec;
  /** Pods wanted at once (replicas, or a Job's parallelism). */
  replicas: number;
  /** Job only: pods that must succeed, and how long each runs. */
  readonly completions?: number;
  readonly runSeconds?: number;
  succeeded: number;
}

export class WorkloadControllers {
  private readonly workloads = new Map<string, Workload>();
  private serial = 0;

  constructor(
    private readonly clock: SimClock,
    private readonly objects: ClusterObjects,
  ) {}

  start(): void {
    const loop = () => {
      this.sync();
      this.clock.setTimer(CONTROLLER_PERIOD_MS, loop);
    };
    this.clock.setTimer(0, loop);
  }

  add(workload: Omit<Workload, 'uid' | 'succeeded'>): void {
    const key = `${workload.kind}/${workload.namespace}/${workload.name}`;
    const existing = this.workloads.get(key);
    if (existing) {
      existing.replicas = workload.replicas;
      return;
    }
    this.workloads.set(key, { ...workload, uid: `uid-${workload.name}-${++this.serial}`, succeeded: 0 });
  }

  /** The workload named `namespace/name` (any kind), for `scale` steps. */
  find(namespace: string, name: string): Workload | undefined {
    return [...this.workloads.values()].find((w) => w.namespace === namespace && w.name === name);
  }

  /** Every workload, for the report. */
  all(): Workload[] {
    return [...this.workloads.values()];
  }

  /** One pass over every workload. */
  sync(): void {
    const pods = this.objects.pods();
    for (const workload of this.workloads.values()) {
      const owned = pods.filter((p) => p.metadata.ownerReferences?.some((o) => o.uid === ownerUid(workload)));
      if (workload.kind === 'Job') this.finishJobPods(workload, owned);
      const live = owned.filter((p) => !isTerminalPod(p) && !p.metadata.deletionTimestamp);
      const wanted = this.wanted(workload, live.length);
      for (let i = live.length; i < wanted; i++) this.createPod(workload, live);
      if (live.length > wanted) this.removeExtra(live, live.length - wanted);
    }
  }

  private wanted(workload: Workload, live: number): number {
    if (workload.kind !== 'Job') return workload.replicas;
    const remaining = (workload.completions ?? workload.replicas) - workload.succeeded;
    return Math.max(0, Math.min(workload.replicas, remaining, live + remaining));
  }

  private finishJobPods(workload: Workload, owned: readonly PodObject[]): void {
    const runMs = (workload.runSeconds ?? 300) * 1000;
    for (const pod of owned) {
      const started = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
      if (pod.status?.phase !== 'Running' || started === undefined || this.clock.now() - started < runMs) continue;
      const done = {
        ...pod,
        status: { ...pod.status, phase: 'Succeeded', conditions: [{ type: 'Ready', status: 'False' }] },
      };
      if (this.objects.update('pods', done)) workload.succeeded += 1;
    }
  }

  /** Scale-down deletes pending pods first, then the newest (ReplicaSet's ranking, roughly). */
  private removeExtra(live: PodObject[], count: number): void {
    const ranked = [...live].sort((a, b) => {
      const pending = Number(Boolean(a.spec?.nodeName)) - Number(Boolean(b.spec?.nodeName));
      if (pending !== 0) return pending;
      return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
    });
    for (const pod of ranked.slice(0, count)) this.objects.deletePod(pod);
  }

  private createPod(workload: Workload, live: PodObject[]): void {
    const name = this.podName(workload, live);
    const template = workload.template;
    const pod: KubeObject & PodObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: workload.namespace,
        labels: { ...template.metadata?.labels },
        annotations: { ...template.metadata?.annotations },
        ownerReferences: [owner(workload)],
        creationTimestamp: timestamp(this.clock.now()),
      },
      spec: structuredClone(template.spec ?? { containers: [] }),
      status: { phase: 'Pending' },
    };
    this.objects.store.create('pods', pod);
    live.push(pod);
  }

  /** StatefulSet pods keep their ordinal names; the others get a fresh suffix, as ReplicaSets and Jobs do. */
  private podName(workload: Workload, live: readonly PodObject[]): string {
    if (workload.kind === 'StatefulSet') {
      const taken = new Set(live.map((p) => p.metadata.name));
      for (let i = 0; ; i++) if (!taken.has(`${workload.name}-${i}`)) return `${workload.name}-${i}`;
    }
    this.serial += 1;
    const suffix = (this.serial * 2_654_435_761).toString(36).slice(-5);
    return workload.kind === 'Deployment' ? `${workload.name}-7d9f8c-${suffix}` : `${workload.name}-${suffix}`;
  }
}

function ownerUid(workload: Workload): string {
  return workload.kind === 'Deployment' ? `${workload.uid}-rs` : workload.uid;
}

function owner(workload: Workload) {
  if (workload.kind === 'Deployment') {
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${workload.name}-7d9f8c` };
    return { ...rs, uid: ownerUid(workload), controller: true, blockOwnerDeletion: true };
  }
  const apiVersion = workload.kind === 'Job' ? 'batch/v1' : 'apps/v1';
  return { apiVersion, kind: workload.kind, name: workload.name, uid: workload.uid, controller: true };
}

/** A Job document's run-time annotation: how long each pod runs in the simulation (default five minutes). */
export const JOB_RUN_SECONDS_ANNOTATION = 'sim.fleetwright.io/run-seconds';

export function jobRunSeconds(job: Job): number | undefined {
  const value = job.metadata?.annotations?.[JOB_RUN_SECONDS_ANNOTATION];
  return value === undefined ? undefined : Number(value);
}
