// Reading a scenario: the file's text (YAML or JSON), the schema, the config documents (shared/config, the same
// validation `fleetwright validate` does), every applied object and every replayed recording — all checked before
// the simulation starts, every problem reported at once as `<file>: <path>: <what is wrong>`.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { NodeClassSpec } from '../../adapters/aws/ec2/launch-template-data.js';
import { buildConfigSet } from '../../config/config-set.js';
import { durationMs } from '../../config/duration.js';
import { formatPath, fromZodIssues } from '../../config/issues.js';
import { nodeClassSpecs } from '../../config/nodeclass-schema.js';
import { fromConfigSet, type RuntimeConfig } from '../../runtime/config.js';
import type { CapacityFault } from '../ec2/faults.js';
import { type ClusterObject, ObjectProblem, readClusterObject } from './objects.js';
import { replayPods } from './replay.js';
import { type StepDocument, scenarioSchema } from './schema.js';

/** The embedded default scenario (`npm start`). */
export const DEFAULT_SCENARIO = fileURLToPath(new URL('./default.yaml', import.meta.url));

export type Action =
  | { readonly kind: 'apply'; readonly objects: readonly ClusterObject[] }
  | { readonly kind: 'scale'; readonly namespace: string; readonly name: string; readonly replicas: number }
  | { readonly kind: 'interruptSpot'; readonly nodepool?: string; readonly count: number }
  | { readonly kind: 'insufficientCapacity'; readonly fault: CapacityFault; readonly forMs?: number }
  | { readonly kind: 'releaseAmis' }
  | {
      readonly kind: 'replay';
      readonly file: string;
      readonly objects: readonly ClusterObject[];
      readonly skipped: number;
    };

export interface Step {
  readonly atMs: number;
  readonly action: Action;
}

export interface Scenario {
  readonly source: string;
  readonly name: string;
  readonly description?: string;
  readonly durationMs: number;
  readonly config: RuntimeConfig;
  readonly nodeClassSpecs: ReadonlyMap<string, NodeClassSpec>;
  /** The config documents as written (NodePool, EC2NodeClass, Settings): what `--keep-running` stores in SSM. */
  readonly documents: readonly Record<string, unknown>[];
  readonly steps: readonly Step[];
}

/** A scenario that cannot be run; `lines` are the problems, one per line. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
  }
}

export function loadScenario(path: string, shownAs = path): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScenarioError([`${shownAs}: cannot be read: ${(error as Error).message}`]);
  }
  return parseScenario(text, shownAs, dirname(resolve(path)));
}

/** Parses and checks a scenario's text; `dir` resolves replay files. */
export function parseScenario(text: string, source: string, dir: string): Scenario {
  let raw: unknown;
  try {
    raw = source.endsWith('.json') ? JSON.parse(text) : parse(text);
  } catch (error) {
    throw new ScenarioError([
      `${source}: not valid ${source.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
    ]);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ScenarioError(
      fromZodIssues(parsed.error.issues).map((i) => `${source}: ${formatPath(i.path)}: ${i.message}`),
    );
  }
  const doc = parsed.data;
  const problems: string[] = [];
  const set = buildConfigSet(doc.config.map((d, i) => ({ raw: d, source: `${source}: config[${i}]` })));
  problems.push(...set.errors);
  if (set.nodePools.length === 0 && set.errors.length === 0) problems.push(`${source}: config: no NodePool is given`);
  const specs = nodeClassSpecs(doc.config);
  for (const pool of set.nodePools) {
    if (!specs.has(pool.nodeClassName)) {
      problems.push(
        `${source}: config: NodePool/${pool.name} names EC2NodeClass "${pool.nodeClassName}", which the scenario does not give`,
      );
    }
  }
  const steps = doc.steps.flatMap((s, i) => readStep(s, `${source}: steps[${i}]`, dir, problems));
  if (problems.length > 0) throw new ScenarioError(problems);
  const config = fromConfigSet(set);
  return {
    source,
    name: doc.name,
    ...(doc.description ? { description: doc.description } : {}),
    durationMs: durationMs(doc.duration) as number,
    config,
    nodeClassSpecs: specs,
    documents: doc.config as Record<string, unknown>[],
    steps: steps.sort((a, b) => a.atMs - b.atMs),
  };
}

function readStep(step: StepDocument, where: string, dir: string, problems: string[]): Step[] {
  const atMs = durationMs(step.at) as number;
  const objects = (list: readonly Record<string, unknown>[], path: string) =>
    list.flatMap((raw, j) => {
      try {
        return [readClusterObject(raw)];
      } catch (error) {
        if (!(error instanceof ObjectProblem)) throw error;
        problems.push(`${where}.${path}[${j}].${error.path}: ${error.reason}`);
        return [];
      }
    });
  if (step.apply) return [{ atMs, action: { kind: 'apply', objects: objects(step.apply, 'apply') } }];
  if (step.scale) {
    const [namespace, name] = step.scale.workload.split('/') as [string, string];
    return [{ atMs, action: { kind: 'scale', namespace, name, replicas: step.scale.replicas } }];
  }
  if (step.interruptSpot) {
    const { nodepool, count } = step.interruptSpot;
    return [{ atMs, action: { kind: 'interruptSpot', count, ...(nodepool ? { nodepool } : {}) } }];
  }
  if (step.insufficientCapacity) {
    const { for: lasting, ...fault } = step.insufficientCapacity;
    const forMs = lasting === undefined ? undefined : durationMs(lasting);
    return [{ atMs, action: { kind: 'insufficientCapacity', fault, ...(forMs === undefined ? {} : { forMs }) } }];
  }
  if (step.releaseAmis) return [{ atMs, action: { kind: 'releaseAmis' } }];
  if (step.replay) return readReplay(step.replay.file, atMs, where, dir, problems);
  return [];
}

function readReplay(file: string, atMs: number, where: string, dir: string, problems: string[]): Step[] {
  try {
    const replayed = replayPods(JSON.parse(readFileSync(resolve(dir, file), 'utf8')));
    return [{ atMs, action: { kind: 'replay', file, ...replayed } }];
  } catch (error) {
    const reason = error instanceof ObjectProblem ? `${error.path}: ${error.reason}` : (error as Error).message;
    problems.push(`${where}.replay.file: ${file}: ${reason}`);
    return [];
  }
}
