// AMI aliases (`al2023@latest`, `bottlerocket@v1.20.0`) -> the public SSM parameters EKS and Bottlerocket
// publish, one per architecture and variant (research/aws-provider.md §b.5), and their values. A parameter that
// does not exist (some variant/architecture pairs never do, e.g. arm64 Neuron) is skipped. Values are cached
// PUBLIC_SSM_PARAMETER_TTL: a new `latest` AMI reaches new launches within a day, and running nodes through drift.

import { isNotFound } from '../errors.js';
import { TtlCache } from '../ttl-cache.js';
import { PUBLIC_SSM_PARAMETER_TTL } from '../ttls.js';
import type { AmiParameterApi } from './api.js';

/** What the AMI is built for: plain nodes, NVIDIA GPUs, or AWS Neuron accelerators. */
export type AmiVariant = 'standard' | 'nvidia' | 'neuron';

/** A public parameter and the architecture and variants the AMI it names serves. */
export interface AliasParameter {
  readonly name: string;
  /** `kubernetes.io/arch` value. */
  readonly arch: 'amd64' | 'arm64';
  readonly variants: readonly AmiVariant[];
}

const EC2_ARCH = { amd64: 'x86_64', arm64: 'arm64' } as const;
const ARCHES: readonly ('amd64' | 'arm64')[] = ['amd64', 'arm64'];
const LATEST = 'latest';

function al2023Parameters(version: string, k8s: string): AliasParameter[] {
  const out: AliasParameter[] = [];
  for (const arch of ARCHES) {
    const ec2Arch = EC2_ARCH[arch];
    for (const variant of ['standard', 'nvidia', 'neuron'] as const) {
      // EKS publishes no arm64 Neuron AMI (Inferentia and Trainium hosts are x86_64).
      if (arch === 'arm64' && variant === 'neuron') continue;
      // `latest` is spelled `recommended` in the EKS parameter paths.
      const release =
        version === LATEST ? 'recommended' : `amazon-eks-node-al2023-${ec2Arch}-${variant}-${k8s}-${version}`;
      out.push({
        name: `/aws/service/eks/optimized-ami/${k8s}/amazon-linux-2023/${ec2Arch}/${variant}/${release}/image_id`,
        arch,
        variants: [variant],
      });
    }
  }
  return out;
}

function bottlerocketParameters(version: string, k8s: string): AliasParameter[] {
  // Bottlerocket's paths use the bare version: `bottlerocket@v1.20.0` -> `1.20.0`.
  const release = version === LATEST ? LATEST : version.replace(/^v/, '');
  return ARCHES.flatMap((arch): AliasParameter[] => [
    {
      // The standard image also carries the Neuron driver.
      name: `/aws/service/bottlerocket/aws-k8s-${k8s}/${EC2_ARCH[arch]}/${release}/image_id`,
      arch,
      variants: ['standard', 'neuron'],
    },
    {
      name: `/aws/service/bottlerocket/aws-k8s-${k8s}-nvidia/${EC2_ARCH[arch]}/${release}/image_id`,
      arch,
      variants: ['nvidia'],
    },
  ]);
}

/**
 * The parameters an alias names for Kubernetes minor version `k8s` ("1.33"), or undefined for an alias of a
 * family we do not launch (the config layer refuses those first).
 */
export function aliasParameters(alias: string, k8s: string): AliasParameter[] | undefined {
  const at = alias.indexOf('@');
  const family = alias.slice(0, at);
  const version = alias.slice(at + 1);
  if (at < 0 || version === '') return undefined;
  if (family === 'al2023') return al2023Parameters(version, k8s);
  if (family === 'bottlerocket') return bottlerocketParameters(version, k8s);
  return undefined;
}

/** Parameter values through SSM GetParameter, cached; a missing parameter is `undefined`. */
export class SsmParameterCache {
  private readonly cache: TtlCache<string, string | null>;

  constructor(
    private readonly api: AmiParameterApi,
    ttlMs: number = PUBLIC_SSM_PARAMETER_TTL,
  ) {
    this.cache = new TtlCache(ttlMs);
  }

  /** The parameter's value, or undefined when it does not exist (remembered, so it is not asked for again). */
  async get(name: string, now: number): Promise<string | undefined> {
    const value = await this.cache.getOrLoad(name, now, async () => {
      try {
        const { Parameter } = await this.api.getParameter({ Name: name });
        return Parameter?.Value ?? null;
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    });
    return value ?? undefined;
  }
}
