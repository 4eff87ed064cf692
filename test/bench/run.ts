// `npm run bench [-- <filter>...] [--quick]`: Karpenter's scheduling benchmark and the packing-quality
// benchmark (DESIGN.md §9). They print figures and assert nothing about time: the exit code is 1 only when a
// solve throws (2 when no suite matches the filter). A filter runs only the suites whose name contains it
// (`karpenter`, `packing`, `ttc`); `--quick` skips the 10 000- and 20 000-pod sizes and shortens the ttc burst. Progress goes to stderr, tables
// to stdout. For a CPU profile of one case, see profile.ts.

import { cpus, loadavg } from 'node:os';
import { runKarpenterBenchmark } from './karpenter-benchmark.js';
import { runPackingQuality } from './packing-quality.js';
import { runTimeToCapacity } from './time-to-capacity.js';

interface Suite {
  readonly name: string;
  readonly run: (quick: boolean, progress: (line: string) => void) => string | Promise<string>;
}

const SUITES: readonly Suite[] = [
  { name: 'karpenter', run: runKarpenterBenchmark },
  { name: 'packing', run: runPackingQuality },
  { name: 'ttc', run: runTimeToCapacity },
];

async function main(argv: readonly string[]): Promise<number> {
  const quick = argv.includes('--quick');
  const filters = argv.filter((a) => !a.startsWith('--'));
  const chosen = SUITES.filter((s) => filters.length === 0 || filters.some((f) => s.name.includes(f)));
  if (chosen.length === 0) {
    process.stderr.write(
      `no benchmark matches ${filters.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}\n`,
    );
    return 2;
  }
  process.stdout.write(`${machine()}${quick ? ', --quick' : ''}\n\n`);
  let failed = false;
  for (const suite of chosen) {
    process.stderr.write(`${suite.name}…\n`);
    const started = performance.now();
    try {
      const report = await suite.run(quick, (line) => process.stderr.write(`${line}\n`));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`${report}\n(${suite.name}: ${seconds} s; load now ${loadavg()[0]?.toFixed(2)})\n\n`);
    } catch (error) {
      failed = true;
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`${suite.name} failed: ${detail}\n`);
    }
  }
  return failed ? 1 : 0;
}

/** What the figures were measured on; the load average says whether something else competed for the CPUs. */
function machine(): string {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const cpu = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}`;
  return `node ${process.version} ${process.arch}, ${cpu}, load ${load}`;
}

process.exitCode = await main(process.argv.slice(2));
