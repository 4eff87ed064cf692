import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LABEL_ARCH, LABEL_CAPACITY_TYPE, LABEL_HOSTNAME, LABEL_ZONE } from '../../../shared/core/labels.js';
import type { InstanceType } from '../../../shared/core/model/instancetype.js';
import type { NodePool } from '../../../shared/core/model/nodepool.js';
import type { Plan } from '../../../shared/core/model/plan.js';
import type { Pod, TopologySpreadConstraint } from '../../../shared/core/model/pod.js';
import { DEFAULT_SETTINGS } from '../../../shared/core/model/settings.js';
import { plan } from '../../../shared/core/plan/build-plan.js';
import { plannedNode } from '../../../shared/core/plan/planned-node.js';
import { repack } from '../../../shared/core/plan/repack.js';
import { repackGroups } from '../../../shared/core/plan/repack-groups.js';
import { rightSize } from '../../../shared/core/plan/right-size.js';
import { ALLOW_WELL_KNOWN } from '../../../shared/core/requirements/requirements.js';
import { fitsSum } from '../../../shared/core/resources/resources.js';
import type { NodeClaim } from '../../../shared/core/scheduling/node-claim.js';
import { solve } from '../../../shared/core/scheduling/scheduler.js';
import { instanceType, nodePool, pod, pods, snapshot, ZONES } from '../../fixtures/builders.js';
import { planChecked } from '../scheduling/helpers.js';

// A compute type, a memory type, a balanced one that costs more than either for its room, and a huge one.
const COMPUTE = instanceType('c-8', { cpu: '8', memory: '8Gi', price: 0.4 });
const MEMORY = instanceType('r-2', { cpu: '2', memory: '32Gi', price: 0.4 });
const BALANCED = instanceType('m-8', { cpu: '8', memory: '32Gi', price: 0.62 });
const HUGE = instanceType('x-64', { cpu: '64', memory: '256Gi', price: 6 });
const TYPES = [COMPUTE, MEMORY, BALANCED, HUGE];

/**
 * Web, cache and db pods (24 CPUs, 108 GiB): the solve puts them all on one x-64, and right-sizing, which packs one
 * planned node at a time into one type, splits that into three m-8 and two r-2 ($1.862 spot). Apart, the CPU-heavy
 * pods fill three c-8 and the caches two r-2 ($1.40).
 */
function mixed(overrides: Parameters<typeof pods>[1] = {}): Pod[] {
  return [
    ...pods(16, { name: 'web', cpu: '1', memory: '1Gi', labels: { app: 'web' }, ...overrides }),
    ...pods(4, { name: 'cache', cpu: '500m', memory: '15Gi', labels: { app: 'cache' }, ...overrides }),
    ...pods(4, { name: 'db', cpu: '2', memory: '2Gi', labels: { app: 'db' }, ...overrides }),
  ];
}

const typesOf = (result: Plan) => result.newNodes.map((n) => n.instanceType).sort();

function solved(podList: readonly Pod[], types: readonly InstanceType[] = TYPES, pool: NodePool = nodePool()) {
  return solve({
    pods: podList,
    existing: [],
    placed: [],
    daemonSets: [],
    pools: [{ pool, instanceTypes: types, used: {} }],
    settings: DEFAULT_SETTINGS,
  }).newNodes;
}

/** What right-sizing alone makes of the solve's planned nodes: their types. */
const rightSized = (podList: readonly Pod[]) =>
  rightSize(solved(podList))
    .map((c) => plannedNode(c).instanceType)
    .sort();

describe('repack', () => {
  it('moves the pods of several planned nodes onto the types the cheapest cover buys', () => {
    expect(rightSized(mixed())).toEqual(['m-8', 'm-8', 'm-8', 'r-2', 'r-2']);
    const result = planChecked(snapshot({ pods: mixed(), instanceTypes: TYPES }));
    expect(typesOf(result)).toEqual(['c-8', 'c-8', 'c-8', 'r-2', 'r-2']);
    for (const n of result.newNodes.filter((n) => n.instanceType === 'r-2')) {
      expect(n.pods.every((p) => p.startsWith('default/cache-'))).toBe(true);
    }
    expect(result.hourlyCost.after).toBeCloseTo(1.4, 6);
  });

  it('leaves alone planned nodes whose pods use host ports', () => {
    const ported = mixed().map((p, i) => ({ ...p, hostPorts: [{ port: 8000 + i, protocol: 'TCP', hostIP: '' }] }));
    const result = planChecked(snapshot({ pods: ported, instanceTypes: TYPES }));
    expect(typesOf(result)).toEqual(rightSized(ported));
  });

  it('leaves alone planned nodes whose pods spread by hostname', () => {
    const spread: TopologySpreadConstraint = {
      maxSkew: 16,
      topologyKey: LABEL_HOSTNAME,
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { app: 'web' } },
    };
    const spreading = mixed({ topologySpreadConstraints: [spread] });
    const result = planChecked(snapshot({ pods: spreading, instanceTypes: TYPES }));
    expect(typesOf(result)).toEqual(rightSized(spreading));
  });

  it('keeps each pod in the zone the solve gave it when pods spread over zones', () => {
    const spread = (app: string): TopologySpreadConstraint[] => [
      {
        maxSkew: 1,
        topologyKey: LABEL_ZONE,
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { app } },
      },
    ];
    const spreading = [0, 1, 2].flatMap((copy) =>
      mixed().map((p) => {
        const app = p.labels.app as string;
        return {
          ...p,
          name: `${p.name}-${copy}`,
          uid: `${p.uid}-${copy}`,
          topologySpreadConstraints: spread(app),
        };
      }),
    );
    const claims = rightSize(solved(spreading));
    const zoneOf = (list: readonly NodeClaim[]) =>
      new Map(list.flatMap((c) => c.pods.map((v) => [v.pod.uid, c.requirements.get(LABEL_ZONE)?.canonical()])));
    const before = zoneOf(claims);
    const after = repack(claims, spreading);
    expect(after.some((c) => !claims.includes(c))).toBe(true);
    expect(zoneOf(after)).toEqual(before);
    const result = planChecked(snapshot({ pods: spreading, instanceTypes: TYPES }));
    for (const app of ['web', 'cache', 'db']) {
      const perZone = ZONES.map(
        (z) =>
          result.newNodes.filter((n) => n.zone === z).flatMap((n) => n.pods.filter((p) => p.includes(`/${app}-`)))
            .length,
      );
      expect(Math.max(...perZone) - Math.min(...perZone)).toBeLessThanOrEqual(1);
    }
  });

  it('does not take the pool past its node limit', () => {
    const pool = nodePool('default', { limits: { nodes: 1 } });
    const result = planChecked(snapshot({ pods: mixed(), nodePools: [pool], instanceTypes: TYPES }));
    expect(typesOf(result)).toEqual(['x-64']);
  });

  it('groups pods whose requirement every type meets with plain pods, and pods pinned to a zone apart', () => {
    const anyArch = {
      requiredNodeAffinity: [
        { matchExpressions: [{ key: LABEL_ARCH, operator: 'In' as const, values: ['amd64', 'arm64'] }] },
      ],
    };
    // Sizes chosen so that each kind fills planned nodes of its own: zoned, then plain, then any-arch.
    const podList = [
      ...pods(4, { name: 'zoned', cpu: '2', memory: '8Gi', nodeSelector: { [LABEL_ZONE]: ZONES[0] } }),
      ...pods(8, { name: 'plain', cpu: '1', memory: '1Gi' }),
      ...pods(8, { name: 'any-arch', cpu: '250m', memory: '4Gi', ...anyArch }),
    ];
    const claims = rightSize(solved(podList, [COMPUTE, MEMORY, BALANCED]));
    const kinds = (list: readonly NodeClaim[]) => [
      ...new Set(list.flatMap((c) => c.pods.map((v) => v.pod.name.split('-')[0]))),
    ];
    expect(claims.map((c) => kinds([c]))).toEqual([['zoned'], ['plain'], ['any']]);
    expect(repackGroups(claims, podList).map((g) => kinds(g.claims).sort())).toEqual([['zoned'], ['any', 'plain']]);
  });

  it('plans the same nodes for the same input', () => {
    const snap = snapshot({
      pods: [...mixed(), ...pods(30, { name: 'w', cpu: '500m', memory: '2Gi' })],
      instanceTypes: TYPES,
    });
    expect(JSON.stringify(plan(snap))).toEqual(JSON.stringify(plan(snap)));
  });
});

// Random workloads on types priced unevenly per resource, so re-packing has something to gain.
const UNEVEN = [
  ...TYPES,
  instanceType('c-2', { cpu: '2', memory: '2Gi', price: 0.09, pods: 16 }),
  instanceType('r-8', { cpu: '8', memory: '128Gi', price: 1.5 }),
  instanceType('m-2', { cpu: '2', memory: '8Gi', price: 0.12, arch: 'arm64' }),
];
const KINDS = ['plain', 'zone-spread', 'host-anti', 'zone-selector', 'host-port', 'any-arch', 'arm'] as const;

interface PodShape {
  cpu: string;
  memory: string;
  app: number;
  kind: (typeof KINDS)[number];
  zone: number;
}

const shape = fc.record<PodShape>({
  cpu: fc.constantFrom('100m', '250m', '500m', '1', '2'),
  memory: fc.constantFrom('256Mi', '1Gi', '2Gi', '4Gi', '8Gi'),
  app: fc.integer({ min: 0, max: 3 }),
  kind: fc.constantFrom(...KINDS),
  zone: fc.integer({ min: 0, max: 2 }),
});

function toPod(s: PodShape, i: number): Pod {
  const labels = { app: `a${s.app}` };
  const selector = { matchLabels: labels };
  return pod({
    name: `p-${i}`,
    cpu: s.cpu,
    memory: s.memory,
    labels,
    topologySpreadConstraints:
      s.kind === 'zone-spread'
        ? [{ maxSkew: 1, topologyKey: LABEL_ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector }]
        : [],
    podAntiAffinity: s.kind === 'host-anti' ? [{ topologyKey: LABEL_HOSTNAME, labelSelector: selector }] : [],
    nodeSelector:
      s.kind === 'zone-selector'
        ? { [LABEL_ZONE]: ZONES[s.zone] as string }
        : s.kind === 'arm'
          ? { [LABEL_ARCH]: 'arm64' }
          : {},
    requiredNodeAffinity:
      s.kind === 'any-arch'
        ? [{ matchExpressions: [{ key: LABEL_ARCH, operator: 'In', values: ['amd64', 'arm64'] }] }]
        : [],
    hostPorts: s.kind === 'host-port' ? [{ port: 9000 + s.app, protocol: 'TCP', hostIP: '' }] : [],
  });
}

describe('repack properties', () => {
  it('never breaks an invariant, whatever the workload', () => {
    fc.assert(
      fc.property(fc.array(shape, { minLength: 1, maxLength: 80 }), (shapes) => {
        planChecked(snapshot({ pods: shapes.map(toPod), instanceTypes: UNEVEN }));
      }),
      { numRuns: 150 },
    );
  });

  it('keeps every pod in its pool, zone and capacity type, on a node whose options hold its pods and suit them', () => {
    fc.assert(
      fc.property(fc.array(shape, { minLength: 2, maxLength: 80 }), (shapes) => {
        const podList = shapes.map(toPod);
        const claims = rightSize(solved(podList, UNEVEN));
        const after = repack(claims, podList);
        const where = (list: readonly NodeClaim[]) =>
          new Map(
            list.flatMap((c) =>
              c.pods.map((v) => [
                v.pod.uid,
                [
                  c.template.pool.name,
                  c.requirements.get(LABEL_ZONE)?.canonical(),
                  c.requirements.get(LABEL_CAPACITY_TYPE)?.canonical(),
                ].join('|'),
              ]),
            ),
          );
        expect(where(after)).toEqual(where(claims));
        for (const c of after) {
          expect(c.options.length).toBeGreaterThan(0);
          for (const t of c.options) expect(fitsSum({}, c.requests, c.template.room(t))).toBe(true);
          for (const v of c.pods) expect(c.requirements.compatible(v.requirements, ALLOW_WELL_KNOWN)).toBe(true);
          if (!claims.includes(c)) {
            // Only pods that care for no host move.
            for (const v of c.pods) {
              expect(v.pod.hostPorts).toEqual([]);
              expect(v.pod.podAntiAffinity).toEqual([]);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
