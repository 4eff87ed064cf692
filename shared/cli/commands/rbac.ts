// `fleetwright rbac`: the controller's RBAC objects, for teams that apply RBAC themselves instead of letting the
// stack's custom resource do it (DESIGN.md §5). The same objects the stack applies, from the same rule list the
// adapter is tested against.

import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { CONTROLLER_RBAC } from '../../adapters/kubernetes/rbac.js';
import {
  CONTROLLER_GROUP,
  controllerRbacManifest,
  type ServiceAccountRef,
} from '../../adapters/kubernetes/rbac-manifest.js';
import { EXIT, type Io, UsageError } from '../io.js';

const USAGE = `usage: fleetwright rbac [--group <name>] [--service-account <namespace>/<name>]... [--output yaml|json]

Prints the ClusterRole, Role (the Lease in kube-system) and bindings the controller needs, bound to the
Kubernetes group of its EKS access entry (default ${CONTROLLER_GROUP}) and to any service accounts given.
Apply with: fleetwright rbac | kubectl apply -f -
`;

const OPTIONS = {
  group: { type: 'string' },
  'service-account': { type: 'string', multiple: true },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError([`fleetwright rbac: ${(error as Error).message}`, USAGE.trimEnd()]);
  }
}

export async function rbacCommand(argv: readonly string[], io: Io): Promise<number> {
  const values = parse(argv);
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  const errors: string[] = [];
  const output = values.output ?? 'yaml';
  if (output !== 'yaml' && output !== 'json') {
    errors.push(`fleetwright rbac: --output: "${output}" is not an output format (expected yaml or json)`);
  }
  const serviceAccounts: ServiceAccountRef[] = [];
  for (const ref of values['service-account'] ?? []) {
    const [namespace, name, extra] = ref.split('/');
    if (!namespace || !name || extra !== undefined) {
      errors.push(`fleetwright rbac: --service-account: "${ref}" is not <namespace>/<name>`);
    } else serviceAccounts.push({ namespace, name });
  }
  if (errors.length > 0) throw new UsageError([...errors, USAGE.trimEnd()]);
  const objects = controllerRbacManifest(CONTROLLER_RBAC, { group: values.group ?? CONTROLLER_GROUP, serviceAccounts });
  io.stdout.write(
    output === 'json'
      ? `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`
      : objects.map((o) => stringify(o)).join('---\n'),
  );
  return EXIT.ok;
}
