// The fleetwright stack, one assertion per resource property and per security property (DESIGN §7), on the
// synthesized template. Three configurations are synthesized once each: defaults, everything optional switched on,
// and IRSA instead of Pod Identity.

import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { INTERRUPTION_EVENT_PATTERNS } from '../../infra/constructs/interruption-queue.js';
import {
  actionsOf,
  allAllowStatements,
  buildStack,
  controllerStatement,
  FULL_OPTIONS,
  flat,
  resource,
  template,
} from './support.js';

const t = template();
const full = template(FULL_OPTIONS);
const irsa = template({
  inClusterServiceAccount: 'fleetwright/controller',
  inClusterOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123',
});

const ref = (id: string) => ({ Ref: id });
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const ec2Arn = (type: string) => `arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:${type}/*`;

describe('functions', () => {
  const reconcile = resource(t, 'AWS::Lambda::Function', 'ReconcileFunction');
  const interruption = resource(t, 'AWS::Lambda::Function', 'InterruptionFunction');
  const provider = resource(t, 'AWS::Lambda::Function', 'ClusterAccessProviderFunction');

  it('run on the newest Node.js runtime, arm64, for all three of our functions', () => {
    for (const fn of [reconcile, interruption, provider]) {
      expect(fn.props).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler' });
    }
  });

  it('give reconcile 90 s and 512 MB, interruption 15 s', () => {
    expect(reconcile.props).toMatchObject({ Timeout: 90, MemorySize: 512 });
    expect(interruption.props).toMatchObject({ Timeout: 15, MemorySize: 512 });
  });

  it('log JSON into their own log group, kept for a year', () => {
    for (const fn of [reconcile, interruption, provider]) {
      expect(fn.props.LoggingConfig).toMatchObject({ LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } });
      const logGroupId = (fn.props.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(t.toJSON().Resources[logGroupId].Properties).toEqual({ RetentionInDays: 365 });
    }
  });

  it('read the cluster, prefix, mode and node roles from their environment', () => {
    const variables = (reconcile.props.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables).toMatchObject({
      FLEETWRIGHT_CLUSTER_NAME: 'demo',
      FLEETWRIGHT_CONFIG_PREFIX: '/fleetwright/demo/',
      FLEETWRIGHT_RESPONSIVENESS: 'watch',
      FLEETWRIGHT_NODE_ROLE_NAME: ref(resource(t, 'AWS::IAM::Role', 'NodeRole').id),
      POWERTOOLS_METRICS_NAMESPACE: 'Fleetwright',
      POWERTOOLS_SERVICE_NAME: 'fleetwright-reconcile',
    });
  });

  it('take responsiveness, memory and the extra node roles from the props', () => {
    const fn = resource(full, 'AWS::Lambda::Function', 'ReconcileFunction');
    const variables = (fn.props.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(fn.props.MemorySize).toBe(1024);
    expect(variables.FLEETWRIGHT_RESPONSIVENESS).toBe('economy');
    expect(flat(variables.FLEETWRIGHT_NODE_ROLE_NAMES)).toMatch(/^<NodeRole\w+>,gpu-nodes$/);
  });

  it('start reconcile every minute, without Lambda retrying a failed run', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({
          Arn: arnOf(reconcile.id),
          RetryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 2 },
        }),
      ],
    });
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(reconcile.id),
      MaximumRetryAttempts: 0,
    });
  });

  it('feed interruption from the queue in batches of 10 with partial batch responses', () => {
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: ref(interruption.id),
      EventSourceArn: arnOf(resource(t, 'AWS::SQS::Queue', 'InterruptionQueue4').id),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('run outside any VPC by default and in the given subnets and security groups when asked', () => {
    expect(reconcile.props.VpcConfig).toBeUndefined();
    for (const prefix of [
      'ReconcileFunction',
      'InterruptionFunction',
      'ClusterAccessProviderFunction',
      'ClusterAccessProviderframework',
    ]) {
      expect(resource(full, 'AWS::Lambda::Function', prefix).props.VpcConfig).toEqual({
        SubnetIds: FULL_OPTIONS.subnetIds,
        SecurityGroupIds: FULL_OPTIONS.securityGroupIds,
      });
    }
  });

  it('give the controller role what Lambda needs for VPC placement only when placed in a VPC', () => {
    const vpcPolicy = /AWSLambdaVPCAccessExecutionRole$/;
    const managed = (tt: typeof t) =>
      ((resource(tt, 'AWS::IAM::Role', 'ControllerRole').props.ManagedPolicyArns as unknown[]) ?? []).map(flat);
    expect(managed(t)).toEqual([]);
    expect(managed(full)).toEqual([expect.stringMatching(vpcPolicy)]);
  });
});

describe('interruption queue', () => {
  const queue = resource(t, 'AWS::SQS::Queue', 'InterruptionQueue4');
  const dlq = resource(t, 'AWS::SQS::Queue', 'InterruptionQueueDeadLetterQueue');

  it('is encrypted with SSE-SQS, keeps messages 300 s and hides a received one for 90 s', () => {
    expect(queue.props).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 300,
      VisibilityTimeout: 90,
    });
    expect(queue.props.KmsMasterKeyId).toBeUndefined();
  });

  it('moves a message to the dead-letter queue after 3 receives', () => {
    expect(queue.props.RedrivePolicy).toEqual({ deadLetterTargetArn: arnOf(dlq.id), maxReceiveCount: 3 });
  });

  it('has an encrypted dead-letter queue', () => {
    expect(dlq.props.SqsManagedSseEnabled).toBe(true);
  });

  it.each([
    ['queue', 'InterruptionQueue4'],
    ['dead-letter queue', 'InterruptionQueueDeadLetterQueue'],
  ])('denies every request to the %s that is not over TLS', (_name, prefix) => {
    const target = resource(t, 'AWS::SQS::Queue', prefix).id;
    t.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(target)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'sqs:*',
            Resource: arnOf(target),
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ]),
      },
    });
  });

  it('accepts messages from EventBridge only for our five rules', () => {
    const policy = resource(t, 'AWS::SQS::QueuePolicy', 'InterruptionQueuePolicy');
    const allows = (policy.props.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement.filter(
      (s) => s.Effect === 'Allow',
    );
    expect(allows).toHaveLength(5);
    for (const statement of allows) {
      expect(statement).toMatchObject({
        Principal: { Service: 'events.amazonaws.com' },
        Action: expect.arrayContaining(['sqs:SendMessage']),
        Condition: {
          ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^InterruptionQueue\w+Rule/), 'Arn'] } },
        },
      });
    }
  });

  it.each(Object.entries(INTERRUPTION_EVENT_PATTERNS))('has the %s rule targeting the queue', (ruleId, pattern) => {
    const rule = resource(t, 'AWS::Events::Rule', `InterruptionQueue${ruleId}`);
    expect(rule.props.EventPattern).toMatchObject({ source: pattern.source, 'detail-type': pattern.detailType });
    expect(rule.props.Targets).toEqual([expect.objectContaining({ Arn: arnOf(queue.id) })]);
  });

  it('has exactly the five rules of research/aws-provider.md §d.1, on the default bus', () => {
    const rules = Object.values(t.findResources('AWS::Events::Rule')).filter((r) => r.Properties.EventPattern);
    expect(rules.map((r) => r.Properties.EventPattern['detail-type'][0]).sort()).toEqual([
      'AWS Health Event',
      'EC2 Capacity Reservation Instance Interruption Warning',
      'EC2 Instance Rebalance Recommendation',
      'EC2 Instance State-change Notification',
      'EC2 Spot Instance Interruption Warning',
    ]);
    for (const rule of rules) expect(rule.Properties.EventBusName).toBeUndefined();
  });
});

describe('node role', () => {
  const role = resource(t, 'AWS::IAM::Role', 'NodeRole');

  it('is assumed by EC2 only', () => {
    expect(role.props.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }],
    });
  });

  it('has the EKS worker, CNI, ECR read-only and SSM core policies and nothing else', () => {
    expect((role.props.ManagedPolicyArns as unknown[]).map(flat)).toEqual([
      'arn:<AWS::Partition>:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:<AWS::Partition>:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:<AWS::Partition>:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      'arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore',
    ]);
    expect(role.props.Policies).toBeUndefined();
  });

  it('has an instance profile of the same name, which node classes name in spec.role', () => {
    expect(role.props.RoleName).toBe('FleetwrightNode-demo');
    t.hasResourceProperties('AWS::IAM::InstanceProfile', {
      InstanceProfileName: 'FleetwrightNode-demo',
      Roles: [ref(role.id)],
    });
    t.hasOutput('NodeRoleName', { Value: ref(role.id) });
  });

  it('joins the cluster through an EC2_LINUX access entry', () => {
    t.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'demo',
      PrincipalArn: arnOf(role.id),
      Type: 'EC2_LINUX',
    });
  });

  it('takes another name from nodeRoleName', () => {
    template({ nodeRoleName: 'eks-nodes' }).hasResourceProperties('AWS::IAM::InstanceProfile', {
      InstanceProfileName: 'eks-nodes',
    });
  });
});

describe('cluster access', () => {
  const controllerRole = resource(t, 'AWS::IAM::Role', 'ControllerRole');
  const providerRole = resource(t, 'AWS::IAM::Role', 'ClusterAccessProviderRole');
  const check = resource(t, 'Custom::FleetwrightAuthenticationModeCheck', 'ClusterAccess');
  const rbac = resource(t, 'Custom::FleetwrightControllerRbac', 'ClusterAccess');
  const controllerEntry = resource(t, 'AWS::EKS::AccessEntry', 'ClusterAccessControllerAccessEntry');
  const providerEntry = resource(t, 'AWS::EKS::AccessEntry', 'ClusterAccessProviderAccessEntry');
  const nodeEntry = resource(t, 'AWS::EKS::AccessEntry', 'NodeRoleAccessEntry');

  it('lets only Lambda assume the controller role', () => {
    expect(controllerRole.props.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }],
    });
  });

  it('maps the controller role to the group fleetwright:controller, with no EKS access policy', () => {
    expect(controllerEntry.props).toEqual({
      ClusterName: 'demo',
      PrincipalArn: arnOf(controllerRole.id),
      Type: 'STANDARD',
      KubernetesGroups: ['fleetwright:controller'],
    });
  });

  it('gives cluster admin only to the provider role, which only CloudFormation invokes', () => {
    expect(providerEntry.props).toMatchObject({
      PrincipalArn: arnOf(providerRole.id),
      Type: 'STANDARD',
      AccessPolicies: [{ AccessScope: { Type: 'cluster' }, PolicyArn: expect.anything() }],
    });
    expect(flat((providerEntry.props.AccessPolicies as { PolicyArn: unknown }[])[0]?.PolicyArn)).toBe(
      'arn:<AWS::Partition>:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
    );
    const entriesWithPolicies = Object.values(t.findResources('AWS::EKS::AccessEntry')).filter(
      (e) => e.Properties.AccessPolicies,
    );
    expect(entriesWithPolicies).toHaveLength(1);
  });

  it('checks the authentication mode before creating any access entry', () => {
    expect(check.props).toMatchObject({ ClusterName: 'demo' });
    for (const entry of [controllerEntry, providerEntry, nodeEntry]) expect(entry.dependsOn).toContain(check.id);
  });

  it('applies the RBAC objects for the group after both access entries exist', () => {
    expect(rbac.props).toMatchObject({
      ClusterName: 'demo',
      Group: 'fleetwright:controller',
      ServiceAccounts: [],
      HandlerCode: expect.stringMatching(/^[0-9a-f]{64}\.zip$/),
    });
    expect(rbac.dependsOn).toEqual(expect.arrayContaining([controllerEntry.id, providerEntry.id]));
  });

  it('lets the provider describe only this cluster', () => {
    const policy = resource(t, 'AWS::IAM::Policy', 'ClusterAccessProviderRoleDefaultPolicy');
    const statements = (policy.props.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] })
      .Statement;
    expect(statements.map((s) => [s.Action, flat(s.Resource)])).toContainEqual([
      'eks:DescribeCluster',
      'arn:<AWS::Partition>:eks:<AWS::Region>:<AWS::AccountId>:cluster/demo',
    ]);
  });

  it('binds the in-cluster service account too when there is one', () => {
    expect(resource(full, 'Custom::FleetwrightControllerRbac', 'ClusterAccess').props.ServiceAccounts).toEqual([
      'fleetwright/controller',
    ]);
  });
});

describe('controller policy', () => {
  const cluster = 'demo';

  it('is attached to the controller role', () => {
    const policy = resource(t, 'AWS::IAM::ManagedPolicy', 'ControllerPolicy');
    expect(policy.props.Roles).toEqual([ref(resource(t, 'AWS::IAM::Role', 'ControllerRole').id)]);
  });

  it('creates instances, volumes, fleets, ENIs, spot requests and launch templates only with our request tag', () => {
    const s = controllerStatement(t, 'LaunchOnlyTagged');
    expect(actionsOf(s).sort()).toEqual(['ec2:CreateFleet', 'ec2:CreateLaunchTemplate', 'ec2:RunInstances']);
    expect(s.Condition).toEqual({ StringEquals: { 'aws:RequestTag/fleetwright.io/cluster': cluster } });
    expect(flat(s.Resource).split(',').sort()).toEqual(
      ['fleet', 'instance', 'launch-template', 'network-interface', 'spot-instances-request', 'volume'].map(ec2Arn),
    );
  });

  it('tags only as part of those launches (ec2:CreateAction)', () => {
    const s = controllerStatement(t, 'TagOnCreate');
    expect(actionsOf(s)).toEqual(['ec2:CreateTags']);
    expect(s.Condition).toEqual({
      StringEquals: {
        'aws:RequestTag/fleetwright.io/cluster': cluster,
        'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'],
      },
    });
  });

  it('launches from launch templates that carry our tag only', () => {
    const s = controllerStatement(t, 'UseOwnLaunchTemplates');
    expect(flat(s.Resource)).toBe(ec2Arn('launch-template'));
    expect(s.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/fleetwright.io/cluster': cluster } });
  });

  it('terminates instances and deletes launch templates that carry our tag only', () => {
    const s = controllerStatement(t, 'ChangeOwnResources');
    expect(actionsOf(s).sort()).toEqual(['ec2:DeleteLaunchTemplate', 'ec2:TerminateInstances']);
    expect(s.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/fleetwright.io/cluster': cluster } });
  });

  it('tags existing instances only when they carry our tag, and only with Name', () => {
    const s = controllerStatement(t, 'NameOwnInstances');
    expect(flat(s.Resource)).toBe(ec2Arn('instance'));
    expect(s.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/fleetwright.io/cluster': cluster },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['Name'] },
    });
  });

  it('passes only the node roles, and only to EC2', () => {
    const s = controllerStatement(full, 'PassNodeRoles');
    expect(actionsOf(s)).toEqual(['iam:PassRole']);
    expect(s.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } });
    expect(flat(s.Resource).split(',').sort()).toEqual([
      `<${resource(full, 'AWS::IAM::Role', 'NodeRole').id}.Arn>`,
      'arn:aws:iam::123456789012:role/gpu-nodes',
    ]);
  });

  it('reads the config documents under the prefix only', () => {
    const s = controllerStatement(t, 'ReadConfig');
    expect(actionsOf(s).sort()).toEqual([
      'ssm:GetParameter',
      'ssm:GetParameterHistory',
      'ssm:GetParameters',
      'ssm:GetParametersByPath',
    ]);
    expect(flat(s.Resource).split(',')).toEqual([
      'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/fleetwright/demo',
      'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/fleetwright/demo/*',
    ]);
    expect(flat(controllerStatement(template({ configPrefix: '/platform/eks' }), 'ReadConfig').Resource)).toContain(
      'parameter/platform/eks/*',
    );
  });

  it("reads AWS's public parameters (AMI aliases) under /aws/service/ only", () => {
    const s = controllerStatement(t, 'ReadPublicParameters');
    expect(flat(s.Resource)).toBe('arn:<AWS::Partition>:ssm:*::parameter/aws/service/*');
    expect(actionsOf(s)).toContain('ssm:GetParameter');
  });

  it('describes EC2 in the stack region only', () => {
    const s = controllerStatement(t, 'Describe');
    expect(actionsOf(s).every((a) => a.startsWith('ec2:Describe'))).toBe(true);
    expect(actionsOf(s)).toEqual(expect.arrayContaining(['ec2:DescribeInstances', 'ec2:DescribeSpotPriceHistory']));
    expect(s.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': ref('AWS::Region') } });
  });

  it('reads list prices', () => {
    expect(actionsOf(controllerStatement(t, 'ReadPrices'))).toEqual(['pricing:GetProducts']);
  });

  it('describes this cluster only', () => {
    const s = controllerStatement(t, 'DescribeCluster');
    expect(flat(s.Resource)).toBe('arn:<AWS::Partition>:eks:<AWS::Region>:<AWS::AccountId>:cluster/demo');
  });

  it('receives and deletes messages of the interruption queue only', () => {
    const queue = resource(t, 'AWS::SQS::Queue', 'InterruptionQueue4').id;
    const sqs = allAllowStatements(t).filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
    expect(sqs).toHaveLength(1);
    expect(actionsOf(sqs[0] as (typeof sqs)[0])).toEqual(
      expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
    );
    expect(sqs[0]?.Resource).toEqual(arnOf(queue));
  });

  it('never allows an EC2 change without an ownership condition', () => {
    const mutating =
      /^ec2:(RunInstances|CreateFleet|CreateLaunchTemplate|CreateTags|TerminateInstances|DeleteLaunchTemplate)$/;
    const ownershipConditioned = (s: (typeof statements)[0]) =>
      JSON.stringify(s.Condition ?? {}).includes('/fleetwright.io/cluster');
    const statements = allAllowStatements(full).filter((s) => actionsOf(s).some((a) => mutating.test(a)));
    const unconditioned = statements.filter((s) => !ownershipConditioned(s));
    // The one exception: the AMIs, snapshots, subnets and security groups a launch only reads.
    expect(unconditioned.map((s) => s.Sid)).toEqual(['LaunchWithExistingResources']);
    expect(flat(unconditioned[0]?.Resource)).not.toMatch(/(instance|volume|fleet|launch-template|network-interface)\//);
  });

  it('grants no wildcard action and never passes a role on "*"', () => {
    for (const s of allAllowStatements(full)) {
      expect(actionsOf(s).filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
      if (actionsOf(s).includes('iam:PassRole')) expect(s.Resource).not.toBe('*');
    }
  });
});

describe('optional roles', () => {
  it('creates the spot service-linked role only when asked, and keeps it on stack deletion', () => {
    t.resourceCountIs('AWS::IAM::ServiceLinkedRole', 0);
    full.hasResource('AWS::IAM::ServiceLinkedRole', {
      Properties: { AWSServiceName: 'spot.amazonaws.com' },
      DeletionPolicy: 'Retain',
    });
  });

  it('creates an EKS Pod Identity role with the controller policy for the in-cluster service account', () => {
    const role = resource(full, 'AWS::IAM::Role', 'InClusterRole');
    expect(role.props.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'pods.eks.amazonaws.com' } }],
    });
    full.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: 'demo',
      Namespace: 'fleetwright',
      ServiceAccount: 'controller',
      RoleArn: arnOf(role.id),
    });
    expect(resource(full, 'AWS::IAM::ManagedPolicy', 'ControllerPolicy').props.Roles).toContainEqual(ref(role.id));
    t.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
  });

  it('trusts only that service account of that OIDC issuer with IRSA', () => {
    const role = resource(irsa, 'AWS::IAM::Role', 'InClusterRole');
    const issuer = 'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123';
    expect(role.props.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: {
            Federated: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123',
          },
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: 'system:serviceaccount:fleetwright:controller',
              [`${issuer}:aud`]: 'sts.amazonaws.com',
            },
          },
        },
      ],
    });
    irsa.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
  });
});

describe('monitoring', () => {
  const alarm = (tt: typeof t, id: string) => resource(tt, 'AWS::CloudWatch::Alarm', `Monitoring${id}`).props;
  const fleetwrightMetric = (name: string) => ({
    Namespace: 'Fleetwright',
    MetricName: name,
    Dimensions: [{ Name: 'Cluster', Value: 'demo' }],
  });

  it('has the eight alarms of DESIGN §8, named after the cluster', () => {
    const names = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName);
    expect(names.sort()).toEqual(
      [
        'ConfigInvalid',
        'DeadLetters',
        'InterruptionErrors',
        'InterruptionQueueAge',
        'PendingPodsTooOld',
        'PoolAtLimit',
        'ReconcileErrors',
        'UnregisteredInstances',
      ].map((id) => `fleetwright-demo-${id}`),
    );
  });

  it('alarms as soon as the dead-letter queue holds a message', () => {
    expect(alarm(t, 'DeadLetters')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetterQueue/), 'QueueName'] } },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it.each([
    ['ReconcileErrors', 'ReconcileFunction'],
    ['InterruptionErrors', 'InterruptionFunction'],
  ])('%s alarms on handler errors in 3 of 5 minutes', (id, fn) => {
    expect(alarm(t, id)).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: ref(resource(t, 'AWS::Lambda::Function', fn).id) }],
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
    });
  });

  it.each(['ConfigInvalid', 'UnregisteredInstances'])('alarms on any %s', (name) => {
    expect(alarm(t, name)).toMatchObject({ ...fleetwrightMetric(name), Threshold: 1, Statistic: 'Maximum' });
  });

  it('alarms on a pod pending longer than N minutes (10 by default)', () => {
    expect(alarm(t, 'PendingPodsTooOld')).toMatchObject({ ...fleetwrightMetric('PendingPodAgeMax'), Threshold: 600 });
    expect(alarm(template({ pendingPodAgeAlarmMinutes: 3 }), 'PendingPodsTooOld').Threshold).toBe(180);
  });

  it('alarms on any pool at its limit with a Metrics Insights query over the NodePool dimension', () => {
    const metrics = alarm(t, 'PoolAtLimit').Metrics as { Expression?: string }[];
    expect(metrics[0]?.Expression).toBe(
      `SELECT MAX(PoolAtLimit) FROM SCHEMA("Fleetwright", Cluster, NodePool) WHERE Cluster = 'demo'`,
    );
  });

  it('alarms when interruption messages wait over 60 s', () => {
    expect(alarm(t, 'InterruptionQueueAge')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 60,
    });
  });

  it('notifies nobody unless asked', () => {
    t.resourceCountIs('AWS::SNS::Topic', 0);
    expect(alarm(t, 'DeadLetters').AlarmActions).toBeUndefined();
  });

  it('sends every alarm and its recovery to an e-mail subscription over a TLS-only topic', () => {
    const topic = resource(full, 'AWS::SNS::Topic', 'MonitoringAlarmTopic').id;
    full.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'platform@example.com',
      TopicArn: ref(topic),
    });
    full.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    for (const a of Object.values(full.findResources('AWS::CloudWatch::Alarm'))) {
      expect(a.Properties).toMatchObject({ AlarmActions: [ref(topic)], OKActions: [ref(topic)] });
    }
  });

  it('uses an existing topic when given one', () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:oncall';
    const tt = template({ alarmTopicArn: arn });
    tt.resourceCountIs('AWS::SNS::Topic', 0);
    expect(alarm(tt, 'ConfigInvalid').AlarmActions).toEqual([arn]);
  });

  it('draws a dashboard of pending pods, time to capacity, nodes, cost, launches, disruptions and interruptions', () => {
    const body = flat(resource(t, 'AWS::CloudWatch::Dashboard', 'MonitoringDashboard').props.DashboardBody);
    for (const metric of [
      'PendingPods',
      'PendingPodAgeMax',
      'TimeToCapacity',
      'NodesLaunched',
      'NodesRegistered',
      'NodesTerminated',
      'HourlyCost',
      'LaunchFailures',
      'InsufficientCapacityErrors',
      'Disruptions',
      'InterruptionMessages',
    ]) {
      expect(body).toContain(metric);
    }
    expect(body).toContain(`SEARCH('{Fleetwright,Cluster,Method} MetricName=\\"Disruptions\\" Cluster=\\"demo\\"'`);
    expect(template({ dashboard: false }).findResources('AWS::CloudWatch::Dashboard')).toEqual({});
  });
});

describe('prop validation', () => {
  it.each([
    [{ clusterName: 'bad name' }, /clusterName "bad name" is not an EKS cluster name/],
    [{ configPrefix: 'fleetwright' }, /configPrefix "fleetwright" is not a parameter path/],
    [{ configPrefix: '/aws/x/' }, /configPrefix "\/aws\/x\/" is reserved/],
    [{ memorySize: 64 }, /memorySize must be a whole number of MB from 128 to 10240; it is 64/],
    [{ vpcId: 'vpc-0a1b2c3d4e5f60718' }, /vpcId, subnetIds and securityGroupIds go together/],
    [{ nodeRoleArns: ['gpu-nodes'] }, /nodeRoleArns: "gpu-nodes" is not an IAM role ARN/],
    [
      { clusterName: 'c'.repeat(60) },
      /nodeRoleName "FleetwrightNode-c+" is not an IAM role name.*pass a shorter nodeRoleName/,
    ],
    [
      { inClusterServiceAccount: 'controller' },
      /inClusterServiceAccount "controller" must be "<namespace>\/<service account>"/,
    ],
    [
      { inClusterOidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/x' },
      /inClusterOidcProviderArn needs inClusterServiceAccount/,
    ],
    [{ alarmEmail: 'oncall' }, /alarmEmail "oncall" is not an e-mail address/],
    [{ pendingPodAgeAlarmMinutes: 0 }, /pendingPodAgeAlarmMinutes must be a whole number of at least 1; it is 0/],
  ])('refuses %j', (props, message) => {
    expect(() => buildStack(props)).toThrow(message);
  });
});
