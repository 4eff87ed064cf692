// The narrow ports the EC2 adapter calls AWS through: one method per operation, taking and returning the SDK's
// own Input/Output types, and nothing the adapter does not use. Everything downstream depends on these
// interfaces, not on `EC2Client`:
// - production wires them to the real clients with `ec2ApiFromClient` / `amiParametersFromClient`;
// - the simulator (DESIGN.md §6) implements them over its simulated EC2, so this adapter's real logic
//   (overrides, tags, capacity-error parsing, pagination) runs in the simulation;
// - tests mock the real clients with aws-sdk-client-mock and go through the same wiring.
// Pagination is done by the adapter (`collectPages`), not the SDK's paginators, which need a whole client.

import {
  CreateFleetCommand,
  type CreateFleetCommandInput,
  type CreateFleetCommandOutput,
  CreateLaunchTemplateCommand,
  type CreateLaunchTemplateCommandInput,
  type CreateLaunchTemplateCommandOutput,
  CreateTagsCommand,
  type CreateTagsCommandInput,
  type CreateTagsCommandOutput,
  DeleteLaunchTemplateCommand,
  type DeleteLaunchTemplateCommandInput,
  type DeleteLaunchTemplateCommandOutput,
  DescribeImagesCommand,
  type DescribeImagesCommandInput,
  type DescribeImagesCommandOutput,
  DescribeInstancesCommand,
  type DescribeInstancesCommandInput,
  type DescribeInstancesCommandOutput,
  DescribeInstanceTypeOfferingsCommand,
  type DescribeInstanceTypeOfferingsCommandInput,
  type DescribeInstanceTypeOfferingsCommandOutput,
  DescribeInstanceTypesCommand,
  type DescribeInstanceTypesCommandInput,
  type DescribeInstanceTypesCommandOutput,
  DescribeLaunchTemplatesCommand,
  type DescribeLaunchTemplatesCommandInput,
  type DescribeLaunchTemplatesCommandOutput,
  DescribeSecurityGroupsCommand,
  type DescribeSecurityGroupsCommandInput,
  type DescribeSecurityGroupsCommandOutput,
  DescribeSpotPriceHistoryCommand,
  type DescribeSpotPriceHistoryCommandInput,
  type DescribeSpotPriceHistoryCommandOutput,
  DescribeSubnetsCommand,
  type DescribeSubnetsCommandInput,
  type DescribeSubnetsCommandOutput,
  type EC2Client,
  TerminateInstancesCommand,
  type TerminateInstancesCommandInput,
  type TerminateInstancesCommandOutput,
} from '@aws-sdk/client-ec2';
import {
  GetParameterCommand,
  type GetParameterCommandInput,
  type GetParameterCommandOutput,
  type SSMClient,
} from '@aws-sdk/client-ssm';

/** The EC2 operations the adapter uses (IAM needs exactly these, plus the SSM and Pricing reads). */
export interface Ec2Api {
  describeInstanceTypes(input: DescribeInstanceTypesCommandInput): Promise<DescribeInstanceTypesCommandOutput>;
  describeInstanceTypeOfferings(
    input: DescribeInstanceTypeOfferingsCommandInput,
  ): Promise<DescribeInstanceTypeOfferingsCommandOutput>;
  describeSpotPriceHistory(input: DescribeSpotPriceHistoryCommandInput): Promise<DescribeSpotPriceHistoryCommandOutput>;
  describeSubnets(input: DescribeSubnetsCommandInput): Promise<DescribeSubnetsCommandOutput>;
  describeSecurityGroups(input: DescribeSecurityGroupsCommandInput): Promise<DescribeSecurityGroupsCommandOutput>;
  describeImages(input: DescribeImagesCommandInput): Promise<DescribeImagesCommandOutput>;
  describeLaunchTemplates(input: DescribeLaunchTemplatesCommandInput): Promise<DescribeLaunchTemplatesCommandOutput>;
  createLaunchTemplate(input: CreateLaunchTemplateCommandInput): Promise<CreateLaunchTemplateCommandOutput>;
  deleteLaunchTemplate(input: DeleteLaunchTemplateCommandInput): Promise<DeleteLaunchTemplateCommandOutput>;
  createFleet(input: CreateFleetCommandInput): Promise<CreateFleetCommandOutput>;
  describeInstances(input: DescribeInstancesCommandInput): Promise<DescribeInstancesCommandOutput>;
  terminateInstances(input: TerminateInstancesCommandInput): Promise<TerminateInstancesCommandOutput>;
  createTags(input: CreateTagsCommandInput): Promise<CreateTagsCommandOutput>;
}

/** The one SSM read the adapter needs: public AMI parameters (aliases) and custom `ssmParameter` terms. */
export interface AmiParameterApi {
  getParameter(input: GetParameterCommandInput): Promise<GetParameterCommandOutput>;
}

/** The port over a real (or aws-sdk-client-mock'ed) EC2 client. */
export function ec2ApiFromClient(client: EC2Client): Ec2Api {
  return {
    describeInstanceTypes: (input) => client.send(new DescribeInstanceTypesCommand(input)),
    describeInstanceTypeOfferings: (input) => client.send(new DescribeInstanceTypeOfferingsCommand(input)),
    describeSpotPriceHistory: (input) => client.send(new DescribeSpotPriceHistoryCommand(input)),
    describeSubnets: (input) => client.send(new DescribeSubnetsCommand(input)),
    describeSecurityGroups: (input) => client.send(new DescribeSecurityGroupsCommand(input)),
    describeImages: (input) => client.send(new DescribeImagesCommand(input)),
    describeLaunchTemplates: (input) => client.send(new DescribeLaunchTemplatesCommand(input)),
    createLaunchTemplate: (input) => client.send(new CreateLaunchTemplateCommand(input)),
    deleteLaunchTemplate: (input) => client.send(new DeleteLaunchTemplateCommand(input)),
    createFleet: (input) => client.send(new CreateFleetCommand(input)),
    describeInstances: (input) => client.send(new DescribeInstancesCommand(input)),
    terminateInstances: (input) => client.send(new TerminateInstancesCommand(input)),
    createTags: (input) => client.send(new CreateTagsCommand(input)),
  };
}

export function amiParametersFromClient(client: SSMClient): AmiParameterApi {
  return { getParameter: (input) => client.send(new GetParameterCommand(input)) };
}

/**
 * Every item of a NextToken-paginated call: `fetch(token)` gets one page, `items(page)` its items. Stops when a
 * page has no NextToken (or repeats the previous one, which would otherwise loop forever).
 */
export async function collectPages<P extends { NextToken?: string | undefined }, T>(
  fetch: (nextToken: string | undefined) => Promise<P>,
  items: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    all.push(...(items(page) ?? []));
    token = page.NextToken && page.NextToken !== token ? page.NextToken : undefined;
  } while (token);
  return all;
}
