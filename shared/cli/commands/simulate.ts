// `fleetwright simulate [scenario.yaml] [--report <path>] [--quiet]` (DESIGN.md §6): runs a scenario — the
// embedded default without an argument, which is what `npm start` does — through the real reconcile and
// interruption handlers against a simulated cluster and EC2 on virtual time; prints live progress and a summary,
// and writes a self-contained HTML report. A scenario that cannot be used is reported line by line (exit 2).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { renderReport } from '../../sim/report/html.js';
import { Progress } from '../../sim/report/progress.js';
import { renderSummary, summarize } from '../../sim/report/summary.js';
import { runScenario, type SimulationRun } from '../../sim/runner/run.js';
import { followRealTime, operatorAuthenticator, serveCluster } from '../../sim/runner/serve.js';
import { SIM_CLUSTER } from '../../sim/runner/world.js';
import { DEFAULT_SCENARIO, loadScenario, ScenarioError } from '../../sim/scenario/load.js';
import { EXIT, type Io, UsageError } from '../io.js';

const DEFAULT_REPORT = '.fleetwright/report.html';
const ENV_FILE = '.fleetwright/sim.env';

export const SIMULATE_USAGE = `usage: fleetwright simulate [scenario.yaml] [--report <path>] [--quiet] [--keep-running]

Runs a simulated EKS cluster through fleetwright's real handlers on virtual time (no AWS account needed).
  scenario.yaml    a scenario file (YAML or JSON); default: the embedded one (shared/sim/scenario/default.yaml)
  --report <path>  where the HTML report goes (default .fleetwright/report.html)
  --quiet          no progress lines, only the summary and the report path
  --keep-running   after the scenario, keep the cluster running in real time and serve it as AWS and EKS would
                   (an AWS endpoint for EC2, SSM and EKS; the API server over TLS with IAM tokens), so that
                   \`fleetwright status --cluster ${SIM_CLUSTER.name}\` and \`plan --cluster\` work against it; the
                   variables they need are printed and written to ${ENV_FILE}. Stops on Ctrl-C.
`;

interface SimulateArgs {
  readonly scenario?: string;
  readonly report: string;
  readonly quiet: boolean;
  readonly keepRunning: boolean;
}

function parseArgs(args: readonly string[]): SimulateArgs | 'help' {
  let scenario: string | undefined;
  let report = DEFAULT_REPORT;
  let quiet = false;
  let keepRunning = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--quiet' || arg === '-q') quiet = true;
    else if (arg === '--keep-running') keepRunning = true;
    else if (arg === '--report') {
      const value = args[++i];
      if (!value) throw new UsageError(['fleetwright simulate: --report needs a path', SIMULATE_USAGE]);
      report = value;
    } else if (arg.startsWith('-'))
      throw new UsageError([`fleetwright simulate: unknown option ${arg}`, SIMULATE_USAGE]);
    else if (scenario === undefined) scenario = arg;
    else throw new UsageError([`fleetwright simulate: one scenario at a time (got ${scenario} and ${arg})`]);
  }
  return { ...(scenario === undefined ? {} : { scenario }), report, quiet, keepRunning };
}

export async function simulateCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv);
  if (args === 'help') {
    io.stdout.write(SIMULATE_USAGE);
    return EXIT.ok;
  }
  const cwd = io.cwd ?? process.cwd();
  let scenario: ReturnType<typeof loadScenario>;
  try {
    scenario = args.scenario
      ? loadScenario(resolve(cwd, args.scenario), args.scenario)
      : loadScenario(DEFAULT_SCENARIO, 'default scenario');
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    io.stderr.write(`${error.lines.join('\n')}\n`);
    return EXIT.usage;
  }
  let live = true;
  const progress = new Progress((text) => io.stdout.write(text), io.stdout.isTTY === true, args.quiet);
  if (!args.quiet) {
    io.stdout.write(`fleetwright simulate: ${scenario.name} — ${scenario.description ?? ''}\n`);
    io.stdout.write(`  ${scenario.durationMs / 60_000} min of cluster time; real handlers, simulated EKS and EC2\n\n`);
  }
  let exit: number = EXIT.ok;
  const finish = (run: SimulationRun) => {
    const summary = summarize(run);
    const path = resolve(cwd, args.report);
    mkdirSync(dirname(path), { recursive: true });
    const report = renderReport({
      summary,
      ...(scenario.description ? { description: scenario.description } : {}),
      samples: run.recorder.samples,
      decisions: run.recorder.decisions,
    });
    writeFileSync(path, report);
    io.stdout.write(`\nSummary\n${renderSummary(summary)}\nReport: ${relative(cwd, path) || path}\n`);
    exit = summary.pdbViolations.length === 0 ? EXIT.ok : EXIT.invalidDocuments;
  };
  const hold = async (run: SimulationRun) => {
    finish(run);
    // The simulator's own SDK clients only talk to its loopback endpoint: their Node-version notice is noise here.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    live = false;
    const served = await serveCluster(run);
    const envPath = resolve(cwd, ENV_FILE);
    mkdirSync(dirname(envPath), { recursive: true });
    const exports = Object.entries(served.env).map(([k, v]) => `export ${k}=${v}`);
    writeFileSync(envPath, `${exports.join('\n')}\n`);
    io.stdout.write(
      `\nThe simulated cluster keeps running in real time (Ctrl-C stops it). In another shell:\n` +
        `  source ${relative(cwd, envPath) || envPath}\n` +
        `  npx fleetwright status --cluster ${SIM_CLUSTER.name}\n` +
        `  npx fleetwright plan --cluster ${SIM_CLUSTER.name}\n` +
        `AWS endpoint ${served.aws.url}; Kubernetes API ${served.kubeUrl}; config under ${served.prefix}\n`,
    );
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await followRealTime(run, stop.signal);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await served.close();
      io.stdout.write('Stopped.\n');
    }
  };
  const run = await runScenario(scenario, {
    onSample: (s) => {
      if (live) progress.sample(s);
    },
    onStep: (at, text) => {
      if (live) progress.step(at, text);
    },
    ...(args.keepRunning
      ? { world: { startAt: Date.now() - scenario.durationMs, authenticate: operatorAuthenticator() }, hold }
      : {}),
  });
  if (!args.keepRunning) finish(run);
  return exit;
}
