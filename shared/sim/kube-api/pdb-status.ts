// The disruption controller's arithmetic (kube-controller-manager `pkg/controller/disruption`): from the pods a
// PodDisruptionBudget covers, how many are healthy, how many must stay, and how many may go now. Shared by the
// API server (eviction) and the simulated cluster (status updates).

export interface BudgetStatus {
  readonly disruptionsAllowed: number;
  readonly currentHealthy: number;
  readonly desiredHealthy: number;
  readonly expectedPods: number;
}

export interface BudgetSpec {
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

/** `pods`: the covered pods that are not terminal; healthy = Ready and not terminating. */
export function pdbStatus(
  spec: BudgetSpec,
  pods: readonly { readonly ready: boolean; readonly terminating: boolean }[],
): BudgetStatus {
  const expected = pods.length;
  const healthy = pods.filter((p) => p.ready && !p.terminating).length;
  // Percentages round up, as the controller's GetScaledValueFromIntOrPercent does for budgets.
  const count = (value: number | string) =>
    typeof value === 'string' && value.endsWith('%')
      ? Math.ceil((expected * Number.parseInt(value, 10)) / 100)
      : Number(value);
  const desired =
    spec.minAvailable !== undefined
      ? count(spec.minAvailable)
      : spec.maxUnavailable !== undefined
        ? expected - count(spec.maxUnavailable)
        : expected;
  return {
    disruptionsAllowed: Math.max(0, healthy - desired),
    currentHealthy: healthy,
    desiredHealthy: desired,
    expectedPods: expected,
  };
}
