// How an EC2NodeClass picks its AMI: `amiFamily` (AL2023, Bottlerocket, Custom) and `amiSelectorTerms`
// (an alias such as "al2023@latest", or id / name / owner / tags / ssmParameter). An alias names the family,
// so `amiFamily` may be omitted with one. AL2 and Windows are refused with the reason.

import { z } from 'zod';
import type { AmiFamily } from '../core/model/nodepool.js';
import { alwaysCheck, checkedString, isPlainObject } from './fields.js';
import { describeValue } from './issues.js';
import { idField, MAX_TERMS, selectorTags, selectorTerm } from './selector-terms.js';

export const AMI_FAMILIES: readonly AmiFamily[] = ['AL2023', 'Bottlerocket', 'Custom'];

const AL2_REFUSED =
  'AL2 is not supported: Amazon Linux 2 is unsupported on current Kubernetes versions (EKS publishes no AL2 AMIs for 1.33 and later), as in Karpenter; use AL2023';
const WINDOWS_REFUSED = 'Windows AMI families are not supported: fleetwright launches Linux nodes only';

// Alias family (lower case, as written in "family@version") -> amiFamily.
const ALIAS_FAMILIES: Readonly<Record<string, AmiFamily>> = { al2023: 'AL2023', bottlerocket: 'Bottlerocket' };

export function amiFamilyProblem(value: string): string | undefined {
  if (value === 'AL2') return AL2_REFUSED;
  if (value.startsWith('Windows')) return WINDOWS_REFUSED;
  if ((AMI_FAMILIES as readonly string[]).includes(value)) return undefined;
  return `expected one of ${AMI_FAMILIES.join(', ')}, got ${describeValue(value)}`;
}

const ALIAS = /^([a-zA-Z0-9]+)@(.+)$/;
// "latest" or a pinned release: al2023@v20240807, bottlerocket@v1.20.0.
const ALIAS_VERSION = /^(latest|v[0-9]+(\.[0-9]+)*)$/;
const ALIAS_EXAMPLES = '"al2023@latest" or "bottlerocket@v1.20.0"';

function aliasProblem(alias: string): string | undefined {
  const match = ALIAS.exec(alias);
  if (!match) return `${describeValue(alias)} is not an alias, expected family@version such as ${ALIAS_EXAMPLES}`;
  const [, family, version] = match as unknown as [string, string, string];
  if (family === 'al2') return AL2_REFUSED;
  if (family.startsWith('windows')) return WINDOWS_REFUSED;
  if (!ALIAS_FAMILIES[family]) {
    return `${describeValue(family)} is not an AMI family, expected al2023 or bottlerocket (as in ${ALIAS_EXAMPLES})`;
  }
  if (!ALIAS_VERSION.test(version)) {
    return `${describeValue(version)} is not an AMI version, expected "latest" or a release such as "v20240807"`;
  }
  return undefined;
}

/** The family an alias implies ("al2023@latest" -> AL2023), or undefined for a malformed alias. */
export function aliasFamily(alias: string): AmiFamily | undefined {
  const family = ALIAS.exec(alias)?.[1];
  return family ? ALIAS_FAMILIES[family] : undefined;
}

const term = selectorTerm(
  {
    alias: checkedString(aliasProblem).optional(),
    id: idField('ami').optional(),
    name: z.string().min(1).optional(),
    owner: z.string().min(1).optional(),
    tags: selectorTags().optional(),
    ssmParameter: z.string().min(1).optional(),
  },
  ['alias', 'id'],
);

export const amiSelectorTermsSchema = alwaysCheck(
  z.array(term).min(1).max(MAX_TERMS),
  Array.isArray,
  (terms: unknown[], report) => {
    if (terms.length < 2) return;
    terms.forEach((t, i) => {
      if (isPlainObject(t) && t.alias !== undefined) {
        report([i, 'alias'], 'an alias must be the only AMI selector term: it already names one AMI per architecture');
      }
    });
  },
);
