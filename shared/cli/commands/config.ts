// `fleetwright config <push|pull|schema>`: the config documents' way into and out of SSM Parameter Store,
// and their JSON Schemas (DESIGN.md §3, §5). Each subcommand is loaded only when run, so `config schema`
// does not load the AWS SDK.

import { EXIT, type Io, UsageError } from '../io.js';

type Subcommand = (argv: readonly string[], io: Io) => Promise<number>;

const SUBCOMMANDS: Record<string, { summary: string; load: () => Promise<Subcommand> }> = {
  push: {
    summary: 'validate a config folder and write it to SSM (--cluster, --prefix, --prune)',
    load: async () => (await import('./config/push.js')).pushCommand,
  },
  pull: {
    summary: 'write the documents stored in SSM back to a config folder (--document, --version)',
    load: async () => (await import('./config/pull.js')).pullCommand,
  },
  schema: {
    summary: 'write the JSON Schemas of the documents, for editor completion',
    load: async () => (await import('./config/schema.js')).schemaCommand,
  },
};

export function configUsage(): string {
  const lines = Object.entries(SUBCOMMANDS).map(([name, c]) => `  ${name.padEnd(6)}  ${c.summary}`);
  return `usage: fleetwright config <push|pull|schema> [options]\n\n${lines.join('\n')}\n\nRun "fleetwright config <subcommand> --help" for its options.\n`;
}

export async function configCommand(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(configUsage());
    return EXIT.ok;
  }
  const subcommand = name === undefined ? undefined : SUBCOMMANDS[name];
  if (!subcommand) {
    const given = name === undefined ? 'give a subcommand' : `unknown subcommand "${name}"`;
    throw new UsageError([`fleetwright config: ${given}`, configUsage().trimEnd()]);
  }
  return (await subcommand.load())(rest, io);
}
