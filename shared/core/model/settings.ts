// Global settings (the `Settings` document, DESIGN.md §3) after parsing.

export interface PriceAdjustment {
  /** Label key -> allowed values (all must match), e.g. `{ "instance-family": ["m7i"] }`. */
  readonly match: Readonly<Record<string, readonly string[]>>;
  readonly capacityType?: string;
  readonly multiplier: number;
}

export interface Settings {
  readonly paused: boolean;
  readonly dryRun: boolean;
  readonly responsiveness: 'watch' | 'economy';
  readonly registrationTimeoutMs: number;
  readonly spotToSpotConsolidation: boolean;
  readonly minValuesPolicy: 'Strict' | 'BestEffort';
  readonly preferencePolicy: 'Respect' | 'Ignore';
  readonly priceAdjustments: readonly PriceAdjustment[];
  readonly interruptionQueue?: string;
}

export const DEFAULT_SETTINGS: Settings = {
  paused: false,
  dryRun: false,
  responsiveness: 'watch',
  registrationTimeoutMs: 15 * 60_000,
  spotToSpotConsolidation: false,
  minValuesPolicy: 'Strict',
  preferencePolicy: 'Respect',
  priceAdjustments: [],
};
