// What a person wants to see of a run, collected while it runs: a sample of the cluster every 15 s of cluster
// time (pending pods, nodes, $/h, CPU and memory utilisation — requests of bound pods over allocatable of Ready
// nodes), every instance launched, and the decision log: the Kubernetes Events the handlers wrote (each with its
// reason, as `kubectl get events` shows them), their warnings and errors, and the scenario's own steps.

import { toNode } from '../../adapters/kubernetes/mappers/node.js';
import { toPod } from '../../adapters/kubernetes/mappers/pod.js';
import { CPU, MEMORY } from '../../core/resources/resources.js';
import { isTerminalPod } from '../cluster/objects.js';
import type { LogRecord } from '../runner/observability.js';
import type { SimWorld } from '../runner/world.js';

/** One sample per 15 s of cluster time: 120 points for a half-hour run, enough for smooth charts. */
export const SAMPLE_PERIOD_MS = 15_000;

export interface Sample {
  /** Milliseconds since the start. */
  readonly t: number;
  readonly pending: number;
  readonly pods: number;
  readonly nodes: number;
  readonly readyNodes: number;
  readonly inFlight: number;
  readonly costPerHour: number;
  readonly cpuUtilization: number;
  readonly memoryUtilization: number;
}

export interface Decision {
  readonly t: number;
  readonly source: 'scenario' | 'event' | 'log';
  readonly kind: string;
  readonly object: string;
  readonly text: string;
  readonly warning: boolean;
}

export class Recorder {
  readonly samples: Sample[] = [];
  readonly decisions: Decision[] = [];
  readonly start: number;

  constructor(private readonly world: SimWorld) {
    this.start = world.clock.now();
    world.server.store.subscribe((change) => {
      if (change.resource.plural !== 'events' || change.type !== 'ADDED') return;
      const e = change.object as unknown as EventFields;
      const object = e.regarding ?? e.involvedObject ?? {};
      this.decisions.push({
        t: world.clock.now() - this.start,
        source: 'event',
        kind: e.reason ?? '',
        object: `${object.kind ?? ''} ${object.namespace ? `${object.namespace}/` : ''}${object.name ?? ''}`.trim(),
        text: e.note ?? e.message ?? '',
        warning: e.type === 'Warning',
      });
    });
  }

  /** Samples now and every SAMPLE_PERIOD_MS; `onSample` drives the live progress line. */
  startSampling(onSample: (sample: Sample) => void): void {
    const loop = () => {
      const sample = this.sample();
      this.samples.push(sample);
      onSample(sample);
      this.world.clock.setTimer(SAMPLE_PERIOD_MS, loop);
    };
    loop();
  }

  scenarioStep(text: string): void {
    this.decisions.push({
      t: this.world.clock.now() - this.start,
      source: 'scenario',
      kind: 'Scenario',
      object: '',
      text,
      warning: false,
    });
  }

  /** Warnings and errors of the handlers, added to the decision log at the end (they carry their own times). */
  addLogs(logs: readonly LogRecord[]): void {
    for (const log of logs) {
      if (log.level === 'info') continue;
      const detail = log.fields.error as { message?: string } | undefined;
      this.decisions.push({
        t: log.at - this.start,
        source: 'log',
        kind: log.level === 'error' ? 'Error' : 'Warning',
        object: '',
        text: detail?.message ? `${log.message}: ${detail.message}` : log.message,
        warning: true,
      });
    }
    this.decisions.sort((a, b) => a.t - b.t);
  }

  sample(): Sample {
    const { world } = this;
    const nodes = world.objects.nodes().map((n) => toNode(n));
    const ready = nodes.filter((n) => n.ready);
    const readyNames = new Set(ready.map((n) => n.name));
    const pods = world.objects.pods().filter((p) => !isTerminalPod(p));
    let cpu = 0;
    let memory = 0;
    let pending = 0;
    for (const object of pods) {
      if (!object.spec?.nodeName) pending += 1;
      else if (readyNames.has(object.spec.nodeName)) {
        const pod = toPod(object);
        cpu += pod.requests[CPU] ?? 0;
        memory += pod.requests[MEMORY] ?? 0;
      }
    }
    const allocCpu = ready.reduce((s, n) => s + (n.allocatable[CPU] ?? 0), 0);
    const allocMemory = ready.reduce((s, n) => s + (n.allocatable[MEMORY] ?? 0), 0);
    const live = world.ec2.instances.all().filter((i) => i.state === 'pending' || i.state === 'running');
    return {
      t: world.clock.now() - this.start,
      pending,
      pods: pods.length,
      nodes: nodes.length,
      readyNodes: ready.length,
      inFlight: Math.max(0, live.length - nodes.length),
      costPerHour: round(
        live.reduce((s, i) => s + i.price, 0),
        4,
      ),
      cpuUtilization: allocCpu > 0 ? round(cpu / allocCpu, 3) : 0,
      memoryUtilization: allocMemory > 0 ? round(memory / allocMemory, 3) : 0,
    };
  }
}

interface EventFields {
  reason?: string;
  note?: string;
  message?: string;
  type?: string;
  regarding?: { kind?: string; namespace?: string; name?: string };
  involvedObject?: { kind?: string; namespace?: string; name?: string };
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
