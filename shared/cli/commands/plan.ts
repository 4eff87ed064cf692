import type { Io } from '../io.js';

export async function planCommand(_args: readonly string[], io: Io): Promise<number> {
  io.stderr.write('fleetwright plan: not implemented yet\n');
  return 2;
}
