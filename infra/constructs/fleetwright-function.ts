// The one NodejsFunction wrapper that holds fleetwright's runtime and bundling defaults (research/toolchain.md §2-3,
// DESIGN §7): the newest Node.js runtime (cdk-nag AwsSolutions-L1 asks for it), arm64 (20% cheaper per GB-s),
// one ESM file with the AWS SDK bundled (the version the tests ran ships, and a single file loads faster than the
// runtime's SDK), minified with source maps, JSON logs into a log group with a retention.

import { existsSync } from 'node:fs';
import { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeGuard, acknowledgeNag, managedPolicyFinding } from '../compliance.js';
import { ControllerLogGroup } from './controller-log-group.js';
import { FleetwrightPropsError, validateMemorySize } from './validate-props.js';

/** Where the functions run when they must reach a private cluster endpoint. */
export interface FunctionPlacement {
  readonly vpc: ec2.IVpc;
  readonly subnets: readonly ec2.ISubnet[];
  readonly securityGroups: readonly ec2.ISecurityGroup[];
}

/** What the stack chooses for each of the two functions; the constructs add entry, description and timeout. */
export interface ControllerFunctionProps {
  /** @default - the handler file of this repository */
  readonly entry?: string;
  /** The execution role; the function's log group is granted to it. */
  readonly role: iam.IRole;
  /**
   * @default 512 - enough for ~5 000 pods parsed into compact core types (DESIGN §2); 1024 above that.
   */
  readonly memorySize?: number;
  /** @default - no variables besides NODE_OPTIONS */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * @default logs.RetentionDays.ONE_YEAR - a year of decisions to explain any node's history (Control Tower's
   * minimum); storage is $0.03/GB-month, cents for a controller's logs
   */
  readonly logRetention?: logs.RetentionDays;
  /** @default - outside any VPC: the function reaches public AWS and cluster endpoints directly */
  readonly placement?: FunctionPlacement;
}

export interface FleetwrightFunctionProps extends ControllerFunctionProps {
  /** The TypeScript file exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly timeout: Duration;
}

/**
 * `import` in ESM output cannot load the CommonJS parts of dependencies that call `require` (the SDK's, undici's);
 * a module-scope `require` made by createRequire lets them. Aliased so it cannot clash with a bundled name.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __fleetwrightCreateRequire } from 'node:module'; const require = __fleetwrightCreateRequire(import.meta.url);";

export class FleetwrightFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: FleetwrightFunctionProps) {
    super(scope, id);
    const memorySize = props.memorySize ?? 512;
    validateMemorySize(this, memorySize);
    if (!existsSync(props.entry)) {
      throw new FleetwrightPropsError(this, `the handler ${props.entry} does not exist: it must export \`handler\``);
    }

    // An explicit log group (instead of Lambda's implicit one): the role gets write access to exactly this group
    // rather than the AWS managed AWSLambdaBasicExecutionRole.
    this.logGroup = new ControllerLogGroup(this, 'Logs', { retention: props.logRetention }).logGroup;
    this.logGroup.grantWrite(props.role);

    this.function = new NodejsFunction(this, 'Resource', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize,
      timeout: props.timeout,
      role: props.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment: { ...props.environment },
      ...(props.placement && {
        vpc: props.placement.vpc,
        vpcSubnets: { subnets: [...props.placement.subnets] },
        securityGroups: [...props.placement.securityGroups],
      }),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        bundleAwsSDK: true,
        externalModules: [],
        // Whitespace and syntax are minified but identifiers are kept, and no source map is shipped: a map (even
        // without sources) doubled the zip past the 1 MB budget of DESIGN.md §9, while readable names keep stack
        // traces useful. test/infra/synth.test.ts measures the zip.
        minify: false,
        keepNames: true,
        sourceMap: false,
        esbuildArgs: { '--minify-whitespace': true, '--minify-syntax': true },
        logLevel: LogLevel.WARNING,
      },
    });

    if (props.placement) {
      grantVpcAccess(props.role);
    } else {
      acknowledgeGuard(
        this,
        'lambda_inside_vpc_check',
        'The function talks only to public AWS endpoints and the EKS API endpoint; VPC placement is a stack prop (vpcId, subnetIds, securityGroupIds) for clusters with a private endpoint',
      );
    }
  }
}

/** Roles already given VPC access: two functions sharing a role must not attach the same managed policy twice. */
const rolesWithVpcAccess = new WeakSet<iam.IRole>();

/**
 * Lambda creates the function's ENIs in the VPC with the execution role's permissions: the AWS managed
 * AWSLambdaVPCAccessExecutionRole (ec2:CreateNetworkInterface and friends, on "*": ENI ids do not exist before the
 * call). NodejsFunction adds it only to roles it creates itself, so it is added here to the role we pass.
 */
function grantVpcAccess(role: iam.IRole): void {
  if (rolesWithVpcAccess.has(role)) return;
  rolesWithVpcAccess.add(role);
  role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'));
  acknowledgeNag(
    role,
    'IAM4',
    'AWSLambdaVPCAccessExecutionRole is what Lambda needs to attach the function to the VPC the deployer chose; ENI ids do not exist before the call, so its actions cannot be scoped further',
    managedPolicyFinding('service-role/AWSLambdaVPCAccessExecutionRole'),
  );
}

/** Timeouts of DESIGN §2, named where they are decided. */
export const TIMEOUTS = {
  /** One watch run lasts ~75 s; the next invocation starts at 60 s and takes the Lease over at the hand-over. */
  reconcile: Duration.seconds(90),
  /** Tainting a node and starting its eviction takes a few API calls; it never waits for reconcile. */
  interruption: Duration.seconds(15),
} as const;
