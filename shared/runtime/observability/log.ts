// Structured logging helpers. There is one logger, Powertools Logger (JSON lines, with the Lambda request id as
// correlation id once the handler's middleware added the context); these only shape what goes into it.

/** An error as log attributes: its name, message and the chain of causes, without a stack for expected errors. */
export function errorFields(error: unknown): { error: Record<string, unknown> } {
  if (!(error instanceof Error)) return { error: { message: String(error) } };
  const causes: string[] = [];
  for (let cause = error.cause; cause instanceof Error && causes.length < 5; cause = cause.cause) {
    causes.push(`${cause.name}: ${cause.message}`);
  }
  return {
    error: {
      name: error.name,
      message: error.message,
      ...(causes.length > 0 ? { causes } : {}),
      ...(error.stack ? { stack: error.stack.split('\n').slice(0, 6).join('\n') } : {}),
    },
  };
}
