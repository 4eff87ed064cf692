import {
  DeleteParametersCommand,
  type DeleteParametersCommandInput,
  GetParameterCommand,
  GetParameterHistoryCommand,
  PutParameterCommand,
  type PutParameterCommandInput,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executePush, type PushPlan, planPush, storedValue } from '../../../../shared/adapters/aws/ssm/config-push.js';
import { getParameter, type StoredParameter } from '../../../../shared/adapters/aws/ssm/parameters.js';
import { nodeClass, nodePool, settings } from '../../../config/builders.js';
import { historyEntry, historyPage, PREFIX, parameter, ssmError } from './ssm-responses.js';

const ssm = mockClient(SSMClient);
const client = () => new SSMClient({ region: 'us-east-1' });

const stored = (name: string, value: unknown, version = 1): StoredParameter => ({
  name: `${PREFIX}${name}`,
  value: typeof value === 'string' ? value : JSON.stringify(value),
  version,
});

const docs = [
  { kind: 'NodePool' as const, name: 'web', document: nodePool({ status: { resources: {} } }) },
  { kind: 'EC2NodeClass' as const, name: 'default', document: nodeClass() },
  { kind: 'Settings' as const, name: 'settings', document: settings({ dryRun: true }) },
];

/** A pool padded with a template annotation to exactly `bytes` of stored JSON. */
function poolOfSize(bytes: number) {
  const padded = (filler: string) => nodePool({ spec: { template: { metadata: { annotations: { a: filler } } } } });
  return padded('x'.repeat(bytes - storedValue(padded('')).length));
}

async function run(plan: PushPlan): Promise<string[]> {
  const lines: string[] = [];
  await executePush(client(), plan, (line) => lines.push(line));
  return lines;
}

beforeEach(() => ssm.reset());

describe('planPush', () => {
  it('writes settings, then node classes, then pools, as compact JSON without status', () => {
    const plan = planPush(PREFIX, docs, [], false);
    expect(plan.writes.map((w) => w.parameter)).toEqual([
      `${PREFIX}settings`,
      `${PREFIX}nodeclasses/default`,
      `${PREFIX}nodepools/web`,
    ]);
    expect(plan.writes[2]?.value).toBe(JSON.stringify(nodePool()));
  });

  it('skips documents stored as they are, whitespace aside', () => {
    const current = [
      stored('nodeclasses/default', JSON.stringify(nodeClass(), null, 2)),
      stored('settings', settings()),
    ];
    const plan = planPush(PREFIX, docs, current, false);
    expect(plan.unchanged).toEqual([`${PREFIX}nodeclasses/default`]);
    expect(plan.writes.map((w) => [w.parameter, w.current?.version])).toEqual([
      [`${PREFIX}settings`, 1],
      [`${PREFIX}nodepools/web`, undefined],
    ]);
  });

  it('prunes only our documents, pools before classes before settings, and leaves strays alone', () => {
    const current = [
      stored('settings', settings()),
      stored('nodeclasses/old', nodeClass()),
      stored('nodepools/old', nodePool()),
      stored('notes/readme', 'hello'),
    ];
    const onlyPool = [docs[0] as (typeof docs)[number]];
    expect(planPush(PREFIX, onlyPool, current, false).deletes).toEqual([]);
    const plan = planPush(PREFIX, onlyPool, current, true);
    expect(plan.deletes).toEqual([`${PREFIX}nodepools/old`, `${PREFIX}nodeclasses/old`, `${PREFIX}settings`]);
    expect(plan.strays).toEqual([`${PREFIX}notes/readme`]);
  });
});

describe('executePush', () => {
  it('puts String parameters with Overwrite, Standard up to 4 KB and Advanced above', async () => {
    ssm.on(PutParameterCommand).callsFake((input: PutParameterCommandInput) => ({ Version: 1, Tier: input.Tier }));
    const small = { kind: 'NodePool' as const, name: 'small', document: poolOfSize(4096) };
    const large = { kind: 'NodePool' as const, name: 'large', document: poolOfSize(4097) };
    const lines = await run(planPush(PREFIX, [small, large], [], false));
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: `${PREFIX}nodepools/small`,
      Type: 'String',
      Tier: 'Standard',
      Overwrite: true,
    });
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, { Name: `${PREFIX}nodepools/large`, Tier: 'Advanced' });
    expect(lines).toEqual([
      `created ${PREFIX}nodepools/small (version 1, Standard, 4096 bytes)`,
      `created ${PREFIX}nodepools/large (version 1, Advanced, 4097 bytes)`,
    ]);
  });

  it('keeps an Advanced parameter Advanced when its new value would fit Standard', async () => {
    const name = `${PREFIX}nodepools/web`;
    ssm
      .on(GetParameterHistoryCommand)
      .resolves(
        historyPage([
          historyEntry(name, 1, poolOfSize(5000), 'Advanced'),
          historyEntry(name, 2, nodePool(), 'Advanced'),
        ]),
      );
    ssm.on(PutParameterCommand).resolves({ Version: 3, Tier: 'Advanced' });
    const current = [stored('nodepools/web', nodePool({ spec: { weight: 5 } }), 2)];
    const lines = await run(planPush(PREFIX, [docs[0] as (typeof docs)[number]], current, false));
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, { Name: name, Tier: 'Advanced' });
    expect(lines[0]).toMatch(/^updated \/fleetwright\/prod\/nodepools\/web \(version 3, Advanced, \d+ bytes\)$/);
  });

  it('refuses a value over 8 KB without calling SSM', async () => {
    const huge = { kind: 'NodePool' as const, name: 'huge', document: poolOfSize(8193) };
    await expect(run(planPush(PREFIX, [huge], [], false))).rejects.toThrow(
      `ssm:PutParameter ${PREFIX}nodepools/huge: ValueTooLarge: the value is 8193 bytes; SSM parameters hold at most 8 KB (Advanced tier), so it was not sent`,
    );
    expect(ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });

  it('deletes in batches of 10 and reports parameters already gone', async () => {
    ssm.on(DeleteParametersCommand).callsFake((input: DeleteParametersCommandInput) => ({
      DeletedParameters: (input.Names ?? []).filter((n) => !n.endsWith('p3')),
      InvalidParameters: (input.Names ?? []).filter((n) => n.endsWith('p3')),
    }));
    const current = Array.from({ length: 12 }, (_, i) => stored(`nodepools/p${i}`, nodePool()));
    const lines = await run(planPush(PREFIX, [], current, true));
    expect(ssm).toHaveReceivedCommandTimes(DeleteParametersCommand, 2);
    expect(ssm).toHaveReceivedNthCommandWith(DeleteParametersCommand, 2, {
      Names: [`${PREFIX}nodepools/p10`, `${PREFIX}nodepools/p11`],
    });
    expect(lines).toContain(`already gone ${PREFIX}nodepools/p3`);
    expect(lines).toContain(`deleted ${PREFIX}nodepools/p11`);
  });

  it('stops at the first failed call and names it', async () => {
    ssm
      .on(PutParameterCommand)
      .resolvesOnce({ Version: 1, Tier: 'Standard' })
      .rejects(
        ssmError(
          'AccessDeniedException',
          'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter/fleetwright/prod/nodeclasses/default',
        ),
      );
    const lines: string[] = [];
    const push = executePush(client(), planPush(PREFIX, docs, [], false), (line) => lines.push(line));
    await expect(push).rejects.toThrow(
      /^ssm:PutParameter \/fleetwright\/prod\/nodeclasses\/default: AccessDeniedException: User: arn:aws:iam::123456789012:user\/dev is not authorized/,
    );
    expect(lines).toEqual([
      `created ${PREFIX}settings (version 1, Standard, ${storedValue(docs[2]?.document ?? {}).length} bytes)`,
    ]);
    expect(ssm).toHaveReceivedCommandTimes(PutParameterCommand, 2);
  });
});

describe('getParameter', () => {
  it('asks for an older version with the name:version selector', async () => {
    ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { ...parameter(`${PREFIX}settings`, settings(), 2), Selector: ':2' } });
    const p = await getParameter(client(), `${PREFIX}settings`, 2);
    expect(ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: `${PREFIX}settings:2`, WithDecryption: false });
    expect(p).toMatchObject({ name: `${PREFIX}settings`, version: 2, value: JSON.stringify(settings()) });
  });

  it('says what an error without a message means', async () => {
    ssm.on(GetParameterCommand).rejects(ssmError('ParameterVersionNotFound', ''));
    await expect(getParameter(client(), `${PREFIX}settings`, 9)).rejects.toThrow(
      `ssm:GetParameter ${PREFIX}settings:9: ParameterVersionNotFound: no such version of the parameter`,
    );
  });
});
