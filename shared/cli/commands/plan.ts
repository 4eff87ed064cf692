// `fleetwright plan`: the offline what-if (DESIGN.md §5). Reads kubectl output and config documents, builds the
// snapshot the Lambdas would build, runs the same core, prints the plan. Nothing is printed on stdout unless
// every input is usable.

import { defaultNodeClass } from '../../config/convert.js';
import { resolveInstanceTypes } from '../../core/instancetypes/resolve.js';
import { LABEL_NODEPOOL } from '../../core/labels.js';
import type { InstanceType } from '../../core/model/instancetype.js';
import type { NodeClass } from '../../core/model/nodepool.js';
import type { Snapshot } from '../../core/model/snapshot.js';
import { plan } from '../../core/plan/build-plan.js';
import { bundledCatalogue, readCatalogue } from '../catalogue.js';
import { type ConfigFiles, loadConfigFiles } from '../config-files.js';
import { EXIT, InputError, type Io } from '../io.js';
import { PLAN_USAGE, type PlanArgs, parsePlanArgs } from '../plan/args.js';
import { readClusterInputs } from '../plan/cluster-inputs.js';
import { livePlanCommand } from '../plan/live-plan.js';
import { renderJson, renderTable } from '../plan/render.js';

const DEFAULT_CLASS = 'default';

export async function planCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parsePlanArgs(argv);
  if (args.help) {
    io.stdout.write(PLAN_USAGE);
    return EXIT.ok;
  }
  if (args.cluster !== undefined) return livePlanCommand(args, io);
  const snapshot = await buildSnapshot(args, io);
  const result = plan(snapshot);
  const format = args.output ?? (io.stdout.isTTY ? 'table' : 'json');
  io.stdout.write(format === 'json' ? renderJson(result) : renderTable(result));
  return EXIT.ok;
}

/** Without --nodeclasses only the class `default` exists; a pool naming another is an input error. */
function missingDefaultClassRefs(config: ConfigFiles): string[] {
  const sources = new Map(config.documents.filter((d) => d.kind === 'NodePool').map((d) => [d.name, d.source]));
  return config.nodePools
    .filter((p) => p.nodeClassName !== DEFAULT_CLASS)
    .map(
      (p) =>
        `${sources.get(p.name) ?? '--nodepools'}: NodePool/${p.name}: spec.template.spec.nodeClassRef.name: ` +
        `EC2NodeClass "${p.nodeClassName}" is not given (without --nodeclasses only "${DEFAULT_CLASS}" exists)`,
    );
}

/** Every input read and checked; all problems of all files are reported together. */
export async function buildSnapshot(args: PlanArgs, io: Io): Promise<Snapshot> {
  const errors: string[] = [];
  const collect = async <T>(work: () => Promise<T> | T): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push(...error.lines);
      return undefined;
    }
  };
  const cluster = await collect(() => readClusterInputs(args, io.cwd));
  const config = loadConfigFiles([...args.nodepools, ...args.nodeclasses, ...(args.settings ? [args.settings] : [])], {
    cwd: io.cwd,
    requireNodeClasses: args.nodeclasses.length > 0,
  });
  errors.push(...config.errors);
  if (args.nodeclasses.length === 0) errors.push(...missingDefaultClassRefs(config));
  const catalogue = await collect(() =>
    args.instanceTypes ? readCatalogue(args.instanceTypes, io.cwd) : bundledCatalogue(),
  );
  if (errors.length > 0 || !cluster || !catalogue) throw new InputError(errors);
  for (const note of cluster.notes) io.stderr.write(`${note}\n`);

  const nodeClasses: readonly NodeClass[] = config.nodeClasses.length > 0 ? config.nodeClasses : [defaultNodeClass()];
  const instanceTypes = new Map<string, readonly InstanceType[]>(
    nodeClasses.map((c) => [c.name, resolveInstanceTypes(catalogue, c)]),
  );
  const poolNames = new Set(config.nodePools.map((p) => p.name));
  return {
    now: args.now ?? Date.now(),
    pods: cluster.pods,
    nodes: cluster.nodes,
    daemonSets: cluster.daemonSets,
    pdbs: cluster.pdbs,
    nodePools: config.nodePools,
    nodeClasses,
    instanceTypes,
    settings: config.settings,
    // Offline, a node is managed when its nodepool label names a pool given with --nodepools (DESIGN.md §5).
    managedNodes: new Set(
      cluster.nodes.filter((n) => poolNames.has(n.labels[LABEL_NODEPOOL] ?? '')).map((n) => n.name),
    ),
  };
}
