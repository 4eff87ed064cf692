// The configuration a handler decides with (DESIGN.md §3): pools, node classes and settings, plus the documents
// that failed validation. The SSM store already keeps the last version of each document that validated; this
// adds the in-process half: when SSM cannot be read at all, the last config read in this process stays in force
// (warm invocations), and without any config the handler acts on nothing.

import type { Logger } from '@aws-lambda-powertools/logger';
import type { LoadedConfig } from '../adapters/aws/ssm/config-store.js';
import type { ConfigSet } from '../config/config-set.js';
import type { NodeClass, NodePool } from '../core/model/nodepool.js';
import type { Settings } from '../core/model/settings.js';
import { errorFields } from './observability/log.js';
import type { MetricsSink } from './observability/metrics.js';

export interface InvalidConfigDocument {
  readonly parameter: string;
  /** Error lines, `<parameter>: <kind>/<name>: <path>: <what is wrong>`. */
  readonly errors: readonly string[];
  /** The older version in force instead; absent when none validates (the object is then left alone). */
  readonly fallbackVersion?: number;
}

export interface RuntimeConfig {
  readonly nodePools: readonly NodePool[];
  readonly nodeClasses: readonly NodeClass[];
  /** The Settings document's, or the defaults when there is none. */
  readonly settings: Settings;
  /** Whether a Settings document is in force: without one, the deployment's own defaults apply (responsiveness). */
  readonly settingsFromDocument: boolean;
  readonly invalid: readonly InvalidConfigDocument[];
}

/** Where config comes from: the SSM store in production, a fixed or scripted config in tests and the simulator. */
export interface ConfigSource {
  /** The config in force; may be cached. Rejects when nothing can be read. */
  load(): Promise<RuntimeConfig>;
}

/** A validated set of documents (from files or a scenario) as the config in force, nothing invalid. */
export function fromConfigSet(
  set: Pick<ConfigSet, 'nodePools' | 'nodeClasses' | 'settings' | 'documents'>,
): RuntimeConfig {
  return {
    nodePools: set.nodePools,
    nodeClasses: set.nodeClasses,
    settings: set.settings,
    settingsFromDocument: set.documents.some((d) => d.kind === 'Settings'),
    invalid: [],
  };
}

/** The SSM store's result as the runtime reads it. */
export function fromLoadedConfig(loaded: LoadedConfig): RuntimeConfig {
  return {
    nodePools: loaded.nodePools,
    nodeClasses: loaded.nodeClasses,
    settings: loaded.settings,
    settingsFromDocument: loaded.documents.some((d) => d.kind === 'Settings'),
    invalid: loaded.invalid.map((d) => ({
      parameter: d.parameter,
      errors: d.errors,
      ...(d.fallbackVersion === undefined ? {} : { fallbackVersion: d.fallbackVersion }),
    })),
  };
}

/**
 * A ConfigSource that remembers the last config it returned. Keep one at module scope: a warm invocation then
 * survives an SSM outage with the config of the previous one, which is the last-known-good for the whole set.
 */
export class LastGoodConfig implements ConfigSource {
  private last: RuntimeConfig | undefined;

  constructor(private readonly source: ConfigSource) {}

  async load(): Promise<RuntimeConfig> {
    try {
      this.last = await this.source.load();
    } catch (error) {
      if (this.last === undefined) throw error;
      this.staleBecause = error;
    }
    return this.last;
  }

  /** The error that made the last `load` return the previous config; undefined when it was fresh. */
  staleBecause: unknown;
}

/**
 * Loads the config for one invocation and reports it: one `ConfigInvalid` data point (0 when every document is
 * valid, so the alarm always has data), one log line per invalid document with every error line. Returns
 * undefined when no config can be read at all — the caller then acts on nothing.
 */
export async function loadConfigFor(
  source: ConfigSource,
  logger: Logger,
  metrics: MetricsSink,
): Promise<RuntimeConfig | undefined> {
  let config: RuntimeConfig;
  try {
    config = await source.load();
  } catch (error) {
    logger.error('no configuration could be read: acting on nothing', errorFields(error));
    metrics.record('ConfigInvalid', 1);
    return undefined;
  }
  metrics.record('ConfigInvalid', config.invalid.length);
  for (const doc of config.invalid) {
    const inForce = doc.fallbackVersion === undefined ? 'no version validates: left alone' : `v${doc.fallbackVersion}`;
    logger.error('invalid configuration document: the last version that validated stays in force', {
      parameter: doc.parameter,
      inForce,
      errors: doc.errors,
    });
  }
  return config;
}
