// Resource ids for the simulated account, in AWS's own formats (`i-` and 17 hex digits, UUIDs for fleets and
// request ids). They come from a counter per kind hashed with a seed, not from randomness: the same scenario
// launches the same instance ids every run, so reports and test failures can be compared run to run.

import { fnv1a64 } from '../../core/hash.js';

/** Hex digits after the prefix of modern EC2 ids (`i-0123456789abcdef0`). */
const LONG_ID_DIGITS = 17;

export class SimIds {
  private readonly counters = new Map<string, number>();

  constructor(private readonly seed = 'fleetwright-sim') {}

  /** `digits` hex digits derived from the next count of `kind`. */
  hex(kind: string, digits: number): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    let out = '';
    for (let round = 0; out.length < digits; round++) out += fnv1a64(`${this.seed}|${kind}|${n}|${round}`);
    return out.slice(0, digits);
  }

  /** An EC2 id: `i-0…`, `r-0…`, `lt-0…`, `vol-0…`, `eni-0…` (the leading 0 as EC2's own ids have it). */
  ec2(prefix: string): string {
    return `${prefix}-0${this.hex(prefix, LONG_ID_DIGITS - 1)}`;
  }

  /** A version-4-shaped UUID: fleet ids, request ids, EventBridge event ids, SQS message ids. */
  uuid(kind = 'uuid'): string {
    const h = this.hex(kind, 32);
    const variant = ((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A spot instance request id: `sir-` and 8 lower-case characters. */
  spotRequest(): string {
    return `sir-${this.hex('sir', 8)}`;
  }
}
