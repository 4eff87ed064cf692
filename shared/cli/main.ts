// `fleetwright <command>`: dispatch to a command module, map failures to the exit codes of DESIGN.md §5.

import { EXIT, InputError, type Io } from './io.js';

type Command = (args: readonly string[], io: Io) => Promise<number>;

// Loaded lazily so `fleetwright validate` does not pay for the scheduler, nor `plan` for the AWS SDK.
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  plan: {
    summary: 'what would be launched or removed, and at what cost: from kubectl output, or --cluster (live)',
    load: async () => (await import('./commands/plan.js')).planCommand,
  },
  explain: {
    summary: 'why a pod goes where it goes (or nowhere), or why a node is or is not disrupted (offline or --cluster)',
    load: async () => (await import('./commands/explain.js')).explainCommand,
  },
  status: {
    summary: "a live cluster's pools (nodes, limits, budgets, launches, $/h), pending pods and decisions",
    load: async () => (await import('./commands/status.js')).statusCommand,
  },
  validate: {
    summary: 'check NodePool, EC2NodeClass and Settings documents (a config folder or files)',
    load: async () => (await import('./commands/validate.js')).validateCommand,
  },
  import: {
    summary: 'convert Karpenter NodePool and EC2NodeClass YAML (v1, v1beta1) into fleetwright documents',
    load: async () => (await import('./commands/import.js')).importCommand,
  },
  config: {
    summary: 'push a config folder to SSM, pull it back, or write the JSON Schemas (config --help)',
    load: async () => (await import('./commands/config.js')).configCommand,
  },
  rbac: {
    summary: "print the controller's RBAC objects (ClusterRole, Role, bindings) for kubectl apply",
    load: async () => (await import('./commands/rbac.js')).rbacCommand,
  },
  simulate: {
    summary: 'run the local simulation (npm start runs the default scenario)',
    load: async () => (await import('./commands/simulate.js')).simulateCommand,
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: fleetwright <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "fleetwright <command> --help" for a command's options.\n`;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`fleetwright: unknown command "${name}"\n${usage()}`);
    return EXIT.usage;
  }
  try {
    return await (await command.load())(rest, io);
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr.write(`${error.lines.join('\n')}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
