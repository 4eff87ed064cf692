// `fleetwright explain pod|node <name>`: one pod's or one node's story, offline, from the same inputs and the
// same core as `fleetwright plan` — what plan decides, and why (DESIGN.md §5). Nothing is printed on stdout unless
// every input is usable and the pod or node exists.

import { editDistance } from '../../config/nearest-key.js';
import { explainNode } from '../../core/explain/explain-node.js';
import { explainPod } from '../../core/explain/explain-pod.js';
import { podKey } from '../../core/model/pod.js';
import type { Snapshot } from '../../core/model/snapshot.js';
import { EXPLAIN_USAGE, type ExplainArgs, type ExplainKind, parseExplainArgs } from '../explain/args.js';
import { renderExplanationJson, renderNodeTable, renderPodTable } from '../explain/render.js';
import { EXIT, InputError, type Io } from '../io.js';
import { readForCommand, readLiveCluster } from '../live/live-cluster.js';
import type { PlanArgs } from '../plan/args.js';
import { configOverride } from '../plan/live-plan.js';
import { resolveTarget } from './config/target.js';
import { buildSnapshot } from './plan.js';

/** A snapshot and, for "not found" messages, where its pods and nodes came from. */
export interface ExplainSnapshot {
  readonly snapshot: Snapshot;
  /** E.g. `--pods pods.json`, `--nodes nodes.json`. */
  readonly sources: Readonly<Record<ExplainKind, string>>;
}

/** The one place the snapshot comes from: plan's input files (plan's `buildSnapshot`), or the live cluster. */
export async function loadExplainSnapshot(args: ExplainArgs, io: Io): Promise<ExplainSnapshot | undefined> {
  const { inputs } = args;
  if (inputs.cluster !== undefined) return liveSnapshot(inputs, io);
  const snapshot = await buildSnapshot(inputs, io);
  return {
    snapshot,
    sources: {
      pod: `--pods ${inputs.pods}`,
      node: inputs.nodes.length > 0 ? `--nodes ${inputs.nodes.join(', ')}` : 'the input (no --nodes given)',
    },
  };
}

/**
 * The controller's snapshot of the live cluster, with every pending pod in it (the controller waits for the
 * kube-scheduler's Unschedulable mark; explain answers for the others too). Undefined when a read failed (said on
 * stderr).
 */
async function liveSnapshot(inputs: PlanArgs, io: Io): Promise<ExplainSnapshot | undefined> {
  const target = resolveTarget('explain', inputs.cluster, inputs.prefix);
  const proposed = configOverride(inputs, io, target.prefix);
  const live = await readForCommand('explain', io, () =>
    readLiveCluster(target, proposed ? { override: proposed.override } : {}),
  );
  if (!live) return undefined;
  return {
    snapshot: { ...live.world.snapshot, pods: live.state.pods },
    sources: { pod: `cluster ${target.cluster}`, node: `cluster ${target.cluster}` },
  };
}

export async function explainCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseExplainArgs(argv);
  if (args.help) {
    io.stdout.write(EXPLAIN_USAGE);
    return EXIT.ok;
  }
  const loaded = await loadExplainSnapshot(args, io);
  if (!loaded) return EXIT.remoteFailure;
  const { snapshot, sources } = loaded;
  const json = (args.output ?? (io.stdout.isTTY ? 'table' : 'json')) === 'json';
  if (args.kind === 'pod') {
    const explanation = explainPod(snapshot, args.ref);
    if (!explanation) throw notFound('pod', args.ref, snapshot.pods.map(podKey), sources.pod);
    io.stdout.write(json ? renderExplanationJson(explanation) : renderPodTable(explanation));
  } else {
    const explanation = explainNode(snapshot, args.ref);
    if (!explanation)
      throw notFound(
        'node',
        args.ref,
        snapshot.nodes.map((n) => n.name),
        sources.node,
      );
    io.stdout.write(json ? renderExplanationJson(explanation) : renderNodeTable(explanation));
  }
  return EXIT.ok;
}

function notFound(kind: ExplainKind, ref: string, names: readonly string[], source: string): InputError {
  const close = closeNames(ref, names);
  const hint =
    close.length > 0 ? `; did you mean ${close.join(', ')}?` : names.length === 0 ? ` (it has no ${kind}s)` : '';
  return new InputError([`fleetwright explain: ${kind} "${ref}" is not in ${source}${hint}`]);
}

/** How many suggestions a "not found" message offers. */
const MAX_SUGGESTIONS = 3;

/**
 * Names a user plausibly meant: the same pod name in another namespace, names containing the one given (or
 * contained in it), then names within a few edits (one per three characters, as config's "did you mean").
 */
export function closeNames(ref: string, names: readonly string[]): string[] {
  const short = (n: string) => n.slice(n.indexOf('/') + 1);
  const wanted = ref.toLowerCase();
  const allowed = Math.max(1, Math.floor(ref.length / 3));
  const scored: [string, number][] = [];
  for (const name of names) {
    const lower = name.toLowerCase();
    const [a, b] = [short(lower), short(wanted)];
    const contains = (x: string, y: string) => y.length >= 3 && x.includes(y);
    const score = a === b ? 0 : contains(a, b) || contains(b, a) ? 1 : 1 + editDistance(wanted, lower);
    if (score <= 1 || score - 1 <= allowed) scored.push([name, score]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, MAX_SUGGESTIONS)
    .map(([name]) => name);
}
