// withThrottleRetry: any port (a literal or a class such as the simulator's EC2) retried on throttling only.

import { describe, expect, it } from 'vitest';
import { withThrottleRetry } from '../../../shared/adapters/aws/throttle-retry.js';
import { awsError } from './aws-world.js';

class FlakyApi {
  calls: string[] = [];
  constructor(private readonly failures: Error[]) {}

  async describe(input: { id: string }): Promise<string> {
    this.calls.push(input.id);
    const failure = this.failures.shift();
    if (failure) throw failure;
    return `ok ${input.id}`;
  }
}

describe('withThrottleRetry', () => {
  it('retries a class method on throttling with doubling delays, sending the same input', async () => {
    const api = new FlakyApi([awsError('RequestLimitExceeded'), awsError('ThrottlingException')]);
    const delays: number[] = [];
    const wrapped = withThrottleRetry(api, { sleep: async (ms) => void delays.push(ms) });
    await expect(wrapped.describe({ id: 'a' })).resolves.toBe('ok a');
    expect(api.calls).toEqual(['a', 'a', 'a']);
    expect(delays).toEqual([500, 1000]);
  });

  it('passes any other error through at once', async () => {
    const api = new FlakyApi([awsError('UnauthorizedOperation')]);
    const wrapped = withThrottleRetry(api, { sleep: async () => {} });
    await expect(wrapped.describe({ id: 'b' })).rejects.toThrow('UnauthorizedOperation');
    expect(api.calls).toEqual(['b']);
  });
});
