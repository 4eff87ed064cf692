// The provisioning gate (karpenter-core §1.1): a burst is acted on 1 s after its last new pod or 10 s after its
// first, still-pending pods are looked at again every 10 s, and a run's first tick acts at once.

import { describe, expect, it } from 'vitest';
import { ProvisioningGate } from '../../shared/runtime/reconcile/batcher.js';

const gate = () => new ProvisioningGate({ idleMs: 1_000, maxMs: 10_000, resyncMs: 10_000 });

describe('ProvisioningGate', () => {
  it('acts on the first tick of a run, pods or not', () => {
    const g = gate();
    expect(g.due(0, false)).toBe(true);
    g.ran(0);
    expect(g.due(500, false)).toBe(false);
  });

  it('waits for 1 s without a new pending pod', () => {
    const g = gate();
    g.ran(0);
    g.trigger(1_000);
    g.trigger(1_600);
    expect(g.isOpen(2_000)).toBe(true);
    expect(g.due(2_500, true)).toBe(false);
    expect(g.due(2_600, true)).toBe(true);
  });

  it('acts 10 s after the first pod while pods keep arriving', () => {
    const g = gate();
    g.ran(0);
    for (let t = 1_000; t <= 11_000; t += 500) g.trigger(t);
    expect(g.due(10_900, true)).toBe(false);
    expect(g.due(11_000, true)).toBe(true);
  });

  it('looks again every 10 s while pods stay pending, and not at all when none are', () => {
    const g = gate();
    g.ran(0);
    expect(g.due(9_999, true)).toBe(false);
    expect(g.due(10_000, true)).toBe(true);
    expect(g.due(10_000, false)).toBe(false);
  });

  it('acts at once after the run changed the cluster itself (a node tainted)', () => {
    const g = gate();
    g.ran(0);
    g.force();
    expect(g.due(100, false)).toBe(true);
  });
});
