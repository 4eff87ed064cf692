// Effective pod requests as the mapper computes them from API objects (karpenter-core §2.2).

import fc from 'fast-check';
import type { Container } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { MappingError } from '../../../../shared/adapters/kubernetes/mappers/fields.js';
import { toPod } from '../../../../shared/adapters/kubernetes/mappers/pod.js';
import { container, cpu, gi, mi, podObject, podWith, sidecar, thrown } from './objects.js';

const requestsOf = (...args: Parameters<typeof podWith>) => toPod(podWith(...args)).requests;

describe('pod requests', () => {
  describe('init containers and sidecars (the pinned KEP-753 cases)', () => {
    it('takes 10.9 CPU for init 10 CPU, then a sidecar of 4.9 and an app of 6', () => {
      const requests = requestsOf(
        [container('app', { cpu: '6' })],
        [container('init', { cpu: '10' }), sidecar('proxy', { cpu: '4900m' })],
      );
      expect(requests.cpu).toBe(cpu(10.9));
    });

    it('takes 10.9 CPU for a sidecar of 4.9 first, then init 5 and an app of 6', () => {
      const requests = requestsOf(
        [container('app', { cpu: '6' })],
        [sidecar('proxy', { cpu: '4900m' }), container('init', { cpu: '5' })],
      );
      expect(requests.cpu).toBe(cpu(10.9));
    });

    it('takes 10.9 CPU for an app of 5, a sidecar of 4.9 and a later init of 6: max(5+4.9, 4.9+6)', () => {
      const requests = requestsOf(
        [container('app', { cpu: '5' })],
        [sidecar('proxy', { cpu: '4900m' }), container('init', { cpu: '6' })],
      );
      expect(requests.cpu).toBe(cpu(10.9));
    });

    it('takes the largest regular init container when it exceeds the app containers', () => {
      const requests = requestsOf([container('app', { memory: '1Gi' })], [container('migrate', { memory: '3Gi' })]);
      expect(requests.memory).toBe(gi(3));
    });
  });

  it('adds spec.overhead (RuntimeClass) on top of the containers', () => {
    const requests = requestsOf([container('main', { cpu: '500m', memory: '512Mi' })], [], {
      overhead: { cpu: '250m', memory: '120Mi' },
    });
    expect(requests).toMatchObject({ cpu: 750, memory: mi(632) });
  });

  it('counts limits as requests when a container has no requests, as the API server defaults them', () => {
    const requests = requestsOf([container('batch', undefined, { cpu: '2', memory: '4Gi' })]);
    expect(requests).toMatchObject({ cpu: cpu(2), memory: gi(4) });
  });

  it('keeps an explicit request below its limit, and defaults only the missing resource', () => {
    const requests = requestsOf([container('web', { cpu: '250m' }, { cpu: '1', memory: '1Gi' })]);
    expect(requests).toMatchObject({ cpu: 250, memory: gi(1) });
  });

  it('counts limits as requests in init containers and sidecars too', () => {
    const requests = requestsOf([container('app', { cpu: '1' })], [sidecar('proxy', undefined, { cpu: '500m' })]);
    expect(requests.cpu).toBe(cpu(1.5));
  });

  it('makes every pod consume one pods slot, even with no containers', () => {
    expect(requestsOf([container('app', { cpu: '1' })]).pods).toBe(1);
    expect(requestsOf([]).pods).toBe(1);
  });

  it('carries extended resources through (GPUs)', () => {
    const requests = requestsOf([container('train', undefined, { 'nvidia.com/gpu': '4' })]);
    expect(requests['nvidia.com/gpu']).toBe(4);
  });

  it('reads JSON numbers as quantities', () => {
    const pod = podWith([{ name: 'app', resources: { requests: { cpu: 2 as unknown as string } } }]);
    expect(toPod(pod).requests.cpu).toBe(cpu(2));
  });

  it('lets pod-level spec.resources replace the containers for cpu and memory, plus overhead', () => {
    const pod = podWith([container('a', { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': '1' })], [], {
      overhead: { cpu: '100m' },
    });
    Object.assign(pod.spec as object, { resources: { requests: { cpu: '3' }, limits: { memory: '2Gi' } } });
    expect(toPod(pod).requests).toMatchObject({ cpu: cpu(3.1), memory: gi(2), 'nvidia.com/gpu': 1 });
  });

  describe('a malformed quantity', () => {
    it('is a MappingError naming the pod and the field', () => {
      const pod = podObject('api', { spec: { containers: [container('app', { cpu: '1', memory: '2 GB' })] } });
      expect(() => toPod(pod)).toThrow(MappingError);
      expect(() => toPod(pod)).toThrow(
        /^Pod\/default\/api: spec\.containers\[0\]\.resources\.requests\.memory: "2 GB" is not a Kubernetes quantity/,
      );
    });

    it('carries the path separately, with resource names quoted when they are not identifiers', () => {
      const pod = podWith([container('ok')], [container('init', undefined, { 'nvidia.com/gpu': 'lots' })]);
      const error = thrown(() => toPod(pod));
      expect(error).toBeInstanceOf(MappingError);
      expect(error).toMatchObject({
        object: 'Pod/default/sized',
        path: 'spec.initContainers[0].resources.limits["nvidia.com/gpu"]',
      });
    });

    it('rejects a quantity that is not text or a number', () => {
      const pod = podWith([{ name: 'app', resources: { requests: { cpu: { value: 1 } as unknown as string } } }]);
      expect(() => toPod(pod)).toThrow('spec.containers[0].resources.requests.cpu: expected a quantity');
    });

    it('is reported in spec.overhead too', () => {
      expect(() => toPod(podWith([], [], { overhead: { cpu: 'fast' } }))).toThrow(/spec\.overhead\.cpu: "fast"/);
    });
  });

  describe('as a property', () => {
    const millis = fc.integer({ min: 0, max: 64_000 });
    const kib = fc.integer({ min: 0, max: 64 * 1024 * 1024 });
    const resources = fc.record({ cpu: millis, memory: kib, asLimit: fc.boolean() });
    const asContainer = (name: string, r: { cpu: number; memory: number; asLimit: boolean }): Container => {
      const list = { cpu: `${r.cpu}m`, memory: `${r.memory}Ki` };
      return r.asLimit ? container(name, undefined, list) : container(name, list);
    };
    const init = fc.record({ resources, sidecar: fc.boolean() });

    it('is at least the sum of the app containers and at least every init container, per resource', () => {
      fc.assert(
        fc.property(fc.array(resources, { maxLength: 5 }), fc.array(init, { maxLength: 5 }), (apps, inits) => {
          const containers = apps.map((r, i) => asContainer(`app-${i}`, r));
          const initContainers = inits.map((c, i) =>
            c.sidecar
              ? { ...asContainer(`sidecar-${i}`, c.resources), restartPolicy: 'Always' }
              : asContainer(`init-${i}`, c.resources),
          );
          const requests = toPod(podWith(containers, initContainers)).requests;
          const sum = (key: 'cpu' | 'memory') => apps.reduce((total, r) => total + r[key], 0);
          expect(requests.cpu ?? 0).toBeGreaterThanOrEqual(sum('cpu'));
          expect(requests.memory ?? 0).toBeGreaterThanOrEqual(sum('memory') * 1024);
          for (const c of inits) {
            expect(requests.cpu ?? 0).toBeGreaterThanOrEqual(c.resources.cpu);
            expect(requests.memory ?? 0).toBeGreaterThanOrEqual(c.resources.memory * 1024);
          }
          expect(requests.pods).toBe(1);
        }),
      );
    });
  });
});
