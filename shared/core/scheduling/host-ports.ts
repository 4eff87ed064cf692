// Host-port conflicts (kube-scheduler's NodePorts filter): the same port and protocol conflict when their
// host IPs overlap, and the wildcard address overlaps everything.

import type { HostPort } from '../model/pod.js';

const WILDCARDS = new Set(['', '0.0.0.0', '::']);

function overlaps(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return WILDCARDS.has(a.hostIP) || WILDCARDS.has(b.hostIP) || a.hostIP === b.hostIP;
}

/** The host ports in use on one node. */
export class HostPortUsage {
  private readonly used: HostPort[] = [];

  conflict(ports: readonly HostPort[]): HostPort | undefined {
    for (const p of ports) if (this.used.some((u) => overlaps(u, p))) return p;
    return undefined;
  }

  add(ports: readonly HostPort[]): void {
    this.used.push(...ports);
  }

  copy(): HostPortUsage {
    const out = new HostPortUsage();
    out.used.push(...this.used);
    return out;
  }
}

export function formatHostPort(p: HostPort): string {
  return `${p.hostIP && !WILDCARDS.has(p.hostIP) ? `${p.hostIP}:` : ''}${p.port}/${p.protocol}`;
}
