// The runtime's ConfigSource over a config held in memory, which tests change between invocations; `fail`
// makes the next loads reject, as an unreachable SSM would.

import type { NodeClass, NodePool } from '../../shared/core/model/nodepool.js';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/core/model/settings.js';
import type { ConfigSource, RuntimeConfig } from '../../shared/runtime/config.js';

export class StaticConfig implements ConfigSource {
  failing: Error | undefined;

  constructor(public config: RuntimeConfig) {}

  static of(nodePools: readonly NodePool[], nodeClasses: readonly NodeClass[], settings: Partial<Settings> = {}) {
    return new StaticConfig({
      nodePools,
      nodeClasses,
      settings: { ...DEFAULT_SETTINGS, ...settings },
      settingsFromDocument: Object.keys(settings).length > 0,
      invalid: [],
    });
  }

  async load(): Promise<RuntimeConfig> {
    if (this.failing) throw this.failing;
    return this.config;
  }

  set(settings: Partial<Settings>): void {
    this.config = { ...this.config, settings: { ...this.config.settings, ...settings }, settingsFromDocument: true };
  }
}
