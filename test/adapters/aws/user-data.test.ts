// User data per AMI family (research/aws-provider.md §b.9, §j.7), each checked by parsing it back: AL2023 as a
// MIME archive whose last part is the nodeadm NodeConfig, Bottlerocket as TOML, Custom unchanged.

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  type BootstrapInput,
  bootstrapLabels,
  renderUserData,
} from '../../../shared/adapters/aws/ec2/user-data/bootstrap.js';
import { readMime } from '../../../shared/adapters/aws/ec2/user-data/mime.js';
import { readToml, writeToml } from '../../../shared/adapters/aws/ec2/user-data/toml.js';
import { CLUSTER, plannedNode } from './aws-world.js';

function input(overrides: Partial<BootstrapInput> = {}): BootstrapInput {
  return {
    cluster: CLUSTER,
    labels: bootstrapLabels(plannedNode()),
    taints: [
      { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
      { key: 'example.com/booting', effect: 'NoExecute' },
    ],
    maxPods: 29,
    ...overrides,
  };
}

describe('bootstrapLabels', () => {
  it('keeps pool, class, capacity type and custom labels; drops type, zone and kubernetes.io labels', () => {
    const labels = bootstrapLabels(
      plannedNode({
        labels: { ...plannedNode().labels, 'node-role.kubernetes.io/web': '', 'k8s.io/x': 'y' },
      }),
    );
    expect(labels).toEqual({
      'karpenter.sh/capacity-type': 'spot',
      'karpenter.sh/nodepool': 'default',
      'karpenter.k8s.aws/ec2nodeclass': 'default',
      team: 'web',
    });
  });
});

describe('AL2023 (nodeadm)', () => {
  it('is a MIME archive whose only part is the NodeConfig', () => {
    const parts = readMime(renderUserData('AL2023', input()));
    expect(parts).toHaveLength(1);
    expect(parts[0]?.contentType).toBe('application/node.eks.aws');
  });

  it('carries the cluster, service CIDR, max pods, taints and node labels', () => {
    const [part] = readMime(renderUserData('AL2023', input({ kubelet: { maxPods: 50, podsPerCore: 4 } })));
    const config = parse(part?.body ?? '');
    expect(config).toEqual({
      apiVersion: 'node.eks.aws/v1alpha1',
      kind: 'NodeConfig',
      metadata: {},
      spec: {
        cluster: {
          apiServerEndpoint: CLUSTER.endpoint,
          certificateAuthority: CLUSTER.certificateAuthority,
          cidr: '10.100.0.0/16',
          name: 'my-cluster',
        },
        containerd: {},
        instance: { localStorage: {} },
        kubelet: {
          config: {
            // The resolved limit of the instance types wins over the class's own maxPods (already folded in).
            maxPods: 29,
            podsPerCore: 4,
            registerWithTaints: [
              { key: 'dedicated', value: 'web', effect: 'NoSchedule' },
              { key: 'example.com/booting', effect: 'NoExecute' },
            ],
          },
          flags: [
            '--node-labels="karpenter.k8s.aws/ec2nodeclass=default,karpenter.sh/capacity-type=spot,karpenter.sh/nodepool=default,team=web"',
          ],
        },
      },
    });
  });

  it("puts the user's script first and our NodeConfig last (later NodeConfigs win)", () => {
    const parts = readMime(renderUserData('AL2023', input({ userData: '#!/bin/bash\necho hello\n' })));
    expect(parts.map((p) => p.contentType)).toEqual([
      'text/x-shellscript; charset="us-ascii"',
      'application/node.eks.aws',
    ]);
    expect(parts[0]?.body).toBe('#!/bin/bash\necho hello');
  });

  it("keeps a user's MIME parts and NodeConfig YAML in order", () => {
    const userMime = [
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="BOUNDARY"',
      '',
      '--BOUNDARY',
      'Content-Type: text/x-shellscript; charset="us-ascii"',
      '',
      'echo one',
      '--BOUNDARY',
      'Content-Type: application/node.eks.aws',
      '',
      'apiVersion: node.eks.aws/v1alpha1',
      'kind: NodeConfig',
      'spec:',
      '  kubelet:',
      '    config:',
      '      shutdownGracePeriod: 30s',
      '--BOUNDARY--',
      '',
    ].join('\r\n');
    const parts = readMime(renderUserData('AL2023', input({ userData: userMime })));
    expect(parts.map((p) => p.contentType)).toEqual([
      'text/x-shellscript; charset="us-ascii"',
      'application/node.eks.aws',
      'application/node.eks.aws',
    ]);
    expect(parse(parts[1]?.body ?? '').spec.kubelet.config.shutdownGracePeriod).toBe('30s');
    const yamlOnly = readMime(
      renderUserData('AL2023', input({ userData: 'apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec: {}\n' })),
    );
    expect(yamlOnly.map((p) => p.contentType)).toEqual(['application/node.eks.aws', 'application/node.eks.aws']);
  });

  it('asks nodeadm for RAID0 instance storage when the class does', () => {
    const [part] = readMime(renderUserData('AL2023', input({ instanceStorePolicy: 'RAID0' })));
    expect(parse(part?.body ?? '').spec.instance).toEqual({ localStorage: { strategy: 'RAID0' } });
  });
});

describe('Bottlerocket', () => {
  it('writes the kubernetes settings, labels and taints as TOML', () => {
    const settings = readToml(
      renderUserData('Bottlerocket', input({ cluster: { ...CLUSTER, clusterDns: '10.100.0.10' } })),
    );
    expect(settings).toEqual({
      settings: {
        kubernetes: {
          'api-server': CLUSTER.endpoint,
          'cluster-certificate': CLUSTER.certificateAuthority,
          'cluster-name': 'my-cluster',
          'max-pods': 29,
          'cluster-dns-ip': '10.100.0.10',
          'node-labels': {
            'karpenter.sh/capacity-type': 'spot',
            'karpenter.sh/nodepool': 'default',
            'karpenter.k8s.aws/ec2nodeclass': 'default',
            team: 'web',
          },
          'node-taints': { dedicated: ['web:NoSchedule'], 'example.com/booting': [':NoExecute'] },
        },
      },
    });
  });

  it("merges the user's TOML: their other settings stay, our keys and labels win, taints are replaced", () => {
    const userData = [
      '[settings.kubernetes]',
      "cluster-name = 'wrong'",
      'allowed-unsafe-sysctls = ["net.core.somaxconn"]',
      '[settings.kubernetes.node-labels]',
      'team = "ops"',
      'extra = "kept"',
      '[settings.kubernetes.node-taints]',
      'old = ["x:NoSchedule"]',
      '[settings.host-containers.admin]',
      'enabled = true',
    ].join('\n');
    const settings = readToml(
      renderUserData(
        'Bottlerocket',
        input({ userData, kubelet: { imageGCHighThresholdPercent: 85, cpuCFSQuota: false } }),
      ),
    );
    const kubernetes = (settings.settings as Record<string, Record<string, unknown>>).kubernetes;
    expect(kubernetes).toMatchObject({
      'cluster-name': 'my-cluster',
      'allowed-unsafe-sysctls': ['net.core.somaxconn'],
      'image-gc-high-threshold-percent': '85',
      'cpu-cfs-quota-enforced': false,
      'node-taints': { dedicated: ['web:NoSchedule'], 'example.com/booting': [':NoExecute'] },
    });
    expect(kubernetes?.['node-labels']).toMatchObject({ team: 'web', extra: 'kept' });
    expect(settings.settings).toMatchObject({ 'host-containers': { admin: { enabled: true } } });
  });

  it('adds the instance-storage bootstrap command for RAID0', () => {
    const settings = readToml(renderUserData('Bottlerocket', input({ instanceStorePolicy: 'RAID0' })));
    expect(settings.settings).toMatchObject({
      'bootstrap-commands': {
        '000-mount-instance-storage': {
          commands: [
            ['apiclient', 'ephemeral-storage', 'init'],
            [
              'apiclient',
              'ephemeral-storage',
              'bind',
              '--dirs',
              '/var/lib/containerd',
              '/var/lib/kubelet',
              '/var/log/pods',
            ],
          ],
          mode: 'always',
          essential: true,
        },
      },
    });
  });

  it("refuses user TOML it cannot read fully rather than drop the user's settings", () => {
    expect(() => renderUserData('Bottlerocket', input({ userData: '[[settings.x]]\na = 1' }))).toThrow(
      'arrays of tables are not supported',
    );
  });
});

describe('Custom and limits', () => {
  it("passes a Custom family's user data through unchanged", () => {
    expect(renderUserData('Custom', input({ userData: '#!/bin/bash\n/etc/eks/bootstrap.sh my-cluster\n' }))).toBe(
      '#!/bin/bash\n/etc/eks/bootstrap.sh my-cluster\n',
    );
  });

  it("refuses user data over EC2's 16 KiB", () => {
    expect(() => renderUserData('Custom', input({ userData: 'x'.repeat(16_385) }))).toThrow('User data is limited to');
  });
});

describe('TOML subset', () => {
  it('reads what it writes', () => {
    const doc = {
      settings: { kubernetes: { 'max-pods': 110, 'node-labels': { 'a.b/c': 'd' }, flag: true, ratio: 0.5 } },
    };
    expect(readToml(writeToml(doc))).toEqual(doc);
  });

  it('reads dotted keys, literal strings, inline tables, multi-line arrays and comments', () => {
    const text = [
      '# a comment',
      'settings.motd = \'hi "there"\'',
      '[settings.kernel]',
      'sysctl = { "vm.max_map_count" = "262144" } # trailing',
      'modules = [',
      '  "a",',
      '  "b",',
      ']',
    ].join('\n');
    expect(readToml(text)).toEqual({
      settings: { motd: 'hi "there"', kernel: { sysctl: { 'vm.max_map_count': '262144' }, modules: ['a', 'b'] } },
    });
  });

  it('names the line of what it cannot read', () => {
    expect(() => readToml('a = 1\nb = """x"""')).toThrow('TOML line 2: multi-line strings are not supported');
    expect(() => readToml('a = 1\na = 2')).toThrow('defined twice');
  });
});
