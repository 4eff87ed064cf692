// SSM Parameter Store through the loopback endpoint with the real `@aws-sdk/client-ssm`: versions, paging,
// history and error codes from the store, and the public AMI alias parameters from the simulated EC2.

import {
  DeleteParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  type GetParametersByPathCommandOutput,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { amiParametersFromClient } from '../../../shared/adapters/aws/ec2/api.js';
import { SimParameterStore } from '../../../shared/sim/aws-api/ssm-json.js';
import { content, type EndpointWorld, endpointWorld } from './endpoint-world.js';

const AL2023 = '/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/standard/recommended/image_id';
const PREFIX = '/fleetwright/sim/';

let world: EndpointWorld;
beforeEach(async () => {
  world = await endpointWorld();
});
afterEach(() => world.close());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('SSM Parameter Store over JSON 1.1', () => {
  it('puts versions, gets the latest or a given one, and refuses to overwrite without Overwrite', async () => {
    const { ssm } = world.clients;
    const put = (Value: string, Overwrite?: boolean) =>
      ssm.send(new PutParameterCommand({ Name: `${PREFIX}settings`, Value, Type: 'String', Overwrite }));
    expect(await put('{"a":1}')).toMatchObject({ Version: 1, Tier: 'Standard' });
    expect(await failure(put('{"a":2}'))).toBeInstanceOf(ParameterAlreadyExists);
    expect(await put('{"a":2}', true)).toMatchObject({ Version: 2 });
    const latest = await ssm.send(new GetParameterCommand({ Name: `${PREFIX}settings` }));
    expect(latest.Parameter).toMatchObject({ Value: '{"a":2}', Version: 2, DataType: 'text' });
    expect(latest.Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    const first = await ssm.send(new GetParameterCommand({ Name: `${PREFIX}settings:1` }));
    expect(first.Parameter).toMatchObject({ Value: '{"a":1}', Version: 1, Selector: ':1' });
    expect(world.endpoint.parameters.current(`${PREFIX}settings`)?.Value).toBe('{"a":2}');
  });

  it('pages GetParametersByPath and GetParameterHistory, and deletes', async () => {
    const { ssm } = world.clients;
    const names = Array.from({ length: 12 }, (_, i) => `${PREFIX}nodepools/pool-${String(i).padStart(2, '0')}`);
    for (const name of names) world.endpoint.parameters.seed(name, '{}');
    world.endpoint.parameters.seed(`${PREFIX}nodepools/deeper/x`, '{}');
    const pages: GetParametersByPathCommandOutput[] = [];
    let NextToken: string | undefined;
    do {
      const page = await ssm.send(new GetParametersByPathCommand({ Path: `${PREFIX}nodepools`, NextToken }));
      pages.push(page);
      NextToken = page.NextToken;
    } while (NextToken);
    expect(pages.map((p) => p.Parameters?.length)).toEqual([10, 2]);
    expect(pages.flatMap((p) => p.Parameters ?? []).map((p) => p.Name)).toEqual(names);
    for (let i = 0; i < 3; i++) world.endpoint.parameters.seed(names[0] as string, `{"v":${i}}`);
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: names[0], MaxResults: 2 }));
    expect(history.Parameters?.map((p) => [p.Version, p.Value])).toEqual([
      [1, '{}'],
      [2, '{"v":0}'],
    ]);
    expect(history.NextToken).toBeTruthy();
    const deleted = await ssm.send(new DeleteParametersCommand({ Names: [names[0] as string, `${PREFIX}nope`] }));
    expect(deleted).toMatchObject({ DeletedParameters: [names[0]], InvalidParameters: [`${PREFIX}nope`] });
    expect(await failure(ssm.send(new GetParameterCommand({ Name: names[0] })))).toBeInstanceOf(ParameterNotFound);
  });

  it('answers the public AMI alias parameters from the simulated EC2, as it answers them directly', async () => {
    const overHttp = await amiParametersFromClient(world.clients.ssm).getParameter({ Name: AL2023 });
    const direct = await world.ec2.getParameter({ Name: AL2023 });
    expect(content(overHttp)).toEqual(content(direct));
    expect(overHttp.Parameter?.Value).toMatch(/^ami-[0-9a-f]{17}$/);
    const unknown = `/aws/service/eks/optimized-ami/1.33/amazon-linux-2023/x86_64/nope/image_id`;
    const error = await failure(world.clients.ssm.send(new GetParameterCommand({ Name: unknown })));
    expect(error).toBeInstanceOf(ParameterNotFound);
    expect(world.endpoint.requests.map((r) => [r.service, r.operation, r.status])).toEqual([
      ['ssm', 'GetParameter', 200],
      ['ssm', 'GetParameter', 400],
    ]);
  });

  it('serves a store given to it, seeded before the endpoint started', async () => {
    const parameters = new SimParameterStore();
    parameters.seed(`${PREFIX}nodeclasses/default`, '{"kind":"EC2NodeClass"}');
    const own = await endpointWorld({}, { parameters });
    try {
      expect(own.endpoint.parameters).toBe(parameters);
      const out = await own.clients.ssm.send(new GetParameterCommand({ Name: `${PREFIX}nodeclasses/default` }));
      expect(out.Parameter?.Value).toBe('{"kind":"EC2NodeClass"}');
    } finally {
      await own.close();
    }
  });

  it('fails with an injected error code, and refuses an unsigned request as AWS does', async () => {
    world.endpoint.parameters.failures.push({
      operation: 'GetParameter',
      type: 'AccessDeniedException',
      message: 'not authorized to perform: ssm:GetParameter',
    });
    const error = await failure(world.clients.ssm.send(new GetParameterCommand({ Name: `${PREFIX}x` })));
    expect(error).toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('not authorized') });
    const unsigned = await fetch(world.endpoint.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonSSM.GetParameter', 'content-type': 'application/x-amz-json-1.1' },
      body: '{"Name":"/x"}',
    });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });
});
