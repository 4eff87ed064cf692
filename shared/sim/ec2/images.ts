// AMIs of the simulated region and the public SSM parameters that name them (research/aws-provider.md §b.5):
// EKS's AL2023 images (standard, nvidia, neuron for x86_64; standard, nvidia for arm64) and Bottlerocket's
// (standard and nvidia per architecture), for any Kubernetes minor version asked for, in every release so far.
// `latest`/`recommended` parameters point at the newest release; `release()` publishes a new one, which is how a
// scenario drifts running nodes onto a new AMI. Image ids are hashes of what the image is, so the same image has
// the same id in every run. Custom images and parameters can be added for `id`/`tags`/`ssmParameter` terms.

import type { DescribeImagesCommandInput, DescribeImagesResult, Image } from '@aws-sdk/client-ec2';
import type { Parameter } from '@aws-sdk/client-ssm';
import { fnv1a64 } from '../../core/hash.js';
import { applyFilters, type FilterFields, paginate, QueryError } from './query.js';

type Family = 'al2023' | 'bottlerocket';
type Arch = 'x86_64' | 'arm64';
type Variant = 'standard' | 'nvidia' | 'neuron';

interface Release {
  readonly version: string;
  readonly at: number;
}

interface ImageSpec {
  readonly family: Family;
  readonly k8s: string;
  readonly arch: Arch;
  readonly variant: Variant;
  readonly release: Release;
}

/** The accounts that publish EKS's AL2023 AMIs and Bottlerocket's in us-east-1. */
const EKS_AMI_OWNER = '602401143452';
const BOTTLEROCKET_OWNER = '092701018921';
const DAY = 24 * 60 * 60_000;
/** EKS deprecates an AMI about two years after release; no simulated run comes near that. */
const DEPRECATE_AFTER = 730 * DAY;
/** Two releases exist at the start, a fortnight apart: pinned older versions resolve too. */
const INITIAL_RELEASE_AGES = [21 * DAY, 7 * DAY];
const BOTTLEROCKET_INITIAL = [39, 40];

const AL2023_PATH =
  /^\/aws\/service\/eks\/optimized-ami\/(\d+\.\d+)\/amazon-linux-2023\/(x86_64|arm64)\/(standard|nvidia|neuron)\/([^/]+)\/image_id$/;
const BOTTLEROCKET_PATH =
  /^\/aws\/service\/bottlerocket\/aws-k8s-(\d+\.\d+)(-nvidia)?\/(x86_64|arm64)\/([^/]+)\/image_id$/;

const IMAGE_FILTERS: FilterFields<Image> = {
  'image-id': (i) => [i.ImageId],
  name: (i) => [i.Name],
  state: (i) => [i.State],
  architecture: (i) => [i.Architecture],
  'owner-id': (i) => [i.OwnerId],
  'owner-alias': (i) => [i.ImageOwnerAlias],
  'is-public': (i) => [String(i.Public)],
  'image-type': (i) => [i.ImageType],
  description: (i) => [i.Description],
  'virtualization-type': (i) => [i.VirtualizationType],
};

function dateVersion(at: number): string {
  return `v${new Date(at).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

function variantsOf(family: Family, arch: Arch): Variant[] {
  // EKS publishes no arm64 Neuron AMI; Bottlerocket's standard image carries the Neuron driver itself.
  if (family === 'bottlerocket') return ['standard', 'nvidia'];
  return arch === 'arm64' ? ['standard', 'nvidia'] : ['standard', 'nvidia', 'neuron'];
}

function imageName(s: ImageSpec): string {
  if (s.family === 'al2023') return `amazon-eks-node-al2023-${s.arch}-${s.variant}-${s.k8s}-${s.release.version}`;
  const flavour = s.variant === 'nvidia' ? '-nvidia' : '';
  const build = fnv1a64(`${s.k8s}|${s.release.version}`).slice(0, 8);
  return `bottlerocket-aws-k8s-${s.k8s}${flavour}-${s.arch}-v${s.release.version}-${build}`;
}

export class SimImages {
  private readonly releases: Record<Family, Release[]>;
  private readonly k8sVersions = new Set<string>();
  private readonly custom: Image[] = [];
  private readonly parameters = new Map<string, string>();

  constructor(
    private readonly account: string,
    private readonly region: string,
    kubernetesVersion: string,
    start: number,
  ) {
    this.k8sVersions.add(kubernetesVersion);
    const ats = INITIAL_RELEASE_AGES.map((age) => start - age);
    this.releases = {
      al2023: ats.map((at) => ({ version: dateVersion(at), at })),
      bottlerocket: ats.map((at, i) => ({ version: `1.${BOTTLEROCKET_INITIAL[i]}.0`, at })),
    };
  }

  /** Publishes a new release of both families at `at`; `latest` now names it. Returns the new versions. */
  release(at: number): Record<Family, string> {
    const al = this.releases.al2023;
    const last = (al.at(-1) as Release).version;
    // Two releases on one day would share a name: the later one takes the next free day's.
    let day = at;
    while (dateVersion(day) <= last) day += DAY;
    al.push({ version: dateVersion(day), at });
    const rocket = this.releases.bottlerocket;
    const minor = Number((rocket.at(-1) as Release).version.split('.')[1]) + 1;
    rocket.push({ version: `1.${minor}.0`, at });
    return { al2023: dateVersion(day), bottlerocket: `1.${minor}.0` };
  }

  /** Adds an image (a team's own AMI for `id`, `name` or `tags` terms). */
  register(image: Image): void {
    this.custom.push(structuredClone(image));
  }

  /** Sets a custom SSM parameter (an `ssmParameter` AMI term). */
  setParameter(name: string, value: string): void {
    this.parameters.set(name, value);
  }

  private specs(): ImageSpec[] {
    const out: ImageSpec[] = [];
    for (const family of ['al2023', 'bottlerocket'] as const) {
      for (const k8s of this.k8sVersions) {
        for (const release of this.releases[family]) {
          for (const arch of ['x86_64', 'arm64'] as const) {
            for (const variant of variantsOf(family, arch)) out.push({ family, k8s, arch, variant, release });
          }
        }
      }
    }
    return out;
  }

  private toImage(s: ImageSpec): Image {
    const name = imageName(s);
    const owner = s.family === 'al2023' ? EKS_AMI_OWNER : BOTTLEROCKET_OWNER;
    return {
      ImageId: `ami-0${fnv1a64(name).slice(0, 16)}`,
      Name: name,
      Description: `EKS ${s.family === 'al2023' ? 'AL2023' : 'Bottlerocket'} ${s.variant} node, Kubernetes ${s.k8s}`,
      Architecture: s.arch,
      CreationDate: new Date(s.release.at).toISOString(),
      DeprecationTime: new Date(s.release.at + DEPRECATE_AFTER).toISOString(),
      ImageLocation: `amazon/${name}`,
      ImageType: 'machine',
      Public: true,
      OwnerId: owner,
      ImageOwnerAlias: 'amazon',
      PlatformDetails: 'Linux/UNIX',
      UsageOperation: 'RunInstances',
      State: 'available',
      RootDeviceName: '/dev/xvda',
      RootDeviceType: 'ebs',
      VirtualizationType: 'hvm',
      Hypervisor: 'xen',
      EnaSupport: true,
      SriovNetSupport: 'simple',
      BootMode: s.arch === 'arm64' ? 'uefi' : 'uefi-preferred',
      ImdsSupport: 'v2.0',
      BlockDeviceMappings: [
        {
          DeviceName: '/dev/xvda',
          Ebs: { DeleteOnTermination: true, VolumeSize: 20, VolumeType: 'gp3', Encrypted: false },
        },
      ],
      Tags: [],
    };
  }

  private all(): Image[] {
    return [...this.specs().map((s) => this.toImage(s)), ...structuredClone(this.custom)];
  }

  image(id: string): Image | undefined {
    return this.all().find((i) => i.ImageId === id);
  }

  /** The image a public parameter names, or undefined when no such parameter exists. */
  private resolve(name: string): { spec: ImageSpec; version: number } | undefined {
    const al = AL2023_PATH.exec(name);
    const rocket = al ? null : BOTTLEROCKET_PATH.exec(name);
    if (!al && !rocket) return undefined;
    const family: Family = al ? 'al2023' : 'bottlerocket';
    const [k8s, arch, variant, tag] = al
      ? [al[1], al[2] as Arch, al[3] as Variant, al[4]]
      : [rocket?.[1], rocket?.[3] as Arch, (rocket?.[2] ? 'nvidia' : 'standard') as Variant, rocket?.[4]];
    if (k8s === undefined || tag === undefined || !variantsOf(family, arch).includes(variant)) return undefined;
    this.k8sVersions.add(k8s);
    const releases = this.releases[family];
    const latest = family === 'al2023' ? 'recommended' : 'latest';
    const index =
      tag === latest
        ? releases.length - 1
        : releases.findIndex((r) => imageName({ family, k8s, arch, variant, release: r }) === tag || r.version === tag);
    const release = releases[index];
    return release === undefined ? undefined : { spec: { family, k8s, arch, variant, release }, version: index + 1 };
  }

  getParameter(name: string): Parameter | undefined {
    const custom = this.parameters.get(name);
    const found = custom === undefined ? this.resolve(name) : undefined;
    const value = custom ?? (found ? this.toImage(found.spec).ImageId : undefined);
    if (value === undefined) return undefined;
    return {
      Name: name,
      Type: 'String',
      Value: value,
      Version: found?.version ?? 1,
      LastModifiedDate: new Date(found?.spec.release.at ?? 0),
      ARN: `arn:aws:ssm:${this.region}::parameter${name}`,
      DataType: 'text',
    };
  }

  describeImages(input: DescribeImagesCommandInput, now: number): DescribeImagesResult {
    const ids = input.ImageIds ?? [];
    const malformed = ids.find((id) => !/^ami-[0-9a-f]{8,17}$/.test(id));
    if (malformed) throw new QueryError('InvalidAMIID.Malformed', `Invalid id: "${malformed}"`);
    const images = this.all();
    const missing = ids.find((id) => !images.some((i) => i.ImageId === id));
    if (missing) throw new QueryError('InvalidAMIID.NotFound', `The image id '[${missing}]' does not exist`);
    const owners = input.Owners ?? [];
    const owned = (i: Image) =>
      owners.length === 0 ||
      owners.some((o) => (o === 'self' ? i.OwnerId === this.account : o === i.ImageOwnerAlias || o === i.OwnerId));
    // Deprecated images are hidden from searches unless asked for; an explicit id always finds its image.
    const visible = (i: Image) =>
      ids.length > 0 || input.IncludeDeprecated === true || Date.parse(i.DeprecationTime ?? '') > now;
    const candidates = images.filter((i) => (ids.length === 0 || ids.includes(i.ImageId as string)) && owned(i));
    const matched = applyFilters(candidates.filter(visible), input.Filters, IMAGE_FILTERS, (i) => i.Tags);
    const page = paginate(matched, input, { operation: 'DescribeImages', min: 5, max: 1000 });
    return { Images: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }
}
