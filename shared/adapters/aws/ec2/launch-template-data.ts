// The content of a launch template (research/aws-provider.md §b.6): AMI, instance profile, user data, block
// devices, IMDS options, security groups, monitoring, and the tags of the network interfaces it creates. The
// template's name is a hash of this content, so equal content is one template and re-creating it is idempotent.

import type { LaunchTemplateBlockDeviceMappingRequest, RequestLaunchTemplateData } from '@aws-sdk/client-ec2';
import type { NodeClassDocument } from '../../../config/nodeclass-schema.js';
import { canonicalJson, fnv1a64 } from '../../../core/hash.js';
import { canonicalQuantity } from '../../../core/resources/quantity.js';
import { EPHEMERAL_STORAGE } from '../../../core/resources/resources.js';
import { tagSpecifications } from './tags.js';

export type NodeClassSpec = NodeClassDocument['spec'];
type BlockDevice = NonNullable<NodeClassSpec['blockDeviceMappings']>[number];

const GIB = 2 ** 30;
/** The root volume AL2023 and the data volume Bottlerocket get without mappings: Karpenter's `DefaultEBS`. */
const DEFAULT_VOLUME: BlockDevice['ebs'] = { volumeSize: '20Gi', volumeType: 'gp3', encrypted: true };
/** Bottlerocket's OS volume: small, the data volume holds images and pods. */
const BOTTLEROCKET_OS_VOLUME: BlockDevice['ebs'] = { volumeSize: '4Gi', volumeType: 'gp3', encrypted: true };

/** Karpenter's default mappings per family; Custom AMIs keep the AMI's own. */
function defaultBlockDevices(family: string): BlockDevice[] {
  if (family === 'AL2023') return [{ deviceName: '/dev/xvda', rootVolume: true, ebs: DEFAULT_VOLUME }];
  if (family === 'Bottlerocket') {
    return [
      { deviceName: '/dev/xvda', rootVolume: true, ebs: BOTTLEROCKET_OS_VOLUME },
      { deviceName: '/dev/xvdb', rootVolume: false, ebs: DEFAULT_VOLUME },
    ];
  }
  return [];
}

/** EC2's VolumeSize is whole GiB; a size given in G or T is rounded up. */
function volumeGiB(size: string): number {
  return Math.ceil(canonicalQuantity(EPHEMERAL_STORAGE, size) / GIB);
}

function blockDeviceMapping({ deviceName, ebs }: BlockDevice): LaunchTemplateBlockDeviceMappingRequest {
  if (ebs === undefined) return { DeviceName: deviceName };
  return {
    DeviceName: deviceName,
    Ebs: {
      ...(ebs.volumeSize === undefined ? {} : { VolumeSize: volumeGiB(ebs.volumeSize) }),
      ...(ebs.volumeType === undefined ? {} : { VolumeType: ebs.volumeType }),
      ...(ebs.iops === undefined ? {} : { Iops: ebs.iops }),
      ...(ebs.throughput === undefined ? {} : { Throughput: ebs.throughput }),
      ...(ebs.encrypted === undefined ? {} : { Encrypted: ebs.encrypted }),
      ...(ebs.kmsKeyID === undefined ? {} : { KmsKeyId: ebs.kmsKeyID }),
      ...(ebs.deleteOnTermination === undefined ? {} : { DeleteOnTermination: ebs.deleteOnTermination }),
      ...(ebs.snapshotID === undefined ? {} : { SnapshotId: ebs.snapshotID }),
    },
  };
}

export interface LaunchTemplateInput {
  readonly spec: NodeClassSpec;
  /** The node class's resolved family (an alias implies it). */
  readonly family: string;
  readonly imageId: string;
  readonly instanceProfile: string;
  readonly securityGroupIds: readonly string[];
  /** Plain text; encoded here. */
  readonly userData: string;
  /** Tags for the network interfaces the instance creates (CreateFleet tags instances, volumes and the fleet). */
  readonly tags: Readonly<Record<string, string>>;
}

/** The `LaunchTemplateData` of a template. */
export function launchTemplateData(input: LaunchTemplateInput): RequestLaunchTemplateData {
  const { spec } = input;
  const metadata = spec.metadataOptions;
  const devices = spec.blockDeviceMappings ?? defaultBlockDevices(input.family);
  const groups = [...input.securityGroupIds];
  // A public-IP choice needs an explicit primary interface, which then carries the groups.
  const network =
    spec.associatePublicIPAddress === undefined
      ? { SecurityGroupIds: groups }
      : {
          NetworkInterfaces: [
            { DeviceIndex: 0, AssociatePublicIpAddress: spec.associatePublicIPAddress, Groups: groups },
          ],
        };
  return {
    ImageId: input.imageId,
    IamInstanceProfile: { Name: input.instanceProfile },
    UserData: Buffer.from(input.userData, 'utf8').toString('base64'),
    ...(devices.length === 0 ? {} : { BlockDeviceMappings: devices.map(blockDeviceMapping) }),
    MetadataOptions: {
      HttpEndpoint: metadata.httpEndpoint,
      HttpProtocolIpv6: metadata.httpProtocolIPv6,
      HttpPutResponseHopLimit: metadata.httpPutResponseHopLimit,
      HttpTokens: metadata.httpTokens,
      // Instance tags in IMDS would expose ownership tags to every pod that can reach IMDS; Karpenter never sets it.
      InstanceMetadataTags: 'disabled',
    },
    Monitoring: { Enabled: spec.detailedMonitoring ?? false },
    ...network,
    TagSpecifications: tagSpecifications(['network-interface'], input.tags),
  };
}

/** EC2 caps launch-template names at 128 characters. */
const MAX_NAME_LENGTH = 128;

/** `fleetwright/<cluster>/<hash of the content>`. */
export function launchTemplateName(cluster: string, data: RequestLaunchTemplateData): string {
  return `fleetwright/${cluster}/${fnv1a64(canonicalJson(data))}`.slice(0, MAX_NAME_LENGTH);
}
