// `fleetwright status --cluster <name>` (DESIGN.md §5 "Other commands"): per pool, the nodes by type, zone and
// capacity type, usage against limits, the disruption budget left, launches in flight, instances that never
// registered, blocked nodes and $/h; then pending pods with the reason each waits, the controller's last
// decisions, the Lease and whether the config in force is the latest. Read live with the caller's credentials.

import { parseArgs } from 'node:util';
import { plan } from '../../core/plan/build-plan.js';
import { buildStatus, type StatusReport } from '../../core/status/status.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { type LiveCluster, LiveSession, readForCommand } from '../live/live-cluster.js';
import { renderStatusJson, renderStatusTable } from '../status/render.js';
import { resolveTarget } from './config/target.js';

export const STATUS_USAGE = `usage: fleetwright status --cluster <name> [--prefix <p>] [--output table|json] [--watch [--interval <s>]]

Shows what fleetwright manages in a live cluster, read with your own AWS credentials and EKS access: the config
from SSM (<prefix>, default /fleetwright/<cluster>/), the cluster's nodes, pods, Events and Lease through EKS,
and fleetwright's instances from EC2 (by the cluster tag). Per NodePool: nodes by type, zone and capacity type,
usage against spec.limits, disruption budget left per reason, launches in flight, instances that never
registered, blocked nodes and $/h. Then pending pods and why each waits, the last decisions, the Lease holder,
and whether the config in force is the latest version or a last-known-good fallback.

  --cluster <name>    the EKS cluster
  --prefix <p>        where the config lives in SSM, if not /fleetwright/<cluster>/
  -o, --output        table (default on a terminal) or json
  --watch             refresh in place every --interval seconds (default 5) until interrupted
  -h, --help          show this help

Region, credentials and endpoints come from the AWS SDK's standard chain (AWS_REGION, AWS_PROFILE,
AWS_ENDPOINT_URL…). The caller needs eks:DescribeCluster, ssm:GetParametersByPath, ssm:GetParameterHistory,
ssm:GetParameter (public AMI parameters), ec2:Describe* and, in the cluster, list on nodes, pods, daemonsets,
poddisruptionbudgets and events, and get on the Lease (docs/deploy.md "Day-2 commands"). Events or a Lease that
cannot be read are reported as unknown, with a warning.

Exit status: 0 shown, 2 usage error, 3 an AWS or Kubernetes call failed.
`;

const OPTIONS = {
  cluster: { type: 'string' },
  prefix: { type: 'string' },
  output: { type: 'string', short: 'o' },
  watch: { type: 'boolean' },
  interval: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function statusCommand(argv: readonly string[], io: Io): Promise<number> {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError([`fleetwright status: ${(error as Error).message}`, STATUS_USAGE.trimEnd()]);
  }
  if (values.help) {
    io.stdout.write(STATUS_USAGE);
    return EXIT.ok;
  }
  const target = resolveTarget('status', values.cluster, values.prefix);
  const output = values.output ?? (io.stdout.isTTY ? 'table' : 'json');
  if (output !== 'table' && output !== 'json') {
    throw new UsageError([
      `fleetwright status: --output: "${output}" is not an output format (expected table or json)`,
    ]);
  }
  const intervalS = values.interval === undefined ? 5 : Number(values.interval);
  if (!Number.isFinite(intervalS) || intervalS < 1) {
    throw new UsageError([`fleetwright status: --interval: "${values.interval}" is not a number of seconds >= 1`]);
  }
  if (values.interval !== undefined && !values.watch) {
    throw new UsageError(['fleetwright status: --interval needs --watch (it is how often the report refreshes)']);
  }
  const render = (live: LiveCluster, report: StatusReport) =>
    output === 'json' ? renderStatusJson(report, live.target.cluster) : renderStatusTable(report, live.target.cluster);
  const session = new LiveSession(target);
  try {
    if (!values.watch) {
      const result = await readStatus(session, io);
      if (!result) return EXIT.remoteFailure;
      io.stdout.write(render(result.live, result.report));
      return EXIT.ok;
    }
    // --watch: redraw in place on a terminal (clear screen, cursor home), one document per refresh otherwise.
    // One session throughout, so types, offerings and images come from its caches after the first refresh.
    for (;;) {
      const result = await readStatus(session, io);
      if (result) {
        const page = render(result.live, result.report);
        io.stdout.write(io.stdout.isTTY ? `\x1b[H\x1b[2J${page}` : page);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalS * 1000));
    }
  } finally {
    session.close();
  }
}

async function readStatus(
  session: LiveSession,
  io: Io,
): Promise<{ live: LiveCluster; report: StatusReport } | undefined> {
  const { target } = session;
  const live = await readForCommand('status', io, () => session.read());
  if (!live) return undefined;
  const { snapshot } = live.world;
  const report = buildStatus({
    snapshot,
    plan: plan(snapshot),
    pods: live.state.pods,
    instances: live.instances,
    registered: new Set(live.state.nodes.flatMap((n) => (n.providerID ? [n.providerID] : []))),
    events: live.events,
    lease: live.lease,
    config: {
      prefix: target.prefix,
      documents: live.loaded.documents.map((d) => ({
        kind: d.kind,
        name: d.name,
        version: d.version,
        ...(d.fallbackFrom === undefined ? {} : { fallbackFrom: d.fallbackFrom }),
      })),
      invalid: live.loaded.invalid.map((d) => ({
        parameter: d.parameter,
        errors: d.errors,
        ...(d.fallbackVersion === undefined ? {} : { fallbackVersion: d.fallbackVersion }),
      })),
    },
  });
  return { live, report };
}
