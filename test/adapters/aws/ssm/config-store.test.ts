import {
  GetParameterHistoryCommand,
  type GetParameterHistoryCommandInput,
  GetParametersByPathCommand,
  type GetParametersByPathCommandInput,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_TTL_MS, SsmConfigStore } from '../../../../shared/adapters/aws/ssm/config-store.js';
import { nodeClass, nodePool, settings } from '../../../config/builders.js';
import { historyEntry, historyPage, PREFIX, parameter, pathPage, ssmError } from './ssm-responses.js';

const ssm = mockClient(SSMClient);
const WEB = `${PREFIX}nodepools/web`;
const CLASS = parameter(`${PREFIX}nodeclasses/default`, nodeClass());

const pool = (name: string, weight = 1) => nodePool({ metadata: { name }, spec: { weight } });
const typo = (name: string) => nodePool({ metadata: { name }, spec: { template: { spec: { requirments: [] } } } });

let clock = 0;
function store() {
  return new SsmConfigStore({ client: new SSMClient({ region: 'us-east-1' }), prefix: PREFIX, now: () => clock });
}

/** Serves GetParametersByPath from pages keyed by the NextToken that asks for them ('' for the first). */
function servePages(pages: Record<string, ReturnType<typeof pathPage>>) {
  ssm.on(GetParametersByPathCommand).callsFake((input: GetParametersByPathCommandInput) => {
    const page = pages[input.NextToken ?? ''];
    if (!page) throw ssmError('ValidationException', 'The token is not valid.');
    return page;
  });
}

function serveHistory(pages: Record<string, ReturnType<typeof historyPage>>) {
  ssm.on(GetParameterHistoryCommand).callsFake((input: GetParameterHistoryCommandInput) => {
    const page = pages[`${input.Name} ${input.NextToken ?? ''}`];
    if (!page) throw ssmError('ParameterNotFound', '');
    return page;
  });
}

beforeEach(() => {
  ssm.reset();
  clock = 1_000_000;
});

describe('SsmConfigStore.load', () => {
  it('reads every page of the prefix, recursively and undecrypted, and applies every valid document', async () => {
    const pools = Array.from({ length: 11 }, (_, i) => parameter(`${PREFIX}nodepools/p${i}`, pool(`p${i}`)));
    const all = [CLASS, ...pools, parameter(`${PREFIX}settings`, settings({ paused: true }))];
    servePages({ '': pathPage(all.slice(0, 10), 'page-2'), 'page-2': pathPage(all.slice(10)) });
    const loaded = await store().load();
    expect(loaded.invalid).toEqual([]);
    expect(loaded.nodePools.map((p) => p.name)).toEqual(pools.map((_, i) => `p${i}`));
    expect(loaded.nodeClasses.map((c) => c.name)).toEqual(['default']);
    expect(loaded.settings.paused).toBe(true);
    expect(ssm).toHaveReceivedCommandTimes(GetParametersByPathCommand, 2);
    expect(ssm).toHaveReceivedNthCommandWith(GetParametersByPathCommand, 1, {
      Path: PREFIX,
      Recursive: true,
      WithDecryption: false,
      MaxResults: 10,
    });
    expect(ssm).toHaveReceivedNthCommandWith(GetParametersByPathCommand, 2, { NextToken: 'page-2' });
    expect(ssm).not.toHaveReceivedCommand(GetParameterHistoryCommand);
  });

  it('keeps the newest older version that validates when the current one does not, and says so', async () => {
    servePages({ '': pathPage([CLASS, parameter(WEB, typo('web'), 5)]) });
    // History comes oldest first, over two pages; version 4 is invalid too, so version 3 wins.
    serveHistory({
      [`${WEB} `]: historyPage([historyEntry(WEB, 1, pool('web', 10)), historyEntry(WEB, 2, pool('web', 20))], 'h2'),
      [`${WEB} h2`]: historyPage([
        historyEntry(WEB, 3, pool('web', 30)),
        historyEntry(WEB, 4, typo('web')),
        historyEntry(WEB, 5, typo('web')),
      ]),
    });
    const loaded = await store().load();
    expect(loaded.invalid).toEqual([
      {
        parameter: WEB,
        kind: 'NodePool',
        name: 'web',
        version: 5,
        errors: [
          '/fleetwright/prod/nodepools/web: NodePool/web: spec.template.spec.requirments: unknown field, did you mean "requirements"?',
        ],
        fallbackVersion: 3,
      },
    ]);
    expect(loaded.nodePools.map((p) => [p.name, p.weight])).toEqual([['web', 30]]);
    expect(loaded.documents).toContainEqual({
      parameter: WEB,
      kind: 'NodePool',
      name: 'web',
      version: 3,
      fallbackFrom: 5,
    });
    expect(ssm).toHaveReceivedCommandWith(GetParameterHistoryCommand, {
      Name: WEB,
      WithDecryption: false,
      MaxResults: 50,
    });
  });

  it('applies no version of a document none of whose versions validates, and reports it', async () => {
    servePages({ '': pathPage([CLASS, parameter(WEB, typo('web'), 2)]) });
    serveHistory({
      [`${WEB} `]: historyPage([historyEntry(WEB, 1, '{"kind": "NodePool"'), historyEntry(WEB, 2, typo('web'))]),
    });
    const loaded = await store().load();
    expect(loaded.nodePools).toEqual([]);
    expect(loaded.documents.map((d) => d.parameter)).toEqual([CLASS.Name]);
    expect(loaded.invalid).toHaveLength(1);
    expect(loaded.invalid[0]).not.toHaveProperty('fallbackVersion');
  });

  it('falls back from a value that is not JSON, and from a class whose history cannot be read it cannot', async () => {
    const broken = parameter(`${PREFIX}nodeclasses/default`, '{"apiVersion": ', 2);
    servePages({ '': pathPage([broken, parameter(WEB, pool('web'))]) });
    ssm
      .on(GetParameterHistoryCommand)
      .rejects(
        ssmError(
          'AccessDeniedException',
          'User: arn:aws:iam::123456789012:role/fleetwright is not authorized to perform: ssm:GetParameterHistory',
        ),
      );
    const loaded = await store().load();
    expect(loaded.invalid.map((d) => d.errors)).toEqual([
      [
        `${PREFIX}nodeclasses/default: cannot parse JSON: Unexpected end of JSON input`,
        `${PREFIX}nodeclasses/default: no older version could be looked up: ssm:GetParameterHistory ${PREFIX}nodeclasses/default: AccessDeniedException: User: arn:aws:iam::123456789012:role/fleetwright is not authorized to perform: ssm:GetParameterHistory`,
      ],
    ]);
    // The pool still names a class that exists, though no version of it can be applied.
    expect(loaded.nodePools.map((p) => p.name)).toEqual(['web']);
  });

  it('reports parameters under the prefix that are not documents of ours', async () => {
    servePages({ '': pathPage([CLASS, parameter(`${PREFIX}nodepools/web/old`, pool('web'))]) });
    const loaded = await store().load();
    expect(loaded.invalid.map((d) => d.errors)).toEqual([
      [
        `${PREFIX}nodepools/web/old: not a fleetwright document: expected ${PREFIX}nodepools/<name>, ${PREFIX}nodeclasses/<name> or ${PREFIX}settings`,
      ],
    ]);
  });

  it('refuses a pool whose node class is not stored, falling back to a version that names one', async () => {
    const other = nodePool({ spec: { template: { spec: { nodeClassRef: { name: 'gpu' } } } } });
    servePages({ '': pathPage([CLASS, parameter(WEB, other, 2)]) });
    serveHistory({ [`${WEB} `]: historyPage([historyEntry(WEB, 1, pool('web')), historyEntry(WEB, 2, other)]) });
    const loaded = await store().load();
    expect(loaded.invalid[0]?.errors).toEqual([
      `${WEB}: NodePool/web: spec.template.spec.nodeClassRef.name: no EC2NodeClass named "gpu" (given: default)`,
    ]);
    expect(loaded.invalid[0]?.fallbackVersion).toBe(1);
  });

  it('names the call when the prefix cannot be read', async () => {
    ssm.on(GetParametersByPathCommand).rejects(ssmError('ThrottlingException', 'Rate exceeded'));
    await expect(store().load()).rejects.toThrow(
      'ssm:GetParametersByPath /fleetwright/prod/: ThrottlingException: Rate exceeded',
    );
  });
});

describe('SsmConfigStore cache', () => {
  it(`serves loads from memory for ${CONFIG_TTL_MS / 1000} s, then reads the prefix again`, async () => {
    servePages({ '': pathPage([CLASS, parameter(WEB, pool('web'))]) });
    const s = store();
    const first = await s.load();
    clock += CONFIG_TTL_MS - 1;
    expect(await s.load()).toBe(first);
    expect(ssm).toHaveReceivedCommandTimes(GetParametersByPathCommand, 1);
    clock += 1;
    await s.load();
    expect(ssm).toHaveReceivedCommandTimes(GetParametersByPathCommand, 2);
    s.invalidate();
    await s.load();
    expect(ssm).toHaveReceivedCommandTimes(GetParametersByPathCommand, 3);
  });

  it('reads the history of an invalid version once, however many times the prefix is read', async () => {
    servePages({ '': pathPage([CLASS, parameter(WEB, typo('web'), 2)]) });
    serveHistory({ [`${WEB} `]: historyPage([historyEntry(WEB, 1, pool('web')), historyEntry(WEB, 2, typo('web'))]) });
    const s = store();
    await s.load();
    clock += CONFIG_TTL_MS;
    const again = await s.load();
    expect(again.invalid[0]?.fallbackVersion).toBe(1);
    expect(ssm).toHaveReceivedCommandTimes(GetParametersByPathCommand, 2);
    expect(ssm).toHaveReceivedCommandTimes(GetParameterHistoryCommand, 1);
  });
});
