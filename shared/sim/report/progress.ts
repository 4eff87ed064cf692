// Live progress on the terminal: one line per minute of cluster time (simulated time, pending pods, nodes, $/h,
// utilisation) and one per scenario step. When stdout is not a terminal (CI logs, pipes), a line every five
// minutes is plenty; `--quiet` prints none.

import type { Sample } from './recorder.js';

const TTY_EVERY_MS = 60_000;
const PIPE_EVERY_MS = 5 * 60_000;

export function clockText(ms: number): string {
  const total = Math.round(ms / 1000);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

export class Progress {
  private readonly everyMs: number;

  constructor(
    private readonly write: (text: string) => void,
    tty: boolean,
    private readonly quiet: boolean,
  ) {
    this.everyMs = tty ? TTY_EVERY_MS : PIPE_EVERY_MS;
  }

  sample(s: Sample): void {
    if (this.quiet || s.t % this.everyMs !== 0) return;
    const launching = s.inFlight > 0 ? ` (+${s.inFlight} launching)` : '';
    const util = s.readyNodes > 0 ? `  cpu ${pct(s.cpuUtilization)} mem ${pct(s.memoryUtilization)}` : '';
    this.write(
      `  ${clockText(s.t)}  pods ${String(s.pods).padStart(3)}  pending ${String(s.pending).padStart(3)}  ` +
        `nodes ${String(s.nodes).padStart(2)}${launching}  $${s.costPerHour.toFixed(3)}/h${util}\n`,
    );
  }

  step(at: number, text: string): void {
    if (!this.quiet) this.write(`  ${clockText(at)}  ▶ ${text}\n`);
  }
}

function pct(x: number): string {
  return `${String(Math.round(x * 100)).padStart(3)}%`;
}
