// Kubernetes resource quantities ("250m", "1.5Gi", "1e3", "100M") parsed once into numbers in canonical units:
// cpu in millicores, every other resource in its base unit (bytes for memory, storage and hugepages; a count
// otherwise). Rounding is upward, as the API server's `Quantity.MilliValue()`/`Value()` do.

const QUANTITY =
  /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?[0-9]+))?$/;

const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** Thrown for text that is not a Kubernetes quantity; carries the offending value. */
export class QuantityError extends Error {
  override readonly name = 'QuantityError';
  constructor(readonly value: unknown) {
    super(`${JSON.stringify(value)} is not a Kubernetes quantity (expected e.g. "250m", "1.5Gi", "4")`);
  }
}

/** The quantity's value in its base unit (cores, bytes, count), not rounded. */
export function parseQuantity(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new QuantityError(value);
    return value;
  }
  const match = QUANTITY.exec(value.trim());
  if (!match) throw new QuantityError(value);
  const [, digits, suffix, exponent] = match;
  const base = Number(digits);
  if (suffix) return base * (SUFFIX[suffix] as number);
  if (exponent) return base * 10 ** Number(exponent);
  return base;
}

// Floating-point products like 1.1 * 1000 = 1100.0000000000002 must not round up to the next unit.
const EPSILON = 1e-6;

function ceilClean(x: number): number {
  const rounded = Math.round(x);
  return Math.abs(x - rounded) < EPSILON ? rounded : Math.ceil(x);
}

/** A quantity of `resource` in canonical units: millicores for cpu, the base unit (ceil) for everything else. */
export function canonicalQuantity(resource: string, value: string | number): number {
  const parsed = parseQuantity(value);
  return resource === 'cpu' ? ceilClean(parsed * 1000) : ceilClean(parsed);
}

/** Formats a canonical amount for people: "1500m"/"2" for cpu, binary units for bytes, the count otherwise. */
export function formatQuantity(resource: string, amount: number): string {
  if (resource === 'cpu') return amount % 1000 === 0 ? String(amount / 1000) : `${amount}m`;
  if (!isByteResource(resource)) return String(amount);
  for (const [suffix, size] of [
    ['Ti', 2 ** 40],
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const) {
    if (amount >= size && amount % size === 0) return `${amount / size}${suffix}`;
  }
  if (amount >= 2 ** 20) return `${Math.round((amount / 2 ** 20) * 10) / 10}Mi`;
  return String(amount);
}

export function isByteResource(resource: string): boolean {
  return resource === 'memory' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-');
}
