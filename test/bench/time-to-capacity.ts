// Time to capacity in watch mode (issue 13's acceptance): how long a pending pod waits for the CreateFleet that
// starts its node. The real reconcile handler runs through middy against the loopback API server and the real
// EC2 adapter over a mocked EC2Client, on the virtual clock; a scripted burst creates pods, the watch sees them,
// the batching window (1 s idle / 10 s max) closes, and the launch's Nominated event names each pod. Times are
// virtual seconds from the pod's creation to its CreateFleet: the decision loop's latency, not EC2's.

import { createReconcileHandler } from '../../functions/reconcile/handler.js';
import type { KubeObject } from '../../shared/sim/kube-api/resources.js';
import { World, webPool } from '../functions/support/world.js';
import { formatTable } from './table.js';

interface Wave {
  /** Virtual ms after the run starts. */
  readonly at: number;
  readonly pods: number;
  /** Between two pods of the wave. */
  readonly spacingMs: number;
}

/** Bursts as deployments scale: a few pods at once, a quick rollout, a slow trickle that keeps the window open. */
const WAVES: readonly Wave[] = [
  { at: 5_000, pods: 8, spacingMs: 40 },
  { at: 18_000, pods: 12, spacingMs: 100 },
  { at: 32_000, pods: 4, spacingMs: 700 },
  { at: 45_000, pods: 16, spacingMs: 20 },
  { at: 58_000, pods: 6, spacingMs: 300 },
];

/** Room for every pod of the burst: the pool limit is not what is measured. */
const MAX_NODES = 100;

/** Each pod needs a 4-vCPU node of its own, so every pod is in exactly one launch. */
const POD_CPU = '3';

interface Nominated extends KubeObject {
  readonly reason: string;
  readonly note: string;
  readonly eventTime: string;
  readonly regarding: { readonly name: string };
}

export async function runTimeToCapacity(quick: boolean, progress: (line: string) => void): Promise<string> {
  const waves = quick ? WAVES.slice(0, 3) : WAVES;
  const world = await World.start();
  world.setDocument('nodepools/web', webPool({}, MAX_NODES));
  try {
    const t0 = world.clock.now();
    const created = new Map<string, number>();
    for (const [w, wave] of waves.entries()) {
      for (let i = 0; i < wave.pods; i++) {
        const name = `wave${w}-pod${i}`;
        world.clock.at(t0 + wave.at + i * wave.spacingMs, () => {
          created.set(name, world.clock.now());
          world.addPendingPod(name, POD_CPU);
        });
      }
    }
    const handler = createReconcileHandler(world.reconcileDeps({ responsiveness: 'watch' }));
    const result = await world.clock.run(handler({}, world.context()));
    progress(`ttc: ${result.ticks} ticks, ${world.ec2.fleetCalls.length} CreateFleet calls`);
    const launchedAt = new Map<string, number>();
    for (const e of world.server.store.list('events') as Nominated[]) {
      if (e.reason === 'Nominated' && e.note.includes('a new '))
        launchedAt.set(e.regarding.name, Date.parse(e.eventTime));
    }
    const rows = waves.map((wave, w) => {
      const waits = [...created]
        .filter(([name]) => name.startsWith(`wave${w}-`))
        .map(([name, at]) => ((launchedAt.get(name) ?? Number.NaN) - at) / 1000);
      return [`${wave.pods} pods, ${wave.spacingMs} ms apart`, ...summary(waits)];
    });
    const all = [...created].map(([name, at]) => ((launchedAt.get(name) ?? Number.NaN) - at) / 1000);
    rows.push(['all', ...summary(all)]);
    const columns = ['burst', 'pods launched', 'p50 (s)', 'p95 (s)', 'max (s)'].map((title) => ({ title }));
    return `Time to capacity, watch mode (virtual time from pending pod to CreateFleet)\n${formatTable(columns, rows)}`;
  } finally {
    await world.close();
  }
}

function summary(waits: readonly number[]): string[] {
  const launched = waits.filter((w) => Number.isFinite(w)).sort((a, b) => a - b);
  const pct = (p: number) =>
    launched[Math.min(launched.length - 1, Math.ceil((p / 100) * launched.length) - 1)] ?? Number.NaN;
  return [
    `${launched.length}/${waits.length}`,
    pct(50).toFixed(2),
    pct(95).toFixed(2),
    (launched.at(-1) ?? Number.NaN).toFixed(2),
  ];
}
