// `fleetwright plan --cluster <name>`: the plan the controller would make now, from the live cluster, its
// instances and the config in SSM; with config documents given, the change they would cause instead.

import { nodeClassSpecs } from '../../config/nodeclass-schema.js';
import { plan } from '../../core/plan/build-plan.js';
import { configDiff } from '../../core/status/config-diff.js';
import { fromConfigSet, type RuntimeConfig } from '../../runtime/config.js';
import { resolveTarget } from '../commands/config/target.js';
import { loadConfigFiles } from '../config-files.js';
import { EXIT, InputError, type Io } from '../io.js';
import { type ConfigOverride, readForCommand, readLiveCluster } from '../live/live-cluster.js';
import type { PlanArgs } from './args.js';
import { renderDiffJson, renderDiffTable } from './diff-render.js';
import { renderJson, renderTable } from './render.js';

export async function livePlanCommand(args: PlanArgs, io: Io): Promise<number> {
  const target = resolveTarget('plan', args.cluster, args.prefix);
  const proposed = configOverride(args, io, target.prefix);
  const live = await readForCommand('plan', io, () =>
    readLiveCluster(target, proposed ? { override: proposed.override } : {}),
  );
  if (!live) return EXIT.remoteFailure;
  const format = args.output ?? (io.stdout.isTTY ? 'table' : 'json');
  if (!proposed) {
    const result = plan(live.world.snapshot);
    io.stdout.write(format === 'json' ? renderJson(result) : renderTable(result));
    return EXIT.ok;
  }
  const diff = configDiff(live.liveWorld.snapshot, live.world.snapshot);
  const documents = proposed.documents;
  io.stdout.write(
    format === 'json'
      ? renderDiffJson(diff, target.cluster, documents)
      : renderDiffTable(diff, target.cluster, documents),
  );
  return EXIT.ok;
}

/**
 * The config files given with --config, --nodepools, --nodeclasses and --settings as an override of the stored
 * config; undefined without any. An invalid document stops the command before anything is read (exit 2).
 */
export function configOverride(
  args: PlanArgs,
  io: Io,
  prefix: string,
): { override: ConfigOverride; documents: string[] } | undefined {
  const files = [...args.config, ...args.nodepools, ...args.nodeclasses, ...(args.settings ? [args.settings] : [])];
  if (files.length === 0) return undefined;
  const config = loadConfigFiles(files, { requireNodeClasses: false, ...(io.cwd ? { cwd: io.cwd } : {}) });
  if (config.errors.length > 0) throw new InputError(config.errors);
  const runtime = fromConfigSet(config);
  const specs = nodeClassSpecs(config.inputs.map((i) => i.raw));
  const sources = new Map(config.documents.map((d) => [`${d.kind}/${d.name}`, d.source]));
  const apply = (stored: RuntimeConfig): RuntimeConfig => {
    const merged = mergeConfig(stored, runtime);
    // The controller validates the stored set as a whole: a pool naming a class neither stored nor given would be
    // refused there (its last valid version stays in force), so it is refused here too.
    const classes = new Set(merged.nodeClasses.map((c) => c.name));
    const missing = runtime.nodePools
      .filter((p) => !classes.has(p.nodeClassName))
      .map(
        (p) =>
          `${sources.get(`NodePool/${p.name}`) ?? p.name}: NodePool/${p.name}: spec.template.spec.nodeClassRef.name: ` +
          `no EC2NodeClass named "${p.nodeClassName}" is given or stored under ${prefix}; the controller would refuse it`,
      );
    if (missing.length > 0) throw new InputError(missing);
    return merged;
  };
  return {
    override: { apply, nodeClassSpecs: specs },
    documents: config.documents.map((d) => `${d.kind}/${d.name}`),
  };
}

/** The stored config with the override's documents in place of those of the same kind and name. */
function mergeConfig(stored: RuntimeConfig, override: RuntimeConfig): RuntimeConfig {
  const replace = <T extends { readonly name: string }>(base: readonly T[], over: readonly T[]): T[] => [
    ...base.filter((b) => !over.some((o) => o.name === b.name)),
    ...over,
  ];
  return {
    nodePools: replace(stored.nodePools, override.nodePools),
    nodeClasses: replace(stored.nodeClasses, override.nodeClasses),
    settings: override.settingsFromDocument ? override.settings : stored.settings,
    settingsFromDocument: override.settingsFromDocument || stored.settingsFromDocument,
    invalid: [],
  };
}
