// The options of `fleetwright plan` (DESIGN.md §5), parsed and checked before any file is read.

import { parseArgs } from 'node:util';
import { UsageError } from '../io.js';

export interface PlanArgs {
  /** Live mode: plan against this EKS cluster and the config in SSM (the file inputs then override config). */
  readonly cluster?: string;
  readonly prefix?: string;
  /** Config folders overriding the live config (live mode only). */
  readonly config: readonly string[];
  readonly pods: string;
  readonly nodepools: readonly string[];
  readonly nodeclasses: readonly string[];
  readonly nodes: readonly string[];
  readonly daemonsets: readonly string[];
  readonly pdbs: readonly string[];
  readonly instanceTypes?: string;
  readonly settings?: string;
  /** Epoch milliseconds. */
  readonly now?: number;
  readonly output?: 'json' | 'table';
  readonly help: boolean;
}

export const PLAN_USAGE = `usage: fleetwright plan --pods <file> --nodepools <file|dir> [--nodeclasses <file|dir>] [--nodes <file>]
                        [--daemonsets <file>] [--pdbs <file>] [--instance-types <file>] [--settings <file>]
                        [--now <RFC3339>] [--output json|table]
       fleetwright plan --cluster <name> [--prefix <p>] [--config <dir>] [--nodepools <file|dir>]
                        [--nodeclasses <file|dir>] [--settings <file>] [--output json|table]

Plans capacity offline, with the same core the Lambdas run: which nodes would be launched (type, zone,
capacity type, $/h) and where each pending pod would land, or why it cannot. Inputs are JSON or YAML: one
object, an array, a Kubernetes List, or multi-document YAML (\`kubectl get pods -A -o json\` works as is).
--pods may also hold Deployments, ReplicaSets, StatefulSets and Jobs, expanded to their pods.
Repeatable: --nodepools, --nodeclasses, --nodes, --daemonsets, --pdbs.
Output: table on a terminal, json otherwise (or as --output says).

With --cluster, plans against the live cluster, its instances and the config in SSM (<prefix>, default
/fleetwright/<cluster>/), read with your AWS credentials and EKS access: the plan the controller would make now.
Config documents given with --config, --nodepools, --nodeclasses or --settings then stand in for the stored
documents of the same kind and name (as \`config push\` without --prune would store them), and the output is the
change they would cause: the nodes they drift (to be replaced), pods they strand or place, and $/h before and
after. Review a change this way before \`config push\`.
`;

export const PLAN_OPTIONS = {
  cluster: { type: 'string' },
  prefix: { type: 'string' },
  config: { type: 'string', multiple: true },
  pods: { type: 'string' },
  nodepools: { type: 'string', multiple: true },
  nodeclasses: { type: 'string', multiple: true },
  nodes: { type: 'string', multiple: true },
  daemonsets: { type: 'string', multiple: true },
  pdbs: { type: 'string', multiple: true },
  'instance-types': { type: 'string' },
  settings: { type: 'string' },
  now: { type: 'string' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Who is parsing: `explain` takes plan's inputs too, and its errors name it and show its usage. */
export interface ArgsContext {
  readonly command: string;
  readonly usage: string;
}

export function parsePlanArgs(
  argv: readonly string[],
  context: ArgsContext = { command: 'plan', usage: PLAN_USAGE },
): PlanArgs {
  let values: ReturnType<
    typeof parseArgs<{ options: typeof PLAN_OPTIONS; strict: true; allowPositionals: false }>
  >['values'];
  try {
    ({ values } = parseArgs({ args: [...argv], options: PLAN_OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError([`fleetwright ${context.command}: ${(error as Error).message}`, context.usage.trimEnd()]);
  }
  if (values.help)
    return { config: [], pods: '', nodepools: [], nodeclasses: [], nodes: [], daemonsets: [], pdbs: [], help: true };
  const errors: string[] = [];
  if (values.cluster !== undefined) {
    const offline = (['pods', 'nodes', 'daemonsets', 'pdbs', 'instance-types', 'now'] as const).filter(
      (o) => values[o] !== undefined,
    );
    for (const o of offline) errors.push(`fleetwright plan: --${o} cannot be used with --cluster (it is read live)`);
  } else {
    if (!values.pods) errors.push('fleetwright plan: --pods <file> is required');
    if (!values.nodepools)
      errors.push('fleetwright plan: --nodepools <file|dir> is required (an empty file means "no NodePools")');
    if (values.config) errors.push('fleetwright plan: --config <dir> needs --cluster (offline, give --nodepools)');
    if (values.prefix !== undefined) errors.push('fleetwright plan: --prefix needs --cluster');
  }
  if (values.output !== undefined && values.output !== 'json' && values.output !== 'table') {
    errors.push(`fleetwright plan: --output: "${values.output}" is not an output format (expected json or table)`);
  }
  let now: number | undefined;
  if (values.now !== undefined) {
    now = RFC3339.test(values.now) ? Date.parse(values.now) : Number.NaN;
    if (Number.isNaN(now))
      errors.push(
        `fleetwright plan: --now: "${values.now}" is not an RFC 3339 time (expected e.g. 2026-11-25T12:00:00Z)`,
      );
  }
  if (errors.length > 0) {
    const named = errors.map((e) => e.replace(/^fleetwright plan:/, `fleetwright ${context.command}:`));
    throw new UsageError([...named, context.usage.trimEnd()]);
  }
  return {
    ...(values.cluster === undefined ? {} : { cluster: values.cluster }),
    ...(values.prefix === undefined ? {} : { prefix: values.prefix }),
    config: values.config ?? [],
    pods: values.pods ?? '',
    nodepools: values.nodepools ?? [],
    nodeclasses: values.nodeclasses ?? [],
    nodes: values.nodes ?? [],
    daemonsets: values.daemonsets ?? [],
    pdbs: values.pdbs ?? [],
    instanceTypes: values['instance-types'],
    settings: values.settings,
    now,
    output: values.output as PlanArgs['output'],
    help: false,
  };
}
