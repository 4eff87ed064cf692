// What a command needs from the process, passed in so commands run the same in tests and from the shell.

export interface Io {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  /** Defaults to process.cwd(). */
  readonly cwd?: string;
}

/** Exit codes of every command (DESIGN.md §5). */
export const EXIT = {
  ok: 0,
  invalidDocuments: 1,
  usage: 2,
  remoteFailure: 3,
} as const;

/**
 * A usage error or an input that cannot be used. `lines` are printed to stderr one per line, all at once;
 * each names the source, the object and the field where it can.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
  }
}

export class UsageError extends InputError {}
