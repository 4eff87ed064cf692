// `fleetwright validate <dir|files...> [--output json]`: checks config documents the way the controller will
// before `config push` (DESIGN.md §5). Exit 0 when every document is valid, 1 when any is not (every error
// on stderr, one per line), 2 for a usage error or a file that cannot be read or parsed.

import { parseArgs } from 'node:util';
import { type ConfigIssue, formatPath } from '../../config/issues.js';
import { type ConfigFiles, loadConfigFiles } from '../config-files.js';
import { EXIT, type Io, UsageError } from '../io.js';

const USAGE = `usage: fleetwright validate <dir|files...> [--output text|json]

Checks NodePool, EC2NodeClass and Settings documents (JSON or YAML). A folder is read in the layout
config push uses: <dir>/nodepools/<name>.json, <dir>/nodeclasses/<name>.json, <dir>/settings.json.

  --output json   print one JSON report on stdout: { valid, documents: [{ source, kind, name, valid, errors }] }
  -h, --help      show this help

Exit status: 0 all valid, 1 some document invalid, 2 usage error or unreadable file.
`;

const OUTPUTS = ['text', 'json'] as const;
type Output = (typeof OUTPUTS)[number];

interface ValidateArgs {
  readonly paths: readonly string[];
  readonly output: Output;
  readonly help: boolean;
}

const OPTIONS = {
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseOrRefuse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs explains unknown options and missing values in its message.
    throw new UsageError([`fleetwright validate: ${(error as Error).message}`, USAGE.trimEnd()]);
  }
}

function parseValidateArgs(args: readonly string[]): ValidateArgs {
  const { values, positionals } = parseOrRefuse(args);
  const output = values.output ?? 'text';
  if (!(OUTPUTS as readonly string[]).includes(output)) {
    throw new UsageError([`fleetwright validate: --output must be one of ${OUTPUTS.join(', ')}, got "${output}"`]);
  }
  if (!values.help && positionals.length === 0) {
    throw new UsageError(['fleetwright validate: give a config folder or files to check', USAGE.trimEnd()]);
  }
  return { paths: positionals, output: output as Output, help: values.help ?? false };
}

export async function validateCommand(args: readonly string[], io: Io): Promise<number> {
  const { paths, output, help } = parseValidateArgs(args);
  if (help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  const config = loadConfigFiles(paths, io.cwd === undefined ? {} : { cwd: io.cwd });
  if (config.fileErrors.length > 0) {
    io.stderr.write(`${config.errors.join('\n')}\n`);
    return EXIT.usage;
  }
  const valid = config.errors.length === 0;
  if (output === 'json') io.stdout.write(`${JSON.stringify(report(config), null, 2)}\n`);
  else if (valid)
    io.stdout.write(`${config.documents.length} document${config.documents.length === 1 ? '' : 's'} valid\n`);
  if (!valid) io.stderr.write(`${config.errors.join('\n')}\n`);
  return valid ? EXIT.ok : EXIT.invalidDocuments;
}

function report(config: ConfigFiles) {
  return {
    valid: config.errors.length === 0,
    documents: config.documents.map((d) => ({
      source: d.source,
      kind: d.kind,
      name: d.name,
      valid: d.issues.length === 0,
      errors: d.issues.map((issue: ConfigIssue) => ({ path: formatPath(issue.path), message: issue.message })),
    })),
  };
}
