// The SSM Parameter Store calls fleetwright makes, each paginated to the end and each failure named
// (errors.ts). Values are plain `String` parameters, never decrypted: config documents hold no secrets,
// and leaving out WithDecryption keeps kms:Decrypt out of the controller's policy.

import {
  DeleteParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  type ParameterTier,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { callSsm, SsmCallError } from './errors.js';

/** The API's page size limits: GetParametersByPath returns at most 10 per page, GetParameterHistory 50. */
const PATH_PAGE_SIZE = 10;
const HISTORY_PAGE_SIZE = 50;
/** DeleteParameters takes at most 10 names per call. */
const DELETE_BATCH = 10;

/** Standard-tier parameters hold 4 KB (4096 characters), Advanced 8 KB; fleetwright refuses larger. */
export const STANDARD_TIER_MAX_BYTES = 4096;
export const ADVANCED_TIER_MAX_BYTES = 8192;

export interface StoredParameter {
  readonly name: string;
  readonly value: string;
  readonly version: number;
  readonly lastModified?: Date;
}

export interface ParameterVersion {
  readonly version: number;
  readonly value: string;
  readonly tier?: ParameterTier;
  readonly labels: readonly string[];
}

/** Every parameter under `path` (recursively), in the order SSM returns them. */
export async function listParameters(client: SSMClient, path: string): Promise<StoredParameter[]> {
  const found: StoredParameter[] = [];
  let token: string | undefined;
  do {
    const page = await callSsm('ssm:GetParametersByPath', path, () =>
      client.send(
        new GetParametersByPathCommand({
          Path: path,
          Recursive: true,
          WithDecryption: false,
          MaxResults: PATH_PAGE_SIZE,
          NextToken: token,
        }),
      ),
    );
    for (const p of page.Parameters ?? []) {
      if (p.Name === undefined || p.Value === undefined || p.Version === undefined) continue;
      found.push({
        name: p.Name,
        value: p.Value,
        version: p.Version,
        ...(p.LastModifiedDate ? { lastModified: p.LastModifiedDate } : {}),
      });
    }
    token = page.NextToken;
  } while (token);
  return found;
}

/** Every retained version of a parameter, oldest first (SSM keeps the last 100). */
export async function parameterHistory(client: SSMClient, name: string): Promise<ParameterVersion[]> {
  const versions: ParameterVersion[] = [];
  let token: string | undefined;
  do {
    const page = await callSsm('ssm:GetParameterHistory', name, () =>
      client.send(
        new GetParameterHistoryCommand({
          Name: name,
          WithDecryption: false,
          MaxResults: HISTORY_PAGE_SIZE,
          NextToken: token,
        }),
      ),
    );
    for (const p of page.Parameters ?? []) {
      if (p.Version === undefined || p.Value === undefined) continue;
      versions.push({
        version: p.Version,
        value: p.Value,
        labels: p.Labels ?? [],
        ...(p.Tier ? { tier: p.Tier } : {}),
      });
    }
    token = page.NextToken;
  } while (token);
  return versions.sort((a, b) => a.version - b.version);
}

/** One parameter, at `version` when given (the `name:version` selector), else its current version. */
export async function getParameter(client: SSMClient, name: string, version?: number): Promise<StoredParameter> {
  const selector = version === undefined ? name : `${name}:${version}`;
  const result = await callSsm('ssm:GetParameter', selector, () =>
    client.send(new GetParameterCommand({ Name: selector, WithDecryption: false })),
  );
  const p = result.Parameter;
  if (p?.Value === undefined || p.Version === undefined) {
    throw new SsmCallError('ssm:GetParameter', selector, 'EmptyResponse', 'the response holds no parameter value');
  }
  return {
    name,
    value: p.Value,
    version: p.Version,
    ...(p.LastModifiedDate ? { lastModified: p.LastModifiedDate } : {}),
  };
}

/**
 * The tier a value needs: Standard up to 4 KB, else Advanced. A parameter that is Advanced stays Advanced,
 * because SSM refuses to move a parameter down a tier.
 */
export function chooseTier(valueBytes: number, currentTier?: ParameterTier): ParameterTier {
  if (valueBytes > STANDARD_TIER_MAX_BYTES || currentTier === 'Advanced') return 'Advanced';
  return 'Standard';
}

export function byteLength(value: string): number {
  return new TextEncoder().encode(value).length;
}

/** Creates or overwrites a String parameter; returns its new version. Values over 8 KB are refused here. */
export async function putParameter(
  client: SSMClient,
  name: string,
  value: string,
  tier: ParameterTier,
): Promise<{ version: number; tier: ParameterTier }> {
  const bytes = byteLength(value);
  if (bytes > ADVANCED_TIER_MAX_BYTES) {
    throw new SsmCallError(
      'ssm:PutParameter',
      name,
      'ValueTooLarge',
      `the value is ${bytes} bytes; SSM parameters hold at most 8 KB (Advanced tier), so it was not sent`,
    );
  }
  const result = await callSsm('ssm:PutParameter', name, () =>
    client.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Tier: tier, Overwrite: true })),
  );
  return { version: result.Version ?? 0, tier: result.Tier ?? tier };
}

/** Deletes the named parameters, 10 per call; returns the names SSM did not know (already gone). */
export async function deleteParameters(client: SSMClient, names: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (let i = 0; i < names.length; i += DELETE_BATCH) {
    const batch = names.slice(i, i + DELETE_BATCH);
    const result = await callSsm('ssm:DeleteParameters', batch.join(', '), () =>
      client.send(new DeleteParametersCommand({ Names: batch })),
    );
    missing.push(...(result.InvalidParameters ?? []));
  }
  return missing;
}
