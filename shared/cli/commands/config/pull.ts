// `fleetwright config pull --cluster <name> [--prefix <p>] [--document <path> [--version <n>]] <dir>`: the
// documents under the prefix, written back as a config folder (DESIGN.md §5).
//
// --version: SSM versions belong to one parameter (nodepools/web may be at version 7 while settings is at
// 2), so "version 3 of the config" means nothing. --version therefore needs --document and pulls that one
// document as it was at that version; the other files in the folder are left as they are.

import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { getParameter, listParameters, type StoredParameter } from '../../../adapters/aws/ssm/parameters.js';
import type { LayoutSlot } from '../../../config/config-set.js';
import { SETTINGS_NAME } from '../../../config/document.js';
import { expectedParameters, parameterSlot } from '../../../config/store-layout.js';
import { loadConfigFiles } from '../../config-files.js';
import { type FolderDocument, layoutFile, otherFormatFiles, writeConfigFolder } from '../../config-writer.js';
import { EXIT, type Io, UsageError } from '../../io.js';
import { resolveTarget, ssmClient, withAws } from './target.js';

export const PULL_USAGE = `usage: fleetwright config pull --cluster <name> [--prefix <p>] [--document <path> [--version <n>]] <dir>

Writes the documents stored under the prefix into <dir>, in the layout config push reads:
nodepools/<name>.json, nodeclasses/<name>.json and settings.json. Files of other documents are left alone.

  --cluster <name>    the EKS cluster; the prefix is /fleetwright/<cluster>/ unless --prefix is given
  --prefix <p>        the parameter path to read instead
  --document <path>   pull only this document: nodepools/<name>, nodeclasses/<name> or settings
  --version <n>       with --document: that version of it (SSM numbers the versions of each parameter
                      separately, so a version names one document, not the whole config)
  -h, --help          show this help

Exit status: 0 pulled, 2 usage error, 3 an AWS call failed (ParameterNotFound and
ParameterVersionNotFound included).
`;

const OPTIONS = {
  cluster: { type: 'string' },
  prefix: { type: 'string' },
  document: { type: 'string' },
  version: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface PullArgs {
  readonly cluster?: string;
  readonly prefix?: string;
  readonly document?: string;
  readonly version?: number;
  readonly dir: string;
}

function usageError(message: string): UsageError {
  return new UsageError([`fleetwright config pull: ${message}`]);
}

function parsePullArgs(argv: readonly string[]): PullArgs | 'help' {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError([`fleetwright config pull: ${(error as Error).message}`, PULL_USAGE.trimEnd()]);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) throw usageError('give exactly one folder to write the documents to');
  const { version, ...rest } = values;
  if (version === undefined) return { ...rest, dir: positionals[0] as string };
  if (!/^[1-9][0-9]*$/.test(version))
    throw usageError(`--version must be a version number such as 3, got "${version}"`);
  if (values.document === undefined) {
    throw usageError('--version needs --document: SSM numbers the versions of each document separately');
  }
  return { ...rest, dir: positionals[0] as string, version: Number(version) };
}

export async function pullCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parsePullArgs(argv);
  if (args === 'help') {
    io.stdout.write(PULL_USAGE);
    return EXIT.ok;
  }
  const { prefix } = resolveTarget('config pull', args.cluster, args.prefix);
  const only = args.document === undefined ? undefined : documentParameter(prefix, args.document);
  const cwd = io.cwd ?? process.cwd();
  if (statSync(resolve(cwd, args.dir), { throwIfNoEntry: false })?.isFile()) {
    throw usageError(`${args.dir}: is a file, expected a folder`);
  }
  return withAws(io, async () => {
    const client = ssmClient();
    const stored = only
      ? [await getParameter(client, only.parameter, args.version)]
      : await listParameters(client, prefix);
    const pulled: PulledDocument[] = [];
    for (const p of stored) {
      const slot = parameterSlot(prefix, p.name);
      if (slot) pulled.push(pulledDocument(p, slot));
      else
        io.stderr.write(`${p.name}: left out: not a fleetwright document (expected ${expectedParameters(prefix)})\n`);
    }
    const written = writeConfigFolder(args.dir, pulled, cwd);
    for (const [i, file] of written.entries()) io.stdout.write(`wrote ${file} (version ${pulled[i]?.version})\n`);
    warnAboutContent(args.dir, pulled, cwd, only === undefined, io);
    return EXIT.ok;
  });
}

/** `nodepools/web` -> its parameter under the prefix; anything else is a usage error. */
function documentParameter(prefix: string, document: string): { parameter: string } {
  const parameter = `${prefix}${document.replace(/^\/+/, '')}`;
  if (!parameterSlot(prefix, parameter)) {
    throw usageError(`--document must be nodepools/<name>, nodeclasses/<name> or settings, got "${document}"`);
  }
  return { parameter };
}

interface PulledDocument extends FolderDocument {
  readonly version: number;
}

/** The stored document, parsed; a value that is not JSON is written as it is, so nothing stored is lost. */
function pulledDocument(p: StoredParameter, slot: LayoutSlot): PulledDocument {
  const name = slot.name ?? SETTINGS_NAME;
  try {
    return { kind: slot.kind, name, version: p.version, document: JSON.parse(p.value) as Record<string, unknown> };
  } catch {
    return { kind: slot.kind, name, version: p.version, document: {}, text: p.value };
  }
}

/**
 * Pulled documents that are invalid (the controller keeps an older version in force), and — for a full
 * pull — other files in the folder: a second file of a pulled document, or a document with no parameter,
 * which a later push would read too.
 */
function warnAboutContent(dir: string, pulled: readonly PulledDocument[], cwd: string, full: boolean, io: Io): void {
  const files = pulled.map((d) => join(dir, layoutFile(d.kind, d.name)));
  const check = loadConfigFiles(files, { cwd, requireNodeClasses: false });
  for (const line of check.errors) io.stderr.write(`warning: the stored document is invalid: ${line}\n`);
  for (const file of otherFormatFiles(dir, pulled, cwd)) {
    io.stderr.write(`${file}: holds the same document in another format: remove it, or config push reads both\n`);
  }
  if (!full) return;
  const names = new Set(pulled.map((d) => `${d.kind}/${d.name}`));
  for (const doc of loadConfigFiles([dir], { cwd }).documents) {
    if (names.has(`${doc.kind}/${doc.name}`)) continue;
    io.stderr.write(`${doc.source}: no such document under the prefix; left in place (config push would create it)\n`);
  }
}
