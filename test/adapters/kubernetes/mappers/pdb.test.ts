// toPodDisruptionBudget: PDBs with their budget kept as text and the controller's verdict when present.

import type { PodDisruptionBudget as K8sPodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { describe, expect, it } from 'vitest';
import { toPodDisruptionBudget } from '../../../../shared/adapters/kubernetes/mappers/pdb.js';

function pdb(spec: K8sPodDisruptionBudget['spec'], status?: K8sPodDisruptionBudget['status']): K8sPodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: 'shop' },
    spec,
    ...(status ? { status } : {}),
  };
}

describe('toPodDisruptionBudget', () => {
  it('keeps an integer maxUnavailable as text, with the selector', () => {
    const budget = toPodDisruptionBudget(pdb({ maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } }));
    expect(budget).toEqual({
      namespace: 'shop',
      name: 'web',
      maxUnavailable: '1',
      selector: { matchLabels: { app: 'web' } },
    });
  });

  it('keeps a percentage minAvailable and the unhealthy pod eviction policy', () => {
    const budget = toPodDisruptionBudget(
      pdb({ minAvailable: '50%', selector: {}, unhealthyPodEvictionPolicy: 'AlwaysAllow' }),
    );
    expect(budget).toMatchObject({ minAvailable: '50%', selector: {}, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  it('takes disruptionsAllowed from the status, including zero', () => {
    const status = { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 };
    expect(toPodDisruptionBudget(pdb({ maxUnavailable: 0 }, status)).disruptionsAllowed).toBe(0);
  });

  it('leaves disruptionsAllowed to be computed when there is no status', () => {
    expect(toPodDisruptionBudget(pdb({ minAvailable: 2 })).disruptionsAllowed).toBeUndefined();
  });

  it('leaves a missing selector missing (it matches no pods)', () => {
    expect(toPodDisruptionBudget(pdb({ minAvailable: 1 })).selector).toBeUndefined();
  });

  it('rejects a budget that is neither an integer nor a percentage', () => {
    expect(() => toPodDisruptionBudget(pdb({ minAvailable: 'half' }))).toThrow(
      'PodDisruptionBudget/shop/web: spec.minAvailable: expected an integer or a percentage such as "50%", got "half"',
    );
  });

  it('rejects both minAvailable and maxUnavailable', () => {
    expect(() => toPodDisruptionBudget(pdb({ minAvailable: 1, maxUnavailable: 1 }))).toThrow('mutually exclusive');
  });
});
