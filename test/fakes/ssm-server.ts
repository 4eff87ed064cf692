// A loopback fake of SSM Parameter Store, for running the real `fleetwright config push/pull` (real SDK, real
// HTTP) against it: the simulator's Parameter Store (shared/sim/aws-api/ssm-json.ts, which owns the protocol,
// versions, tiers, paging and error codes) served alone on its own port. Tests seed and inspect it through the
// store's `parameters`, `calls`, `failures`, `seed` and `current`.

import { type Listener, listenLoopback } from '../../shared/sim/aws-api/http.js';
import { answerSsm, SimParameterStore, type SsmFailure } from '../../shared/sim/aws-api/ssm-json.js';

export { SsmError } from '../../shared/sim/aws-api/ssm-json.js';
export type Failure = SsmFailure;

export class FakeSsm extends SimParameterStore {
  private listener: Listener | undefined;

  /** Starts serving; returns the endpoint URL (for AWS_ENDPOINT_URL_SSM). */
  async start(): Promise<string> {
    this.listener = await listenLoopback((request) => answerSsm(this, request));
    return this.listener.url;
  }

  async stop(): Promise<void> {
    await this.listener?.close();
  }
}
