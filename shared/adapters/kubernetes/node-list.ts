// Every Node, mapped, without the pods: what the interruption function reads to find the node of an instance
// (the API server offers no field selector on spec.providerID). A list of nodes is a page or two even in large
// clusters, where the pods `readState` also lists can be tens of megabytes — too much for a 15-second function.

import type { Node } from '../../core/model/node.js';
import type { KubeClient } from './client/kube-client.js';
import { NODES } from './client/resources.js';
import { MappingError } from './mappers/fields.js';
import { toNode } from './mappers/node.js';
import { LIST_PAGE_SIZE } from './timing.js';

export interface NodeList {
  readonly nodes: readonly Node[];
  /** Nodes the mapper refused, one sentence each. */
  readonly unreadable: readonly string[];
}

export async function listNodes(client: KubeClient, pageSize = LIST_PAGE_SIZE): Promise<NodeList> {
  const { items } = await client.listAll(NODES, { limit: pageSize });
  const nodes: Node[] = [];
  const unreadable: string[] = [];
  for (const item of items) {
    try {
      nodes.push(toNode(item));
    } catch (error) {
      if (!(error instanceof MappingError)) throw error;
      unreadable.push(error.message);
    }
  }
  return { nodes, unreadable };
}
