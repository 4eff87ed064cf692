// The single-writer lock of DESIGN §2: a coordination.k8s.io/v1 Lease `kube-system/fleetwright-<cluster>`,
// taken and renewed with optimistic concurrency the way client-go's leader election does it. Every write is a
// PUT carrying the resourceVersion that was read, so of two invocations racing for a free Lease exactly one
// wins (the other gets 409 and re-reads who holds it). Expiry is judged from `renewTime` in the object: the
// writers are separate Lambda invocations with NTP-synchronised clocks, not one long-lived process.

import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { LeaseStatus } from '../../core/ports/cluster.js';
import { ConflictError, NotFoundError } from './client/errors.js';
import type { KubeClient } from './client/kube-client.js';
import { LEASES } from './client/resources.js';
import { CONFLICT_ATTEMPTS, LEASE_DURATION_SECONDS } from './timing.js';

/** Where the Lease lives: the namespace every cluster has and workloads rarely write to. */
export const LEASE_NAMESPACE = 'kube-system';

/** `fleetwright-<cluster>`: one Lease per cluster, so two deployments for one cluster also exclude each other. */
export function leaseName(clusterName: string): string {
  return `fleetwright-${clusterName}`;
}

export interface LeaseLockOptions {
  readonly namespace: string;
  readonly name: string;
  /** This writer's identity, unique per invocation (e.g. the Lambda request id). */
  readonly holder: string;
  readonly durationSeconds?: number;
  readonly now?: () => number;
}

type Mode = 'acquire' | 'renew';

/** One holder's view of one Lease: acquire, renew, release. */
export class LeaseLock {
  private readonly durationSeconds: number;
  private readonly now: () => number;

  constructor(
    private readonly client: KubeClient,
    private readonly options: LeaseLockOptions,
  ) {
    this.durationSeconds = options.durationSeconds ?? LEASE_DURATION_SECONDS;
    this.now = options.now ?? Date.now;
  }

  /** Takes the Lease if free, released or expired; renews it if already ours. Creates it on first use. */
  acquire(): Promise<LeaseStatus> {
    return this.cycle('acquire');
  }

  /** Renews the Lease if it is still ours; never takes it from another holder, even an expired one. */
  renew(): Promise<LeaseStatus> {
    return this.cycle('renew');
  }

  /** Clears the holder (hand-over) when we hold it, so the next writer need not wait for expiry. */
  async release(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const lease = await this.read();
      if (!lease || lease.spec?.holderIdentity !== this.options.holder) return;
      const now = microTime(this.now());
      const spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now };
      try {
        await this.client.replace(LEASES, { ...lease, spec });
        return;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= CONFLICT_ATTEMPTS) throw error;
      }
    }
  }

  private async cycle(mode: Mode): Promise<LeaseStatus> {
    for (let attempt = 1; ; attempt++) {
      const lease = await this.read();
      try {
        if (!lease) return mode === 'acquire' ? this.status(await this.create()) : this.lost('');
        const holder = lease.spec?.holderIdentity ?? '';
        const ours = holder === this.options.holder;
        if (mode === 'renew' && !ours) return this.status(lease);
        if (!ours && holder && expiresAt(lease) > this.now()) return this.status(lease);
        return this.status(await this.client.replace(LEASES, this.claimed(lease, ours)));
      } catch (error) {
        // Another writer changed or created the Lease between our read and our write: read again.
        if (!(error instanceof ConflictError) || attempt >= CONFLICT_ATTEMPTS) throw error;
      }
    }
  }

  private async read(): Promise<Lease | undefined> {
    try {
      return await this.client.get(LEASES, this.options.name, this.options.namespace);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  private create(): Promise<Lease> {
    const now = microTime(this.now());
    return this.client.create(LEASES, {
      metadata: { name: this.options.name, namespace: this.options.namespace },
      spec: {
        holderIdentity: this.options.holder,
        leaseDurationSeconds: this.durationSeconds,
        acquireTime: now,
        renewTime: now,
        leaseTransitions: 0,
      },
    });
  }

  /** The Lease as we write it when taking (a transition: new acquireTime) or renewing it. */
  private claimed(lease: Lease, ours: boolean): Lease {
    const now = microTime(this.now());
    const spec = lease.spec ?? {};
    return {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: this.options.holder,
        leaseDurationSeconds: this.durationSeconds,
        renewTime: now,
        acquireTime: ours ? (spec.acquireTime ?? now) : now,
        leaseTransitions: (spec.leaseTransitions ?? 0) + (ours ? 0 : 1),
      },
    };
  }

  private status(lease: Lease): LeaseStatus {
    const holder = lease.spec?.holderIdentity ?? '';
    return { held: holder === this.options.holder, holder, expiresAt: expiresAt(lease) };
  }

  private lost(holder: string): LeaseStatus {
    return { held: false, holder, expiresAt: 0 };
  }
}

/** Epoch ms when the Lease lapses: renewTime + duration; 0 (long lapsed) when either is missing. */
export function expiresAt(lease: Lease): number {
  const renewed = Date.parse(lease.spec?.renewTime ?? '');
  const duration = lease.spec?.leaseDurationSeconds;
  if (Number.isNaN(renewed) || duration === undefined) return 0;
  return renewed + duration * 1000;
}

/** A metav1.MicroTime: RFC 3339 with exactly six fractional digits, as the API server parses it. */
export function microTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
