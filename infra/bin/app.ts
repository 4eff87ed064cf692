// The CDK app (`cdk.json`: npx tsx infra/bin/app.ts): one fleetwright stack for the cluster named by context, with
// the cdk-nag and cfn-guard checks attached to the whole app. Synthesizes offline: no lookups, no Docker.

import { App } from 'aws-cdk-lib';
import { addComplianceChecks } from '../compliance.js';
import { FleetwrightPropsError } from '../constructs/validate-props.js';
import { FleetwrightStack } from '../stacks/fleetwright-stack.js';
import { appConfigFromContext, ContextError } from './context.js';

const app = new App();
addComplianceChecks(app);
try {
  const { stackName, props } = appConfigFromContext((key) => app.node.tryGetContext(key));
  new FleetwrightStack(app, stackName, props);
  app.synth();
} catch (error) {
  // A wrong or missing -c value is the user's to fix: one sentence, not a stack trace.
  if (!(error instanceof ContextError || error instanceof FleetwrightPropsError)) throw error;
  console.error(`error: ${error.message}`);
  process.exitCode = 1;
}
