// The options of `fleetwright explain pod|node <name>`: what to explain, and the same inputs as `fleetwright plan`
// (DESIGN.md §5), parsed and checked before any file is read.

import { parseArgs } from 'node:util';
import { UsageError } from '../io.js';
import { PLAN_OPTIONS, type PlanArgs, parsePlanArgs } from '../plan/args.js';

export type ExplainKind = 'pod' | 'node';

export interface ExplainArgs {
  readonly kind: ExplainKind;
  /** `namespace/name` for a pod (a bare name means namespace `default`), the node's name for a node. */
  readonly ref: string;
  /** Where the snapshot comes from: plan's input files. */
  readonly inputs: PlanArgs;
  readonly output?: 'json' | 'table';
  readonly help: boolean;
}

export const EXPLAIN_USAGE = `usage: fleetwright explain pod <namespace/name> --pods <file> --nodepools <file|dir> [inputs] [--output json|table]
       fleetwright explain node <name> --nodes <file> --pods <file> --nodepools <file|dir> [inputs] [--output json|table]
       fleetwright explain pod|node <name> --cluster <name> [--prefix <p>] [config files] [--output json|table]

Explains one pod or node from the same inputs (or, with --cluster, the live cluster) and with the same core as
\`fleetwright plan\`:
  pod   what plan decides for it; whether it would fit an existing node now; for every NodePool (in the order
        the scheduler tries them) whether the pool can launch a node for it, with the type, zone, capacity type
        and $/h, or every reason it cannot (requirements, taints, limits, instance types, topology).
  node  what plan decides for it; whether it is a disruption candidate, and every reason it is not
        (do-not-disrupt, PDBs, budgets, consolidateAfter, ...); expired, drifted, empty; what consolidating it
        would do and save.
A pod is <namespace>/<name>, or <name> in namespace default.
Inputs, as for plan: --nodeclasses <file|dir>, --nodes <file>, --daemonsets <file>, --pdbs <file>,
--instance-types <file>, --settings <file>, --now <RFC3339> (repeatable as for plan).
Live: --cluster <name> [--prefix <p>] reads the cluster, its instances and the config in SSM as \`plan --cluster\`
does (config files given then stand in for stored documents); a pending pod the kube-scheduler has not yet marked
Unschedulable is explained as if it had.
Output: table on a terminal, json otherwise (or as --output says).
Exit codes: 0 explained; 2 a usage error, an unusable input, or a pod or node that is not in the input; 3 a live
read (AWS or Kubernetes) failed.
`;

function fail(errors: readonly string[]): never {
  throw new UsageError([...errors.map((e) => `fleetwright explain: ${e}`), EXPLAIN_USAGE.trimEnd()]);
}

/** `pod <ref>` / `node <ref>` are the positionals; every option is plan's, parsed by plan's own parser. */
export function parseExplainArgs(argv: readonly string[]): ExplainArgs {
  let tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>;
  try {
    ({ tokens } = parseArgs({
      args: [...argv],
      options: PLAN_OPTIONS,
      strict: true,
      allowPositionals: true,
      tokens: true,
    }));
  } catch (error) {
    return fail([(error as Error).message]);
  }
  const positionals = tokens.flatMap((t) => (t.kind === 'positional' ? [t] : []));
  const rest = argv.filter((_, i) => !positionals.some((p) => p.index === i));
  const errors: string[] = [];
  const [kind, ref, ...extra] = positionals.map((p) => p.value);
  let inputs: PlanArgs | undefined;
  try {
    inputs = parsePlanArgs(rest, { command: 'explain', usage: EXPLAIN_USAGE });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // Plan's lines end with the usage; the positional problems join them so everything is said at once.
    errors.push(...error.lines.slice(0, -1).map((l) => l.replace(/^fleetwright explain: /, '')));
  }
  if (inputs?.help) return { kind: 'pod', ref: '', inputs, help: true };
  if (kind !== 'pod' && kind !== 'node') {
    errors.unshift(
      kind === undefined ? 'say what to explain: pod <namespace/name> or node <name>' : `"${kind}" is not pod or node`,
    );
  } else if (!ref)
    errors.unshift(`explain ${kind}: which ${kind}? (${kind === 'pod' ? '<namespace/name>' : '<name>'})`);
  if (extra.length > 0) errors.push(`unexpected argument "${extra[0]}" (one ${kind ?? 'pod or node'} at a time)`);
  if (kind === 'node' && inputs && inputs.cluster === undefined && inputs.nodes.length === 0)
    errors.push('explain node: --nodes <file> is required (or --cluster <name>)');
  if (errors.length > 0 || !inputs) fail(errors);
  return {
    kind: kind as ExplainKind,
    ref: kind === 'pod' && !(ref as string).includes('/') ? `default/${ref}` : (ref as string),
    inputs,
    ...(inputs.output ? { output: inputs.output } : {}),
    help: false,
  };
}
