// Karpenter v1beta1 NodePools and EC2NodeClasses -> v1, for what has one meaning in v1 (the "API Moves",
// renames and changed defaults of Karpenter's v1 migration guide). Each change leaves a note saying what
// v1 changed, so the user learns it once here rather than from a surprised cluster. What v1 cannot express
// (Ubuntu) is left for validation to refuse, with a note on what to do instead. Kubelet settings move to the
// node class in kubelet-move.ts, which needs the other documents.

import { isPlainObject } from '../fields.js';
import { NODECLASS_API_VERSION } from '../nodeclass-schema.js';
import { NODECLASS_GROUP, NODECLASS_KIND, NODEPOOL_API_VERSION } from '../nodepool-schema.js';
import { type Draft, ensureObject, note, objectAt } from './draft.js';

export const NODEPOOL_V1BETA1 = 'karpenter.sh/v1beta1';
export const NODECLASS_V1BETA1 = 'karpenter.k8s.aws/v1beta1';

const MIGRATION_GUIDE = 'https://karpenter.sh/docs/upgrading/v1-migration/';

// v1beta1 selected the newest EKS-optimized AMI of the family when amiSelectorTerms was empty; v1 says the
// same with an alias.
const LATEST_ALIAS: Readonly<Record<string, string>> = {
  AL2023: 'al2023@latest',
  AL2: 'al2@latest',
  Bottlerocket: 'bottlerocket@latest',
};

// v1 lowered the IMDS hop limit default from 2 to 1 (containers can no longer reach IMDS by default).
const V1BETA1_HOP_LIMIT = 2;

export function convertNodePool(draft: Draft): void {
  const { raw } = draft;
  raw.apiVersion = NODEPOOL_API_VERSION;
  note(
    draft,
    ['apiVersion'],
    `${NODEPOOL_V1BETA1} converted to ${NODEPOOL_API_VERSION}: the changes that apply follow (all of them: ${MIGRATION_GUIDE}); ` +
      'note that in v1, as in fleetwright, expiration is forceful: an expired node is drained even when PDBs or do-not-disrupt pods would block it',
  );
  // A document without a template is left for validation to report as it stands.
  const templateSpec = objectAt(raw, ['spec', 'template', 'spec']);
  if (!templateSpec) return;
  convertNodeClassRef(draft, templateSpec);
  if (templateSpec.resources !== undefined) {
    delete templateSpec.resources;
    note(draft, ['spec', 'template', 'spec', 'resources'], 'not carried over: removed in karpenter.sh/v1');
  }
  const disruption = objectAt(raw, ['spec', 'disruption']);
  if (!disruption) return;
  moveExpireAfter(draft, disruption, templateSpec);
  if (disruption.consolidationPolicy === 'WhenUnderutilized') {
    disruption.consolidationPolicy = 'WhenEmptyOrUnderutilized';
    note(
      draft,
      ['spec', 'disruption', 'consolidationPolicy'],
      'WhenUnderutilized is renamed WhenEmptyOrUnderutilized in v1',
    );
    // v1beta1 refused consolidateAfter with WhenUnderutilized: consolidation started at once.
    if (disruption.consolidateAfter === undefined) {
      disruption.consolidateAfter = '0s';
      note(
        draft,
        ['spec', 'disruption', 'consolidateAfter'],
        'set to 0s, what WhenUnderutilized did in v1beta1 (v1 requires it)',
      );
    }
  }
}

function convertNodeClassRef(draft: Draft, templateSpec: Record<string, unknown>): void {
  const ref = templateSpec.nodeClassRef;
  if (!isPlainObject(ref) || ref.apiVersion === undefined) return;
  const { apiVersion, ...rest } = ref;
  const group =
    typeof apiVersion === 'string' && apiVersion.includes('/')
      ? apiVersion.slice(0, apiVersion.indexOf('/'))
      : NODECLASS_GROUP;
  templateSpec.nodeClassRef = { group, ...(rest.kind === undefined ? { kind: NODECLASS_KIND } : {}), ...rest };
  note(
    draft,
    ['spec', 'template', 'spec', 'nodeClassRef'],
    `apiVersion ${JSON.stringify(apiVersion)} becomes group ${JSON.stringify(group)}: v1 names the group, not the version, and requires group, kind and name`,
  );
}

function moveExpireAfter(
  draft: Draft,
  disruption: Record<string, unknown>,
  templateSpec: Record<string, unknown>,
): void {
  if (disruption.expireAfter === undefined) return;
  // Both set: which one the user meant is not ours to guess; validation refuses the old place with a
  // sentence, and import drops it with that sentence.
  if (templateSpec.expireAfter !== undefined) return;
  templateSpec.expireAfter = disruption.expireAfter;
  delete disruption.expireAfter;
  note(draft, ['spec', 'disruption', 'expireAfter'], 'moved to spec.template.spec.expireAfter, its place in v1');
}

export function convertNodeClass(draft: Draft): void {
  const { raw } = draft;
  raw.apiVersion = NODECLASS_API_VERSION;
  note(
    draft,
    ['apiVersion'],
    `${NODECLASS_V1BETA1} converted to ${NODECLASS_API_VERSION}: the changes that apply follow (all of them: ${MIGRATION_GUIDE})`,
  );
  const spec = objectAt(raw, ['spec']);
  if (!spec) return;
  const family = spec.amiFamily;
  if (family === 'Ubuntu') {
    note(
      draft,
      ['spec', 'amiFamily'],
      'Ubuntu was dropped as an AMI family in v1: use amiFamily Custom, amiSelectorTerms that select your Ubuntu AMI, and userData that joins the node to the cluster',
    );
  }
  const terms = spec.amiSelectorTerms;
  const alias = typeof family === 'string' ? LATEST_ALIAS[family] : undefined;
  if ((terms === undefined || (Array.isArray(terms) && terms.length === 0)) && alias) {
    spec.amiSelectorTerms = [{ alias }];
    note(
      draft,
      ['spec', 'amiSelectorTerms'],
      `set to [{"alias":"${alias}"}], what amiFamily ${family} without terms selected in v1beta1 (v1 requires the terms); pin a version such as "${alias.replace('latest', 'v20240807')}" to control AMI updates`,
    );
  }
  const metadataOptions = ensureObject(spec, ['metadataOptions']);
  if (metadataOptions.httpPutResponseHopLimit === undefined) {
    metadataOptions.httpPutResponseHopLimit = V1BETA1_HOP_LIMIT;
    note(
      draft,
      ['spec', 'metadataOptions', 'httpPutResponseHopLimit'],
      "set to 2, v1beta1's default: v1's default is 1, which keeps containers from reaching IMDS; remove it to take that default",
    );
  }
}
