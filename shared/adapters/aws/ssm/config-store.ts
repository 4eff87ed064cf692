// The runtime config loader (DESIGN.md §3): every document under the prefix, validated together. A
// document that fails validation is not applied: the newest older version that validates (from the
// parameter's history) stays in force, and the result names it, so the caller logs the errors and raises
// `ConfigInvalid`. No fleet change is ever made from a document the controller could not read.
//
// The result is cached for a short TTL, at module scope in the handler (one store per cluster), so the
// reconcile's 1 s ticks do not each read SSM.

import type { SSMClient } from '@aws-sdk/client-ssm';
import type { ConfigSet } from '../../../config/config-set.js';
import {
  EC2NODECLASS_KIND,
  type NodeClassDocument,
  nodeClassDocumentSchema,
} from '../../../config/nodeclass-schema.js';
import { expectedParameters, parameterSlot } from '../../../config/store-layout.js';
import { type FallbackSearch, findFallbacks, type InvalidDocument, type StoreEntry } from './last-known-good.js';
import { listParameters, type ParameterVersion, parameterHistory } from './parameters.js';

/**
 * 30 s: a pushed change is in force within half a minute, and a reconcile ticking every second reads the
 * prefix twice a minute instead of sixty times (GetParametersByPath shares the account's default 40 TPS
 * Parameter Store throughput with every other reader).
 */
export const CONFIG_TTL_MS = 30_000;

export interface InForceDocument {
  readonly parameter: string;
  readonly kind: string;
  readonly name: string;
  /** The version applied: the current one, or an older one when the current one is invalid. */
  readonly version: number;
  /** Set when this is a fallback: the current version, which is invalid. */
  readonly fallbackFrom?: number;
}

export interface LoadedConfig extends Pick<ConfigSet, 'nodePools' | 'nodeClasses' | 'settings'> {
  /** Documents applied, current or fallback. */
  readonly documents: readonly InForceDocument[];
  /** Documents whose current version is invalid: each is one `ConfigInvalid` for the caller to raise. */
  readonly invalid: readonly InvalidDocument[];
  /** When the prefix was read (the store's clock, ms). */
  readonly loadedAt: number;
  /**
   * The validated `spec` of each node class in force, by name: what the EC2 adapter launches from (selector
   * terms, tags, user data), which the core's NodeClass leaves out.
   */
  readonly nodeClassSpecs: ReadonlyMap<string, NodeClassDocument['spec']>;
}

export interface ConfigStoreOptions {
  readonly client: SSMClient;
  /** Ends with "/", e.g. `/fleetwright/prod/` (store-layout.ts `defaultPrefix`). */
  readonly prefix: string;
  /** Milliseconds since the epoch; defaults to Date.now. */
  readonly now?: () => number;
  readonly ttlMs?: number;
}

export class SsmConfigStore {
  private cached: LoadedConfig | undefined;
  /** History per `<parameter>@<current version>`: old versions never change, so one read per invalid version. */
  private readonly histories = new Map<string, readonly ParameterVersion[]>();

  constructor(private readonly options: ConfigStoreOptions) {}

  /**
   * The config in force: from the cache when younger than the TTL, else read from SSM. Throws an
   * SsmCallError when the prefix cannot be read at all.
   */
  async load(): Promise<LoadedConfig> {
    const now = (this.options.now ?? Date.now)();
    const ttl = this.options.ttlMs ?? CONFIG_TTL_MS;
    if (this.cached && now - this.cached.loadedAt < ttl) return this.cached;
    this.cached = await this.read(now);
    return this.cached;
  }

  /** Forgets the cached result, so the next load reads SSM (after a push from the same process). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async read(now: number): Promise<LoadedConfig> {
    const { client, prefix } = this.options;
    const parameters = await listParameters(client, prefix);
    const entries: StoreEntry[] = [];
    const strays: InvalidDocument[] = [];
    for (const p of parameters) {
      const layout = parameterSlot(prefix, p.name);
      if (!layout) {
        const error = `${p.name}: not a fleetwright document: expected ${expectedParameters(prefix)}`;
        strays.push({ parameter: p.name, kind: '<unknown kind>', name: p.name, version: p.version, errors: [error] });
        continue;
      }
      entries.push({ parameter: p.name, version: p.version, value: p.value, layout });
    }
    const search: FallbackSearch = { history: (entry) => this.history(entry) };
    const { set, entries: resolved, raws, invalid } = await findFallbacks(entries, search);
    const nodeClassSpecs = new Map<string, NodeClassDocument['spec']>();
    const documents = resolved.flatMap((e, i): InForceDocument[] => {
      const doc = set.documents[i];
      if (!e.inForce || !doc) return [];
      const fallback = e.fallbackFrom === undefined ? {} : { fallbackFrom: e.fallbackFrom };
      if (doc.kind === EC2NODECLASS_KIND && doc.issues.length === 0) {
        const parsed = nodeClassDocumentSchema.safeParse(raws[i]);
        if (parsed.success) nodeClassSpecs.set(doc.name, parsed.data.spec);
      }
      return [{ parameter: e.parameter, kind: doc.kind, name: doc.name, version: e.version, ...fallback }];
    });
    return {
      nodePools: set.nodePools,
      nodeClasses: set.nodeClasses,
      settings: set.settings,
      documents,
      invalid: [...invalid, ...strays],
      loadedAt: now,
      nodeClassSpecs,
    };
  }

  private async history(entry: StoreEntry): Promise<readonly ParameterVersion[]> {
    const key = `${entry.parameter}@${entry.version}`;
    const known = this.histories.get(key);
    if (known) return known;
    const versions = await parameterHistory(this.options.client, entry.parameter);
    this.histories.set(key, versions);
    return versions;
  }
}
