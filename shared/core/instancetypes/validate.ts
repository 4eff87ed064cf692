// Validation of catalogue entries (catalogue.ts), done by hand because the core imports no packages.
// Every error names the entry, the field path, the value and what was expected, and all errors are
// reported at once. Unknown fields are ignored: a catalogue is data, not a strict config document.

import {
  LABEL_CAPACITY_TYPE,
  LABEL_HOSTNAME,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  LABEL_OS,
  LABEL_REGION,
  LABEL_ZONE,
} from '../labels.js';
import { canonicalQuantity } from '../resources/quantity.js';
import { ARCHITECTURES, CATALOGUE_CAPACITY_TYPES } from './catalogue.js';

type Kind = 'string' | 'count' | 'amount' | 'boolean';

/** Kind of each scalar field and whether the data file may hold null there (null reads as absent). */
const SCALAR_FIELDS: Readonly<Record<string, readonly [Kind, boolean]>> = {
  family: ['string', false],
  category: ['string', false],
  generation: ['count', false],
  size: ['string', false],
  vcpu: ['count', false],
  memoryMiB: ['count', false],
  cpuManufacturer: ['string', true],
  cpuSustainedClockMhz: ['count', true],
  hypervisor: ['string', true],
  bareMetal: ['boolean', false],
  capabilityFlex: ['boolean', false],
  gpuCount: ['count', false],
  gpuName: ['string', true],
  gpuManufacturer: ['string', true],
  gpuMemoryMiB: ['count', false],
  gpuFractional: ['boolean', false],
  gpuTotalMemoryMiB: ['count', false],
  nvidiaGpuResource: ['count', false],
  amdGpuResource: ['count', false],
  acceleratorName: ['string', true],
  acceleratorManufacturer: ['string', true],
  acceleratorCount: ['count', false],
  neuronDevices: ['count', false],
  neuronCores: ['count', false],
  maxEfaInterfaces: ['count', false],
  maxENIs: ['count', false],
  ipv4PerENI: ['count', false],
  totalENIsAllCards: ['count', false],
  networkCards: ['count', false],
  defaultNetworkCardIndex: ['count', false],
  trunkingCompatible: ['boolean', false],
  branchENIs: ['count', false],
  eniMaxPods: ['count', false],
  localNvmeGB: ['count', true],
  networkBandwidthMbps: ['count', true],
  networkPerformance: ['string', true],
  ebsBandwidthMbps: ['count', true],
  encryptionInTransitSupported: ['boolean', false],
  onDemandPriceUSD: ['amount', true],
  spotPriceUSD: ['amount', true],
};

const EXPECTED: Readonly<Record<Kind, string>> = {
  string: 'a string',
  count: 'a non-negative integer',
  amount: 'a non-negative number',
  boolean: 'true or false',
};

/**
 * Label keys an entry's `labels` may not set: the name, offerings, region and pool decide them, and `os` has
 * its own field.
 */
const DERIVED_LABEL_KEYS: ReadonlySet<string> = new Set([
  LABEL_INSTANCE_TYPE,
  LABEL_ZONE,
  LABEL_CAPACITY_TYPE,
  LABEL_REGION,
  LABEL_NODEPOOL,
  LABEL_HOSTNAME,
  LABEL_OS,
]);

type Obj = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function matchesKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'count':
      return Number.isInteger(value) && (value as number) >= 0;
    case 'amount':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0;
    case 'boolean':
      return typeof value === 'boolean';
  }
}

/**
 * Every problem with a catalogue: not an array, invalid entries, duplicate names. Empty when `input` may be
 * used as `readonly CatalogueEntry[]`.
 */
export function validateCatalogue(input: unknown): string[] {
  if (!Array.isArray(input)) return [`instance-type catalogue: expected an array of entries, got ${show(input)}`];
  const errors: string[] = [];
  const seen = new Set<string>();
  input.forEach((entry, index) => {
    errors.push(...validateCatalogueEntry(entry, index));
    const name = isObject(entry) ? entry.name : undefined;
    if (typeof name !== 'string') return;
    if (seen.has(name)) errors.push(`instance type "${name}": name: duplicate entry (entry #${index})`);
    seen.add(name);
  });
  return errors;
}

/** Every problem with one entry (`index` is its position, for entries without a usable name). */
export function validateCatalogueEntry(entry: unknown, index: number): string[] {
  if (!isObject(entry)) return [`instance type #${index}: expected an object, got ${show(entry)}`];
  const named = typeof entry.name === 'string' && entry.name !== '';
  const where = named ? `instance type "${entry.name as string}"` : `instance type #${index}`;
  const problems: string[] = [];
  if (!named) problems.push(`name: expected a non-empty string, got ${show(entry.name)}`);
  problems.push(...scalarProblems(entry), ...osProblems(entry.os), ...labelProblems(entry.labels));
  problems.push(...allocatableProblems(entry.allocatable), ...offeringProblems(entry.offerings));
  problems.push(...completenessProblems(entry));
  if (entry.arch !== undefined && !ARCHITECTURES.includes(entry.arch as string)) {
    problems.push(`arch: ${show(entry.arch)} is not one of ${ARCHITECTURES.join(', ')}`);
  }
  const zones = entry.availabilityZones;
  if (zones !== undefined && zones !== null && !isStringList(zones)) {
    problems.push(`availabilityZones: expected a list of zone names or null, got ${show(zones)}`);
  }
  const golden = entry.karpenterAllocatableAL2023;
  if (golden !== undefined && golden !== null && !isObject(golden)) {
    problems.push(`karpenterAllocatableAL2023: expected an object or null, got ${show(golden)}`);
  }
  return problems.map((p) => `${where}: ${p}`);
}

function scalarProblems(entry: Obj): string[] {
  const problems: string[] = [];
  for (const [field, [kind, nullable]] of Object.entries(SCALAR_FIELDS)) {
    const value = entry[field];
    if (value === undefined || (value === null && nullable) || matchesKind(value, kind)) continue;
    problems.push(`${field}: expected ${EXPECTED[kind]}${nullable ? ' or null' : ''}, got ${show(value)}`);
  }
  return problems;
}

function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '');
}

function osProblems(os: unknown): string[] {
  if (os === undefined || (isStringList(os) && os.length > 0)) return [];
  return [`os: expected a non-empty list of operating systems such as ["linux"], got ${show(os)}`];
}

function labelProblems(labels: unknown): string[] {
  if (labels === undefined) return [];
  if (!isObject(labels)) return [`labels: expected an object of label key -> value, got ${show(labels)}`];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(labels)) {
    if (key === '') problems.push('labels: label keys must not be empty');
    if (typeof value !== 'string') problems.push(`labels.${key}: expected a string, got ${show(value)}`);
    if (DERIVED_LABEL_KEYS.has(key)) {
      problems.push(`labels.${key}: this label is derived (name, offerings, region, pool or os), not set here`);
    }
  }
  return problems;
}

function allocatableProblems(allocatable: unknown): string[] {
  if (allocatable === undefined) return [];
  if (!isObject(allocatable)) {
    return [`allocatable: expected an object of resource -> quantity, got ${show(allocatable)}`];
  }
  const problems: string[] = [];
  for (const [resource, value] of Object.entries(allocatable)) {
    const path = `allocatable.${resource}`;
    if (typeof value !== 'string' && typeof value !== 'number') {
      problems.push(`${path}: expected a quantity such as "1900m", "2038Mi" or 5, got ${show(value)}`);
      continue;
    }
    try {
      if (canonicalQuantity(resource, value) < 0) problems.push(`${path}: ${show(value)} is negative`);
    } catch {
      problems.push(`${path}: ${show(value)} is not a Kubernetes quantity (expected e.g. "1900m", "2038Mi", 5)`);
    }
  }
  return problems;
}

function offeringProblems(offerings: unknown): string[] {
  if (offerings === undefined) return [];
  if (!Array.isArray(offerings)) return [`offerings: expected a list of offerings, got ${show(offerings)}`];
  return offerings.flatMap((offering, i) => oneOfferingProblems(offering, `offerings[${i}]`));
}

function oneOfferingProblems(offering: unknown, path: string): string[] {
  if (!isObject(offering)) return [`${path}: expected { zone, capacityType, price, available }, got ${show(offering)}`];
  const problems: string[] = [];
  const { zone, capacityType, price, available } = offering;
  if (typeof zone !== 'string' || zone === '') problems.push(`${path}.zone: expected a zone name, got ${show(zone)}`);
  if (!CATALOGUE_CAPACITY_TYPES.includes(capacityType as never)) {
    problems.push(`${path}.capacityType: ${show(capacityType)} is not one of ${CATALOGUE_CAPACITY_TYPES.join(', ')}`);
  }
  if (!matchesKind(price, 'amount')) {
    problems.push(`${path}.price: expected $/h as a non-negative number, got ${show(price)}`);
  }
  if (available !== undefined && typeof available !== 'boolean') {
    problems.push(`${path}.available: expected true or false, got ${show(available)}`);
  }
  return problems;
}

/** What an entry needs to become an instance type: a price source, and sizes unless `allocatable` is given. */
function completenessProblems(entry: Obj): string[] {
  const problems: string[] = [];
  const price = entry.onDemandPriceUSD;
  if (entry.offerings === undefined && (price === undefined || price === null)) {
    problems.push('offerings: neither offerings nor onDemandPriceUSD is given, so the type has no price');
  }
  if (entry.allocatable === undefined) {
    for (const field of ['vcpu', 'memoryMiB']) {
      if (entry[field] === undefined) problems.push(`${field}: required to compute allocatable (or give allocatable)`);
    }
  }
  return problems;
}
