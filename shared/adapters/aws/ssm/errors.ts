// SSM failures as one sentence that names the call and its target, the way every fleetwright command and
// log line reports an AWS failure:
//   ssm:PutParameter /fleetwright/prod/nodepools/web: AccessDeniedException: User ... is not authorized ...
// Deciding what a code means (not found, throttled, denied) is ../errors.ts's job; this only words it.

/** The SSM API call that failed, as IAM names it (`ssm:<Operation>`). */
export type SsmCall =
  | 'ssm:GetParametersByPath'
  | 'ssm:GetParameterHistory'
  | 'ssm:GetParameter'
  | 'ssm:PutParameter'
  | 'ssm:DeleteParameters';

export class SsmCallError extends Error {
  override readonly name = 'SsmCallError';
  constructor(
    readonly call: SsmCall,
    /** The parameter or path the call was about. */
    readonly target: string,
    /** The AWS error code (`AccessDeniedException`), or the SDK's error name for a local failure. */
    readonly code: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${call} ${target}: ${code}: ${detail}`, options);
  }
}

interface AwsLikeError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly Code?: string;
}

/** The AWS error code of `error`: the SDK puts it in `name` (`ParameterNotFound`); Node's own in `code`. */
export function errorCode(error: unknown): string {
  const e = (error ?? {}) as AwsLikeError;
  if (typeof e.Code === 'string' && e.Code !== '') return e.Code;
  if (typeof e.name === 'string' && e.name !== '' && e.name !== 'Error') return e.name;
  if (typeof e.code === 'string' && e.code !== '') return e.code;
  return 'Error';
}

// SSM answers some errors with no message (the SDK then says "UnknownError"): say what the code means.
const SILENT_CODES: Readonly<Record<string, string>> = {
  ParameterNotFound: 'no such parameter',
  ParameterVersionNotFound: 'no such version of the parameter',
};

/** Wraps whatever a call threw; an SsmCallError passes through unchanged. */
export function ssmCallError(call: SsmCall, target: string, error: unknown): SsmCallError {
  if (error instanceof SsmCallError) return error;
  const code = errorCode(error);
  const message = firstLine(error instanceof Error ? error.message : String(error));
  const detail = message === '' || message === 'UnknownError' ? (SILENT_CODES[code] ?? 'no message') : message;
  return new SsmCallError(call, target, code, detail, { cause: error });
}

/** Runs one SDK call, turning any failure into an SsmCallError that names it. */
export async function callSsm<T>(call: SsmCall, target: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw ssmCallError(call, target, error);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}
