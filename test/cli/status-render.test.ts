import { describe, expect, it } from 'vitest';
import { renderStatusJson, renderStatusTable } from '../../shared/cli/status/render.js';
import { plan } from '../../shared/core/plan/build-plan.js';
import { buildStatus } from '../../shared/core/status/status.js';
import { instanceType, pod, snapshot } from '../fixtures/builders.js';

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
