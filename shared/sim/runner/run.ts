// Runs a scenario: start the world, schedule its steps at their times, start the functions (the reconcile
// schedule and the interruption queue's event source), and let virtual time run to the scenario's end — minutes
// of cluster time in seconds, since nothing waits on a real timer. Then stop the functions (letting the last
// invocations finish), and hand back everything the summary and the report are made from.

import { readFileSync } from 'node:fs';
import type { CatalogueEntry } from '../../core/instancetypes/catalogue.js';
import { Recorder, type Sample } from '../report/recorder.js';
import type { Scenario } from '../scenario/load.js';
import { SimLambdas } from './lambdas.js';
import { applyStep } from './steps.js';
import { SimWorld, type SimWorldOptions } from './world.js';

const CATALOGUE = new URL('../../data/ec2-instance-types.us-east-1.json', import.meta.url);

export interface RunOptions {
  /** Called for every sample (every 15 s of cluster time). */
  readonly onSample?: (sample: Sample) => void;
  /** Called for every scenario step done. */
  readonly onStep?: (at: number, text: string) => void;
  /** Where the world starts (virtual clock, API server access). */
  readonly world?: SimWorldOptions;
  /**
   * Called at the scenario's end with the functions still running; the run is stopped and the world closed only
   * once it resolves (`simulate --keep-running` serves the cluster meanwhile).
   */
  readonly hold?: (run: SimulationRun) => Promise<void>;
}

export interface SimulationRun {
  readonly world: SimWorld;
  readonly lambdas: SimLambdas;
  readonly recorder: Recorder;
  readonly wallMs: number;
}

let catalogue: readonly CatalogueEntry[] | undefined;

/** The bundled us-east-1 catalogue: the simulated account's instance types and on-demand prices. */
export function simCatalogue(): readonly CatalogueEntry[] {
  catalogue ??= JSON.parse(readFileSync(CATALOGUE, 'utf8')) as CatalogueEntry[];
  return catalogue;
}

/** Runs `scenario` to its end. The world's API server is closed; its store and records stay readable. */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<SimulationRun> {
  const wallStart = Date.now();
  const world = await SimWorld.start(scenario, simCatalogue(), options.world);
  try {
    const { clock, actors } = world;
    const lambdas = new SimLambdas(world);
    const recorder = new Recorder(world);
    const start = clock.now();
    for (const step of scenario.steps) {
      clock.at(start + step.atMs, () => {
        const text = applyStep(world, lambdas, step.action);
        recorder.scenarioStep(text);
        options.onStep?.(clock.now() - start, text);
      });
    }
    recorder.startSampling((sample) => options.onSample?.(sample));
    lambdas.start();
    const end = start + scenario.durationMs;
    await clock.runUntil(() => clock.now() >= end, { settle: actors.settle, limitMs: scenario.durationMs + 60_000 });
    if (options.hold) await options.hold({ world, lambdas, recorder, wallMs: Date.now() - wallStart });
    await lambdas.stop();
    recorder.addLogs(world.logs);
    return { world, lambdas, recorder, wallMs: Date.now() - wallStart };
  } finally {
    await world.close();
  }
}
