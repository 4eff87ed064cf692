// AMI drift through the whole stack: a new AL2023 release behind `al2023@latest` makes the real reconcile handler
// replace every node that runs the old AMI (registration copies the instance's image id onto the Node; the core
// compares it with what the node class selects now).

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../shared/sim/report/summary.js';
import { runScenario } from '../../../shared/sim/runner/run.js';
import { loadScenario } from '../../../shared/sim/scenario/load.js';

const DRIFT = fileURLToPath(new URL('./fixtures/drift.yaml', import.meta.url));

describe('simulate (AMI release)', () => {
  it('drifts and replaces the nodes on the old AMI, without breaking the PDB', async () => {
    const run = await runScenario(loadScenario(DRIFT));
    const summary = summarize(run);
    expect(summary.disruptions.get('drift') ?? 0).toBeGreaterThan(0);
    expect(summary.pdbViolations).toEqual([]);
    expect(summary.podsPendingAtEnd).toBe(0);
    const events = run.world.server.store.list('events') as unknown as { reason: string; note?: string }[];
    expect(events.some((e) => e.reason === 'Drifted' && /no longer selected by node class/.test(e.note ?? ''))).toBe(
      true,
    );
  }, 60_000);
});
