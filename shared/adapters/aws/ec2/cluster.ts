// What the EC2 adapter must know about the EKS cluster it launches nodes for. The composition root fills it once
// (eks:DescribeCluster, or the stack's outputs); the adapter never looks it up itself.

export interface ClusterInfo {
  /** The EKS cluster name: ownership tags, launch-template names, bootstrap. */
  readonly name: string;
  readonly region: string;
  /** `https://...`: the API server endpoint nodes join. */
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA, as DescribeCluster's `certificateAuthority.data`. */
  readonly certificateAuthority: string;
  /**
   * The service CIDR (`kubernetesNetworkConfig.serviceIpv4Cidr`): nodeadm requires it (research/aws-provider.md
   * §j.7) and derives the cluster DNS address from it.
   */
  readonly serviceCidr: string;
  /** Kubernetes minor version, "1.33": picks the AMI behind an alias. */
  readonly kubernetesVersion: string;
  /** The kube-dns ClusterIP when known; node classes may override it with `kubelet.clusterDNS`. */
  readonly clusterDns?: string;
}
