// One Karpenter-benchmark case, solved once, for a CPU profile of the scheduler without the repetitions of
// `npm run bench`: `node --cpu-prof --import tsx test/bench/profile.ts [pods] [diverse|Respect|Ignore]`.
// Default: the 20 000-pod diverse case; Respect/Ignore run the preferences case. Prints the solve time and node count.

import { plan } from '../../shared/core/plan/build-plan.js';
import { benchmarkSnapshot, diversePods, PREFERENCE_PODS, preferencePods } from './karpenter-benchmark.js';

const [size = '20000', kind = 'diverse'] = process.argv.slice(2);
const pods = Number(size);
const snap =
  kind === 'diverse'
    ? benchmarkSnapshot(diversePods(pods))
    : benchmarkSnapshot(preferencePods(pods || PREFERENCE_PODS), kind === 'Ignore' ? 'Ignore' : 'Respect');
const start = performance.now();
const result = plan(snap);
const ms = performance.now() - start;
const { newNodes, unschedulable } = result;
process.stdout.write(
  `${kind} ${pods}: ${ms.toFixed(0)} ms, ${newNodes.length} nodes, ${unschedulable.length} pending\n`,
);
