// Catalogue entries -> core `InstanceType`s for one node class: which types the class can launch, their
// labels, requirements, offerings, capacity and allocatable.
//
// It runs for the whole catalogue (1345 types) once per node class, so everything that does not depend on the
// node class (validation, labels, requirements, offerings and their spot hashes) is computed once per entry
// object and kept in a WeakMap. Entries are therefore treated as immutable: a changed entry must be a new
// object. Only capacity and allocatable, a few arithmetic operations, are computed per call.

import type { InstanceType } from '../model/instancetype.js';
import type { NodeClass } from '../model/nodepool.js';
import { Requirements } from '../requirements/requirements.js';
import { capacityAndAllocatable, nodeClassOverhead } from './allocatable.js';
import { type CatalogueEntry, CatalogueError, DEFAULT_OS, familyOf } from './catalogue.js';
import { suitsFamily } from './family.js';
import { instanceTypeLabels, instanceTypeRequirements } from './labels.js';
import { entryOfferings, MARKET_REGION } from './market.js';
import { validateCatalogueEntry } from './validate.js';

export interface ResolveOptions {
  /** `topology.kubernetes.io/region` of every type, and the region of the synthetic zones; default us-east-1. */
  readonly region?: string;
}

/** What an entry resolves to whatever the node class, for one region and OS. */
interface SharedParts {
  readonly labels: Readonly<Record<string, string>>;
  readonly requirements: Requirements;
  readonly offerings: InstanceType['offerings'];
}

interface EntryCache {
  readonly errors: readonly string[];
  /** Keyed by `<region>|<os>`. */
  readonly parts: Map<string, SharedParts>;
}

const cache = new WeakMap<CatalogueEntry, EntryCache>();

/** Only valid entries are cached: an error message carries the entry's position, which may differ next call. */
function entryCache(entry: CatalogueEntry, index: number): EntryCache {
  let cached = cache.get(entry);
  if (cached === undefined) {
    cached = { errors: validateCatalogueEntry(entry, index), parts: new Map() };
    if (cached.errors.length === 0) cache.set(entry, cached);
  }
  return cached;
}

function sharedParts(entry: CatalogueEntry, cached: EntryCache, region: string, os: string): SharedParts {
  const key = `${region}|${os}`;
  let parts = cached.parts.get(key);
  if (parts === undefined) {
    const labels = Object.freeze(instanceTypeLabels(entry, os, region));
    const offerings = Object.freeze(entryOfferings(entry, region).map((o) => Object.freeze(o)));
    parts = { labels, offerings, requirements: new Requirements(instanceTypeRequirements(labels, offerings)) };
    cached.parts.set(key, parts);
  }
  return parts;
}

/** Validates every entry (cached per entry) and the uniqueness of names; throws `CatalogueError` listing all. */
function assertValid(entries: readonly CatalogueEntry[]): EntryCache[] {
  const errors: string[] = [];
  const names = new Set<string>();
  const caches = entries.map((entry, index) => {
    const cached = entryCache(entry, index);
    errors.push(...cached.errors);
    if (names.has(entry.name)) errors.push(`instance type "${entry.name}": name: duplicate entry (entry #${index})`);
    names.add(entry.name);
    return cached;
  });
  if (errors.length > 0) throw new CatalogueError(errors);
  return caches;
}

/**
 * The instance types `nodeClass` can launch, in catalogue order: each entry with the node class's kubelet
 * settings and AMI family applied (research/aws-provider.md §a), its labels and requirements (§h.1) and its
 * offerings (the entry's own, else the synthetic market model of DESIGN.md §6). Types the family cannot run
 * are left out: a1.* under AL2023, as Karpenter does, and types whose `os` lacks the family's OS.
 *
 * Throws `CatalogueError` (every problem at once) when an entry is invalid; validate untrusted catalogues
 * first with `validateCatalogue`. Labels and offerings are frozen and shared between calls; `requirements` is
 * a fresh copy per call, so callers may narrow it.
 */
export function resolveInstanceTypes(
  entries: readonly CatalogueEntry[],
  nodeClass: NodeClass,
  options: ResolveOptions = {},
): InstanceType[] {
  const region = options.region ?? MARKET_REGION;
  const caches = assertValid(entries);
  const overhead = nodeClassOverhead(nodeClass);
  const os = overhead.traits.os;
  const types: InstanceType[] = [];
  entries.forEach((entry, index) => {
    if (!suitsFamily(overhead.traits, familyOf(entry), entry.os ?? DEFAULT_OS)) return;
    const parts = sharedParts(entry, caches[index] as EntryCache, region, os);
    const { capacity, allocatable } = capacityAndAllocatable(entry, overhead);
    types.push({
      name: entry.name,
      labels: parts.labels,
      requirements: parts.requirements.copy(),
      capacity,
      allocatable,
      offerings: parts.offerings,
    });
  });
  return types;
}
