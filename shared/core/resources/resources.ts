// Resource lists in canonical units (see quantity.ts) and the arithmetic the scheduler needs on them.
// A missing key means zero. Lists are small (cpu, memory, pods, a few extended resources), so a plain
// record beats anything cleverer.

import { canonicalQuantity } from './quantity.js';

export type Resources = Readonly<Record<string, number>>;

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const PODS = 'pods';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';

/** Parses a Kubernetes ResourceList (`{ cpu: "250m", memory: "1Gi" }`) into canonical units. */
export function parseResources(list: Readonly<Record<string, string | number>> | undefined): Resources {
  const out: Record<string, number> = {};
  if (!list) return out;
  for (const [name, value] of Object.entries(list)) out[name] = canonicalQuantity(name, value);
  return out;
}

export function add(...lists: Resources[]): Resources {
  const out: Record<string, number> = {};
  for (const list of lists) for (const key in list) out[key] = (out[key] ?? 0) + (list[key] as number);
  return out;
}

/** Adds `b` into `a` in place; for hot loops that own `a`. */
export function addInto(a: Record<string, number>, b: Resources): void {
  for (const key in b) a[key] = (a[key] ?? 0) + (b[key] as number);
}

export function subtract(a: Resources, b: Resources): Resources {
  const out: Record<string, number> = { ...a };
  for (const key in b) out[key] = (out[key] ?? 0) - (b[key] as number);
  return out;
}

/** Element-wise maximum. */
export function max(a: Resources, b: Resources): Resources {
  const out: Record<string, number> = { ...a };
  for (const key in b) out[key] = Math.max(out[key] ?? 0, b[key] as number);
  return out;
}

/**
 * True when `request` fits in `available`: every requested resource with a positive amount must be present
 * and large enough (a pod asking for a GPU never fits a type without one; zero requests always fit).
 */
export function fits(request: Resources, available: Resources): boolean {
  for (const key in request) {
    const amount = request[key] as number;
    if (amount > 0 && amount > (available[key] ?? 0)) return false;
  }
  return true;
}

/** `fits(add(base, extra), available)` without allocating: the scheduler's hottest check. */
export function fitsSum(base: Resources, extra: Resources, available: Resources): boolean {
  for (const key in extra) {
    const amount = (base[key] ?? 0) + (extra[key] as number);
    if (amount > 0 && amount > (available[key] ?? 0)) return false;
  }
  for (const key in base) {
    if (key in extra) continue;
    const amount = base[key] as number;
    if (amount > 0 && amount > (available[key] ?? 0)) return false;
  }
  return true;
}

/** The first resource of `request` that does not fit `available`, for error messages. */
export function firstShortfall(request: Resources, available: Resources): string | undefined {
  for (const key in request) {
    const amount = request[key] as number;
    if (amount > 0 && amount > (available[key] ?? 0)) return key;
  }
  return undefined;
}
