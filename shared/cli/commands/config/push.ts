// `fleetwright config push --cluster <name> [--prefix <p>] [--prune] <dir>` (DESIGN.md §5): validates the
// whole folder first and writes nothing unless every document is valid; then writes what changed, in the
// order of shared/adapters/aws/ssm/config-push.ts, one line per parameter on stdout.

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { executePush, type PushDocument, planPush } from '../../../adapters/aws/ssm/config-push.js';
import { listParameters, type StoredParameter } from '../../../adapters/aws/ssm/parameters.js';
import type { ConfigKind } from '../../../config/document.js';
import { formatIssueLine } from '../../../config/issues.js';
import { EC2NODECLASS_KIND } from '../../../config/nodeclass-schema.js';
import { parameterSlot } from '../../../config/store-layout.js';
import { type ConfigFiles, loadConfigFiles } from '../../config-files.js';
import { EXIT, InputError, type Io, UsageError } from '../../io.js';
import { resolveTarget, ssmClient, withAws } from './target.js';

export const PUSH_USAGE = `usage: fleetwright config push --cluster <name> [--prefix <p>] [--prune] <dir>

Validates every document in <dir> (nodepools/<name>.json, nodeclasses/<name>.json, settings.json; YAML too),
then writes each to SSM Parameter Store as <prefix>nodepools/<name>, <prefix>nodeclasses/<name> and
<prefix>settings: String parameters, Standard tier up to 4 KB, Advanced above. Nothing is written when any
document is invalid; documents already stored as they are are not rewritten. Settings are written first,
then node classes, then pools.

  --cluster <name>  the EKS cluster; the prefix is /fleetwright/<cluster>/ unless --prefix is given
  --prefix <p>      the parameter path to write under instead
  --prune           delete the documents under the prefix that are not in <dir>
  -h, --help        show this help

Region and credentials come from the AWS SDK's standard chain; AWS_ENDPOINT_URL_SSM overrides the endpoint.

Exit status: 0 pushed, 2 usage error or a document that is invalid or unreadable, 3 an AWS call failed.
`;

const OPTIONS = {
  cluster: { type: 'string' },
  prefix: { type: 'string' },
  prune: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parsePushArgs(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError([`fleetwright config push: ${(error as Error).message}`, PUSH_USAGE.trimEnd()]);
  }
}

export async function pushCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parsePushArgs(argv);
  if (values.help) {
    io.stdout.write(PUSH_USAGE);
    return EXIT.ok;
  }
  const target = resolveTarget('config push', values.cluster, values.prefix);
  const dir = singleFolder(positionals, io.cwd ?? process.cwd());
  // Classes already stored are checked against below, once SSM has been read.
  const config = loadConfigFiles([dir], { requireNodeClasses: false, ...(io.cwd ? { cwd: io.cwd } : {}) });
  if (config.errors.length > 0) throw new InputError([...config.errors, 'nothing written']);
  return withAws(io, async () => {
    const client = ssmClient();
    const current = await listParameters(client, target.prefix);
    const missing = missingNodeClasses(config, current, target.prefix, values.prune ?? false);
    if (missing.length > 0) throw new InputError([...missing, 'nothing written']);
    const plan = planPush(target.prefix, pushDocuments(config), current, values.prune ?? false);
    await executePush(client, plan, (line) => io.stdout.write(`${line}\n`));
    return EXIT.ok;
  });
}

function singleFolder(positionals: readonly string[], cwd: string): string {
  const [dir, ...extra] = positionals;
  if (dir === undefined || extra.length > 0) {
    throw new UsageError(['fleetwright config push: give exactly one config folder', PUSH_USAGE.trimEnd()]);
  }
  if (!statSync(resolve(cwd, dir), { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError([`fleetwright config push: ${dir}: not a folder (push reads a config folder)`]);
  }
  return dir;
}

/**
 * Each pool must name a class in the folder or, unless it is about to be pruned, one already stored under
 * the prefix: the controller reads both together.
 */
function missingNodeClasses(
  config: ConfigFiles,
  current: readonly StoredParameter[],
  prefix: string,
  prune: boolean,
): string[] {
  const classes = new Set(config.documents.filter((d) => d.kind === EC2NODECLASS_KIND).map((d) => d.name));
  if (!prune) {
    for (const p of current) {
      const slot = parameterSlot(prefix, p.name);
      if (slot?.kind === EC2NODECLASS_KIND && slot.name) classes.add(slot.name);
    }
  }
  const documents = new Map(config.documents.map((d) => [`${d.kind}/${d.name}`, d]));
  return config.nodePools.flatMap((pool) => {
    if (classes.has(pool.nodeClassName)) return [];
    const doc = documents.get(`NodePool/${pool.name}`);
    const where = prune ? 'in the folder' : `in the folder or under ${prefix}`;
    const issue = {
      path: ['spec', 'template', 'spec', 'nodeClassRef', 'name'],
      message: `no EC2NodeClass named ${JSON.stringify(pool.nodeClassName)} ${where}`,
    };
    return [formatIssueLine(doc?.source ?? pool.name, 'NodePool', pool.name, issue)];
  });
}

/** The documents as written in their files (not the converted core values), with their kind and name. */
function pushDocuments(config: ConfigFiles): PushDocument[] {
  return config.documents.map((d, i) => ({
    kind: d.kind as ConfigKind,
    name: d.name,
    // Validation passed, so every document is an object.
    document: config.inputs[i]?.raw as Record<string, unknown>,
  }));
}
