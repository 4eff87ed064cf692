// `fleetwright simulate`: the simulator is not built yet (see README "Status"). Until it is, this runs the
// built-in `plan` example, and says so, so that `npm start` shows the decision core working end to end.

import { fileURLToPath } from 'node:url';
import type { Io } from '../io.js';
import { planCommand } from './plan.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/quickstart/', import.meta.url));

export async function simulateCommand(args: readonly string[], io: Io): Promise<number> {
  if (args.length > 0) {
    io.stderr.write(
      'fleetwright simulate: the simulator is not built yet; scenarios cannot be run (see README "Status").\n',
    );
    return 2;
  }
  io.stdout.write(
    'The cluster simulator is not built yet. Running the built-in example instead:\n' +
      `  fleetwright plan --pods ${EXAMPLE}pods.yaml --nodepools ${EXAMPLE}nodepools.yaml\n\n`,
  );
  return planCommand(
    ['--pods', `${EXAMPLE}pods.yaml`, '--nodepools', `${EXAMPLE}nodepools.yaml`, '--output', 'table'],
    io,
  );
}
