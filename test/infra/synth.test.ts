// Whole-app synthesis as `cdk synth` runs it: the cdk-nag AwsSolutions and cfn-guard Control Tower checks report
// nothing that is not acknowledged in code, and each function's deployment package (the real esbuild bundle)
// zips to under 1 MB (DESIGN §9).
//
// Zip size: each file of the asset directory deflated with node:zlib at level 9 (what the CDK CLI's archiver
// uses), plus the ZIP framing (local header 30 B, data descriptor 16 B, central directory entry 46 B, each plus the
// file name; 22 B end record). That is the size of the archive CDK uploads, to within a few bytes.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { addComplianceChecks } from '../../infra/compliance.js';
import { DEFAULT_INTERRUPTION_ENTRY } from '../../infra/constructs/interruption-function.js';
import { DEFAULT_RECONCILE_ENTRY } from '../../infra/constructs/reconcile-function.js';
import type { FleetwrightStackProps } from '../../infra/stacks/fleetwright-stack.js';
import { buildStack, FULL_OPTIONS, testApp } from './support.js';

interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly paths: readonly string[];
}

interface ReportJson {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs: { constructPath?: string }[] }[];
    suppressedViolations?: { ruleName: string }[];
  }[];
}

/** Synthesizes the app with the compliance checks and returns the validation report CDK writes. */
function validationReport(props: Partial<FleetwrightStackProps>, extend?: (stack: Stack) => void): ReportJson {
  const app = testApp();
  addComplianceChecks(app);
  const stack = buildStack(props, app);
  extend?.(stack);
  try {
    app.synth();
  } catch (error) {
    // Under vitest the app runs "in memory" and throws on a failed report; the report file is still written.
    if (!String(error).includes('ValidationFailed')) throw error;
  }
  const reportFile = join(app.outdir, 'validation-report.json');
  expect(existsSync(reportFile), 'the validation plugins ran and wrote their report').toBe(true);
  return JSON.parse(readFileSync(reportFile, 'utf8')) as ReportJson;
}

function findings(report: ReportJson): Finding[] {
  return report.pluginReports.flatMap((p) =>
    p.violations.map((v) => ({
      plugin: p.pluginName,
      rule: v.ruleName,
      paths: v.violatingConstructs.map((c) => c.constructPath ?? '?'),
    })),
  );
}

describe('compliance checks', () => {
  // Each synthesis with the checks takes 2-3 s (cfn-guard runs ~700 rules): the defaults' report is shared.
  let defaults: ReportJson | undefined;
  const defaultsReport = () => {
    defaults ??= validationReport({});
    return defaults;
  };

  it('report nothing unacknowledged with the defaults', () => {
    expect(findings(defaultsReport())).toEqual([]);
  });

  it('report nothing unacknowledged with every option on (VPC, e-mail, spot role, in-cluster role, extra node roles)', () => {
    expect(findings(validationReport(FULL_OPTIONS))).toEqual([]);
  });

  it('acknowledge exactly the Control Tower rules justified in code', () => {
    const guard = defaultsReport().pluginReports.find((p) => p.pluginName === 'cdk-validator-cfnguard');
    const acknowledged = [...new Set(guard?.suppressedViolations?.map((v) => v.ruleName))].sort();
    expect(acknowledged).toEqual([
      'cloudwatch_alarm_action_check',
      'cloudwatch_log_group_encrypted_check',
      'lambda_inside_vpc_check',
      'sqs_dlq_check',
    ]);
  });

  it('do catch a non-compliant resource (so a clean report means the checks ran)', () => {
    const report = validationReport({}, (stack) => {
      new sqs.Queue(stack, 'Careless', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    });
    const rules = findings(report)
      .filter((f) => f.paths.some((p) => p.includes('/Careless/')))
      .map((f) => `${f.plugin}:${f.rule}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'AwsSolutions:AwsSolutions-SQS3',
        'AwsSolutions:AwsSolutions-SQS4',
        'cdk-validator-cfnguard:sqs_dlq_check',
      ]),
    );
  });
});

const ONE_MB = 1024 * 1024;

/** Size of the zip CDK makes of an asset directory (see the file header). */
function zippedSize(dir: string): number {
  let size = 22;
  for (const name of readdirSync(dir)) {
    const data = readFileSync(join(dir, name));
    size += deflateRawSync(data, { level: 9 }).length + 30 + 16 + 46 + 2 * Buffer.byteLength(name);
  }
  return size;
}

/** The asset directory of a function's code in the app's output: `asset.<hash>` where the S3 key is `<hash>.zip`. */
function assetDir(outdir: string, fn: lambda.Function): string {
  const code = (fn.node.defaultChild as lambda.CfnFunction).code as lambda.CfnFunction.CodeProperty;
  const key = Stack.of(fn).resolve(code.s3Key) as string;
  return join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
}

function expectLambdaBundle(dir: string): void {
  const source = readFileSync(join(dir, 'index.mjs'), 'utf8');
  // Booleans, not string matchers: a failing match would print the whole minified bundle.
  const banner = "import { createRequire as __fleetwrightCreateRequire } from 'node:module';";
  expect(source.startsWith(banner), 'ESM output starting with the createRequire banner').toBe(true);
  expect(/from\s*["']@aws-sdk\//.test(source), 'no import of @aws-sdk left: the SDK is bundled').toBe(false);
  expect(/export\s*\{[^}]*\bhandler\b[^}]*\}/.test(source), 'exports handler').toBe(true);
  // No map is shipped (it doubled the zip past 1 MB); identifiers are kept readable instead.
  expect(existsSync(join(dir, 'index.mjs.map')), 'ships no source map').toBe(false);
}

describe('deployment packages', () => {
  it('bundles the cluster-access provider with the SDK into a zip under 1 MB', () => {
    const app = testApp({ bundle: true });
    const stack = buildStack({}, app);
    app.synth();
    const dir = assetDir(app.outdir, stack.clusterAccess.providerFunction);
    expectLambdaBundle(dir);
    expect(readFileSync(join(dir, 'index.mjs'), 'utf8').includes('"@aws-sdk/client-eks"'), 'EKS client inside').toBe(
      true,
    );
    expect(zippedSize(dir)).toBeLessThan(ONE_MB);
  });

  const handlers = [DEFAULT_RECONCILE_ENTRY, DEFAULT_INTERRUPTION_ENTRY];
  it.skipIf(!handlers.every((entry) => existsSync(entry)))(
    'bundles reconcile and interruption into zips under 1 MB (skipped while a handler file is missing)',
    () => {
      const app = testApp({ bundle: true });
      const stack = buildStack({ reconcileEntry: undefined, interruptionEntry: undefined }, app);
      app.synth();
      for (const fn of [stack.reconcile.function, stack.interruption.function]) {
        const dir = assetDir(app.outdir, fn);
        expectLambdaBundle(dir);
        expect(zippedSize(dir), `${fn.node.path}: zipped deployment package`).toBeLessThan(ONE_MB);
      }
    },
    60_000,
  );
});
