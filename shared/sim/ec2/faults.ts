// Failures a scenario or a test injects into the simulated EC2:
// - capacity: an offering (any of instance type, zone, capacity type left open matches all) has no capacity for
//   a time window, so CreateFleet reports InsufficientInstanceCapacity (or another capacity code, e.g.
//   MaxSpotInstanceCountExceeded) for it in `Errors[]`, as EC2 does;
// - throttling: the next N calls of an operation (or of any) fail with the service's throttling error.
// Spot interruptions are scheduled on the simulated EC2 itself (interruptions.ts): they act on instances.

/** The code an injected capacity fault answers with unless told otherwise. */
export const INSUFFICIENT_CAPACITY = 'InsufficientInstanceCapacity';

export interface CapacityFault {
  readonly instanceType?: string;
  readonly zone?: string;
  readonly capacityType?: 'spot' | 'on-demand';
  /** Epoch ms; default: from the start. */
  readonly from?: number;
  /** Epoch ms, exclusive; default: until removed. */
  readonly until?: number;
  /** Default InsufficientInstanceCapacity. */
  readonly code?: string;
}

export interface ThrottleFault {
  /** The port method's name (`createFleet`, `getParameter`, `getProducts`); any operation when absent. */
  readonly operation?: string;
  /** How many matching calls fail; default 1. */
  readonly times?: number;
  readonly from?: number;
  readonly until?: number;
}

interface Armed<F> {
  readonly fault: F;
  remaining: number;
}

function inWindow(fault: { from?: number; until?: number }, now: number): boolean {
  return (fault.from === undefined || now >= fault.from) && (fault.until === undefined || now < fault.until);
}

export class SimFaults {
  private readonly capacity: Armed<CapacityFault>[] = [];
  private readonly throttles: Armed<ThrottleFault>[] = [];

  /** Takes an offering's capacity away for the fault's window; the returned function gives it back early. */
  insufficientCapacity(fault: CapacityFault): () => void {
    const armed = { fault, remaining: Number.POSITIVE_INFINITY };
    this.capacity.push(armed);
    return () => remove(this.capacity, armed);
  }

  /** The capacity error code for an offering at `now`, or undefined when it has capacity. */
  capacityError(instanceType: string, zone: string, capacityType: string, now: number): string | undefined {
    const hit = this.capacity.find(
      ({ fault: f }) =>
        (f.instanceType === undefined || f.instanceType === instanceType) &&
        (f.zone === undefined || f.zone === zone) &&
        (f.capacityType === undefined || f.capacityType === capacityType) &&
        inWindow(f, now),
    );
    return hit === undefined ? undefined : (hit.fault.code ?? INSUFFICIENT_CAPACITY);
  }

  /** Throttles the next `times` matching calls; the returned function disarms what is left. */
  throttle(fault: ThrottleFault = {}): () => void {
    const armed = { fault, remaining: fault.times ?? 1 };
    this.throttles.push(armed);
    return () => remove(this.throttles, armed);
  }

  /** True when this call of `operation` is throttled (using up one of the fault's times). */
  takeThrottle(operation: string, now: number): boolean {
    const hit = this.throttles.find(
      (a) => a.remaining > 0 && (a.fault.operation ?? operation) === operation && inWindow(a.fault, now),
    );
    if (hit === undefined) return false;
    hit.remaining--;
    if (hit.remaining <= 0) remove(this.throttles, hit);
    return true;
  }
}

function remove<T>(list: T[], item: T): void {
  const index = list.indexOf(item);
  if (index >= 0) list.splice(index, 1);
}
