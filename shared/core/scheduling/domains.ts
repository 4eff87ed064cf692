// The domain universe for topology: the values a new node of some pool could have for a key (zones the pool's
// types are offered in, capacity types, any label), remembered with the pool's taints (nodeTaintsPolicy).

import type { Taint } from '../model/taints.js';
import type { NodeClaimTemplate } from './template.js';

export interface PoolDomain {
  readonly domain: string;
  readonly taints: readonly Taint[];
}

export function poolDomains(templates: readonly NodeClaimTemplate[]): (key: string) => readonly PoolDomain[] {
  const cache = new Map<string, PoolDomain[]>();
  return (key) => {
    let out = cache.get(key);
    if (out) return out;
    out = [];
    const seen = new Set<string>();
    for (const template of templates) {
      const poolReq = template.requirements.get(key);
      for (const type of template.instanceTypes) {
        const typeReq = type.requirements.get(key);
        const both = poolReq && typeReq ? poolReq.intersection(typeReq) : (poolReq ?? typeReq);
        if (!both || both.complement) continue;
        for (const domain of [...both.values].sort()) {
          const id = `${domain}\u0000${template.pool.name}`;
          if (seen.has(id)) continue;
          seen.add(id);
          out.push({ domain, taints: template.pool.taints });
        }
      }
    }
    cache.set(key, out);
    return out;
  };
}
