// What a handler invocation needs from the cluster, built from one shared client: a reader and a writer whose
// Lease identity is the invocation's (the Lambda request id), and a node lister for the interruption function.
// The production wiring and the simulator compose the handlers with it alike.

import type { Node } from '../../core/model/node.js';
import type { ClusterReader, ClusterWriter } from '../../core/ports/cluster.js';
import { type KubernetesClusterOptions, KubernetesClusterReader, KubernetesClusterWriter } from './cluster.js';
import { listNodes } from './node-list.js';

export interface ClusterAccess {
  readonly reader: ClusterReader;
  readonly writer: ClusterWriter;
  /** Every Node, without the pods. */
  listNodes(): Promise<Node[]>;
}

/** Per-invocation cluster access over `options.client`; `identity` names the Lease holder and Events. */
export function clusterAccess(
  options: Omit<KubernetesClusterOptions, 'identity'>,
): (identity: string) => ClusterAccess {
  return (identity) => {
    const withIdentity = { ...options, identity };
    return {
      reader: new KubernetesClusterReader(withIdentity),
      writer: new KubernetesClusterWriter(withIdentity),
      listNodes: async () => [...(await listNodes(options.client)).nodes],
    };
  };
}
