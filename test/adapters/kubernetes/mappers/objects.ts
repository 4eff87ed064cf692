// Builders for Kubernetes API objects as `kubectl` prints them, with overrides, for the mapper tests.

import type { Container, Node as K8sNode, Pod as K8sPod, PodSpec } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

type Quantities = Record<string, string>;

/** A container asking for `requests` (and `limits`), e.g. `container('app', { cpu: '6' })`. */
export function container(name: string, requests?: Quantities, limits?: Quantities, extra: Partial<Container> = {}) {
  const resources = { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
  return { name, image: `registry.example.com/${name}:1.0`, resources, ...extra } satisfies Container;
}

/** A sidecar: an init container with `restartPolicy: Always` (KEP-753). */
export function sidecar(name: string, requests?: Quantities, limits?: Quantities): Container {
  return container(name, requests, limits, { restartPolicy: 'Always' });
}

export interface PodOverrides {
  readonly metadata?: ObjectMeta;
  readonly spec?: Partial<PodSpec>;
  readonly status?: K8sPod['status'];
}

/** A pod `default/<name>` with one small container; `spec` and `metadata` fields replace the defaults. */
export function podObject(name = 'web', overrides: PodOverrides = {}): K8sPod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...overrides.metadata },
    spec: { containers: [container('app', { cpu: '100m', memory: '128Mi' })], ...overrides.spec },
    ...(overrides.status ? { status: overrides.status } : {}),
  };
}

/** A pod whose spec is only these containers (and init containers), for request arithmetic. */
export function podWith(containers: Container[], initContainers: Container[] = [], spec: Partial<PodSpec> = {}) {
  return podObject('sized', { spec: { containers, ...(initContainers.length ? { initContainers } : {}), ...spec } });
}

export function nodeObject(name: string, overrides: Partial<K8sNode> = {}): K8sNode {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, creationTimestamp: '2025-06-10T13:02:49Z', labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: {
      capacity: { cpu: '2', memory: '8Gi', pods: '29' },
      allocatable: { cpu: '1930m', memory: '7Gi', pods: '29' },
      conditions: [{ type: 'Ready', status: 'True' }],
    },
    ...overrides,
  };
}

/** Canonical units, for readable expectations: `cpu(10.9)` is 10900 millicores. */
export const cpu = (cores: number): number => Math.round(cores * 1000);
export const mi = (n: number): number => n * 2 ** 20;
export const gi = (n: number): number => n * 2 ** 30;

/** The error `fn` throws; fails the test when it returns. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but the call returned');
}
