import { describe, expect, it } from 'vitest';
import { renderStatusJson, renderStatusTable } from '../../shared/cli/status/render.js';
import { TAINT_DISRUPTED } from '../../shared/core/labels.js';
import { plan } from '../../shared/core/plan/build-plan.js';
import { buildStatus } from '../../shared/core/status/status.js';
import { node as buildNode, instanceType, nodePool, pod, snapshot } from '../fixtures/builders.js';

function managedNode(name: string) {
  return buildNode(name, { pool: 'default', type: 'fake-it-4', providerID: `aws:///test-zone-a/i-${name}` });
}

function report(pods: number, overrides: { events?: 'unreadable'; lease?: 'unreadable' } = {}) {
  const waiting = Array.from({ length: pods }, (_, i) => pod({ name: `p-${i}`, cpu: '100', unschedulable: true }));
  const snap = snapshot({ instanceTypes: [instanceType('fake-it-4')], pods: waiting });
  return buildStatus({
    snapshot: snap,
    plan: plan(snap),
    pods: waiting,
    instances: [],
    registered: new Set(),
    events: overrides.events ?? [],
    lease: overrides.lease,
    config: { prefix: '/fleetwright/demo/', documents: [], invalid: [] },
  });
}

describe('status page', () => {
  it('lists a drain with the pods it waits for and when terminationGracePeriod forces it', () => {
    const node = {
      ...managedNode('d1'),
      taints: [{ key: TAINT_DISRUPTED, value: 'Underutilized', effect: 'NoSchedule' as const }],
    };
    const pods = [0, 1, 2, 3].map((i) =>
      pod({
        name: `api-${i}`,
        namespace: 'shop',
        cpu: '100m',
        nodeName: 'd1',
        phase: 'Running',
        labels: { app: 'api' },
      }),
    );
    const snap = snapshot({
      instanceTypes: [instanceType('fake-it-4')],
      nodePools: [nodePool('default', { terminationGracePeriodMs: 2 * 3600_000 })],
      nodes: [node],
      managedNodes: new Set(['d1']),
      pods,
      pdbs: [{ namespace: 'shop', name: 'api', selector: { matchLabels: { app: 'api' } }, maxUnavailable: '0' }],
    });
    const page = renderStatusTable(
      buildStatus({
        snapshot: snap,
        plan: plan(snap),
        pods,
        instances: [],
        registered: new Set([node.providerID as string]),
        events: [],
        lease: undefined,
        config: { prefix: '/p/', documents: [], invalid: [] },
      }),
      'demo',
    );
    expect(page).toContain('  draining: d1 (Underutilized): 4 pods to go, forced in 2h\n    - pod shop/api-0: ');
    expect(page).toContain('    - … and 1 more\n');
  });

  it('shows the 25 oldest pending pods and says how many more the JSON has', () => {
    const page = renderStatusTable(report(40), 'demo');
    expect(page).toContain('Pending pods (40):');
    expect(page.match(/^ {2}default\/p-\d+ /gm)).toHaveLength(25);
    expect(page).toContain('… and 15 more, the newest (--output json lists them all)');
    expect(JSON.parse(renderStatusJson(report(40), 'demo')).pending).toHaveLength(40);
  });

  it('says Events and the Lease are unknown when they could not be read', () => {
    const page = renderStatusTable(report(0, { events: 'unreadable', lease: 'unreadable' }), 'demo');
    expect(page).toContain('unknown: the Events could not be read (see the warning)');
    expect(page).toContain('Lease: unknown (it could not be read; see the warning)');
    const plain = renderStatusTable(report(0), 'demo');
    expect(plain).toContain('none recorded (no Events from fleetwright.io/controller)');
    expect(plain).toContain('Lease: none (the controller has not run against this cluster)');
  });
});
