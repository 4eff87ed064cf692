// `fleetwright import <karpenter.yaml...> [--out <dir>]`: Karpenter NodePools and EC2NodeClasses -> our
// documents (DESIGN.md §5 "Other commands"). The conversion is shared/config's; this reads the files, prints
// what was changed or left behind on stderr, and writes the documents to stdout or a config folder. Nothing
// is written unless every document converts into a valid one: half a config is worse than none.

import { parseArgs } from 'node:util';
import { type ImportedDocument, importKarpenter } from '../../config/import/karpenter-import.js';
import { otherFormatFiles, writeConfigFolder } from '../config-writer.js';
import { readObjects } from '../inputs.js';
import { EXIT, InputError, type Io, UsageError } from '../io.js';

export const IMPORT_USAGE = `usage: fleetwright import <karpenter.yaml...> [--out <dir>]

Converts Karpenter NodePool and EC2NodeClass objects into fleetwright documents. karpenter.sh/v1 and
karpenter.k8s.aws/v1 are read as they are; v1beta1 is converted to v1 where v1 has one meaning for it.
Files are JSON or YAML (several documents, arrays and Lists too), so the output of
kubectl get nodepools,ec2nodeclasses -o yaml works as is; objects of other kinds are skipped.

  --out <dir>   write <dir>/nodepools/<name>.json and <dir>/nodeclasses/<name>.json, the layout config push
                reads; without it the documents are printed on stdout as one JSON array
  -h, --help    show this help

Each change made and each field not carried over is reported on stderr. Nothing is written when a document
is still invalid after conversion.

Exit status: 0 imported, 2 usage error, unreadable file, or an object that cannot be imported.
`;

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface ImportArgs {
  readonly files: readonly string[];
  readonly out?: string;
  readonly help: boolean;
}

function parseImportArgs(args: readonly string[]): ImportArgs {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError([`fleetwright import: ${(error as Error).message}`, IMPORT_USAGE.trimEnd()]);
  }
  const { values, positionals } = parsed;
  if (!values.help && positionals.length === 0) {
    throw new UsageError(['fleetwright import: give the Karpenter YAML files to import', IMPORT_USAGE.trimEnd()]);
  }
  if (values.out === '') throw new UsageError(['fleetwright import: --out needs a folder']);
  return { files: positionals, ...(values.out === undefined ? {} : { out: values.out }), help: values.help ?? false };
}

export async function importCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseImportArgs(argv);
  if (args.help) {
    io.stdout.write(IMPORT_USAGE);
    return EXIT.ok;
  }
  const cwd = io.cwd ?? process.cwd();
  const result = importKarpenter(await readInputs(args.files, cwd));
  const lines = [...result.notes, ...result.errors];
  if (result.errors.length > 0) {
    io.stderr.write(`${[...lines, 'nothing written: fix the errors above and import again'].join('\n')}\n`);
    return EXIT.usage;
  }
  const documents = result.documents;
  if (args.out === undefined) {
    io.stdout.write(
      `${JSON.stringify(
        documents.map((d) => d.document),
        null,
        2,
      )}\n`,
    );
    lines.push(`imported ${describeCount(documents)}`);
  } else {
    const written = writeConfigFolder(args.out, documents, cwd);
    lines.push(...written.map((file) => `wrote ${file}`));
    for (const file of otherFormatFiles(args.out, documents, cwd)) {
      lines.push(`${file}: holds the same document in another format: remove it, or config push reads both`);
    }
    lines.push(`imported ${describeCount(documents)} into ${args.out}`);
  }
  io.stderr.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** Every object of every file, all unreadable files reported at once. */
async function readInputs(files: readonly string[], cwd: string) {
  const inputs: { raw: unknown; source: string }[] = [];
  const errors: string[] = [];
  for (const source of files) {
    try {
      for (const raw of await readObjects(source, { cwd })) inputs.push({ raw, source });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push(...error.lines);
    }
  }
  if (errors.length > 0) throw new InputError(errors);
  return inputs;
}

function describeCount(documents: readonly ImportedDocument[]): string {
  const pools = documents.filter((d) => d.kind === 'NodePool').length;
  const classes = documents.length - pools;
  const plural = (n: number, word: string, many: string) => `${n} ${n === 1 ? word : many}`;
  return `${plural(pools, 'NodePool', 'NodePools')} and ${plural(classes, 'EC2NodeClass', 'EC2NodeClasses')}`;
}
