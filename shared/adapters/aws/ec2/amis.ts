// AMIs of a node class (research/aws-provider.md §b.4): an alias resolves through the public SSM parameters
// (ami-aliases.ts); `ssmParameter` terms through the user's parameters; `id`, `name`/`owner` and `tags` terms
// through DescribeImages. One AMI is kept per architecture (and variant, for aliases): a non-deprecated image
// beats a deprecated one, then the newest CreationDate wins, then the higher name. Each instance type then
// launches with the AMI of its architecture and accelerator variant.

import type { Image } from '@aws-sdk/client-ec2';
import { LABEL_ARCH, LABEL_INSTANCE_ACCELERATOR_COUNT, LABEL_INSTANCE_GPU_COUNT } from '../../../core/labels.js';
import type { InstanceType } from '../../../core/model/instancetype.js';
import { TtlCache } from '../ttl-cache.js';
import { AMIS_TTL, CUSTOM_SSM_PARAMETER_TTL } from '../ttls.js';
import { type AmiVariant, aliasParameters, SsmParameterCache } from './ami-aliases.js';
import { type AmiParameterApi, collectPages, type Ec2Api } from './api.js';
import { selectorQueries, termsKey } from './selectors.js';

export interface Ami {
  readonly id: string;
  readonly arch: string;
  /** Set for AMIs found through an alias: the accelerator variants the image serves. */
  readonly variants?: readonly AmiVariant[];
  readonly name?: string;
  readonly creationDate?: string;
  readonly deprecated?: boolean;
}

export interface AmiTerm {
  readonly alias?: string | undefined;
  readonly id?: string | undefined;
  readonly name?: string | undefined;
  readonly owner?: string | undefined;
  readonly tags?: Readonly<Record<string, string>> | undefined;
  readonly ssmParameter?: string | undefined;
}

/** DescribeImages' maximum page size. */
const IMAGES_PAGE_SIZE = 1000;
const IMAGE_ARCH: Readonly<Record<string, string>> = { x86_64: 'amd64', arm64: 'arm64' };

function toAmi(image: Image, now: number): Ami[] {
  const arch = image.Architecture === undefined ? undefined : IMAGE_ARCH[image.Architecture];
  if (image.ImageId === undefined || arch === undefined) return [];
  const deprecatedAt = image.DeprecationTime === undefined ? undefined : Date.parse(image.DeprecationTime);
  return [
    {
      id: image.ImageId,
      arch,
      ...(image.Name === undefined ? {} : { name: image.Name }),
      ...(image.CreationDate === undefined ? {} : { creationDate: image.CreationDate }),
      deprecated: deprecatedAt !== undefined && deprecatedAt <= now,
    },
  ];
}

/** True when `a` should be kept over `b`: not deprecated, then newer, then the higher name. */
function preferred(a: Ami, b: Ami): boolean {
  if (Boolean(a.deprecated) !== Boolean(b.deprecated)) return !a.deprecated;
  const byDate = (a.creationDate ?? '').localeCompare(b.creationDate ?? '');
  if (byDate !== 0) return byDate > 0;
  return (a.name ?? '') > (b.name ?? '');
}

/** The best AMI of each architecture, by `preferred`. */
export function newestPerArch(amis: readonly Ami[]): Ami[] {
  const best = new Map<string, Ami>();
  for (const ami of amis) {
    const current = best.get(ami.arch);
    if (current === undefined || preferred(ami, current)) best.set(ami.arch, ami);
  }
  return [...best.values()];
}

/** The accelerator variant an instance type needs, from its labels (as Karpenter's AMI requirements). */
export function variantOf(type: InstanceType): AmiVariant {
  if (type.labels[LABEL_INSTANCE_GPU_COUNT] !== undefined) return 'nvidia';
  if (type.labels[LABEL_INSTANCE_ACCELERATOR_COUNT] !== undefined) return 'neuron';
  return 'standard';
}

/** The AMI `type` launches with, or undefined when none suits its architecture and variant. */
export function amiFor(amis: readonly Ami[], type: InstanceType): Ami | undefined {
  const arch = type.labels[LABEL_ARCH];
  const variant = variantOf(type);
  return amis.find((a) => a.arch === arch && (a.variants === undefined || a.variants.includes(variant)));
}

export interface AmiDiscoveryDeps {
  readonly ec2: Pick<Ec2Api, 'describeImages'>;
  readonly ssm: AmiParameterApi;
}

/** AMIs per node class's terms, cached AMIS_TTL; SSM values cached on their own TTLs. */
export class AmiDiscovery {
  private readonly cache = new TtlCache<string, readonly Ami[]>(AMIS_TTL);
  private readonly publicParameters: SsmParameterCache;
  private readonly customParameters: SsmParameterCache;

  constructor(private readonly deps: AmiDiscoveryDeps) {
    this.publicParameters = new SsmParameterCache(deps.ssm);
    this.customParameters = new SsmParameterCache(deps.ssm, CUSTOM_SSM_PARAMETER_TTL);
  }

  /** The node class's AMIs for Kubernetes minor version `k8s`; empty when nothing matches (no launch). */
  get(terms: readonly AmiTerm[], k8s: string, now: number): Promise<readonly Ami[]> {
    return this.cache.getOrLoad(`${k8s}|${termsKey(terms)}`, now, () => this.resolve(terms, k8s, now));
  }

  private async resolve(terms: readonly AmiTerm[], k8s: string, now: number): Promise<Ami[]> {
    const alias = terms.find((t) => t.alias !== undefined)?.alias;
    if (alias !== undefined) return this.resolveAlias(alias, k8s, now);
    const fromParameters: AmiTerm[] = [];
    for (const t of terms) {
      if (t.ssmParameter === undefined) continue;
      const id = await this.customParameters.get(t.ssmParameter, now);
      if (id?.startsWith('ami-')) fromParameters.push({ id });
    }
    const selectable = [...terms.filter((t) => t.ssmParameter === undefined), ...fromParameters];
    const images: Ami[] = [];
    for (const query of selectorQueries(selectable, { id: 'image-id', name: 'name' })) {
      const found = await collectPages(
        (NextToken) =>
          this.deps.ec2.describeImages({
            Filters: [...query.filters, { Name: 'state', Values: ['available'] }],
            ...(query.owners === undefined ? {} : { Owners: query.owners }),
            IncludeDeprecated: true,
            MaxResults: IMAGES_PAGE_SIZE,
            ...(NextToken === undefined ? {} : { NextToken }),
          }),
        (page) => page.Images,
      );
      images.push(...found.flatMap((image) => toAmi(image, now)));
    }
    return newestPerArch(images);
  }

  private async resolveAlias(alias: string, k8s: string, now: number): Promise<Ami[]> {
    const amis: Ami[] = [];
    for (const parameter of aliasParameters(alias, k8s) ?? []) {
      const id = await this.publicParameters.get(parameter.name, now);
      if (id !== undefined) amis.push({ id, arch: parameter.arch, variants: parameter.variants });
    }
    return amis;
  }
}
