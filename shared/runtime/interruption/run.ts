// One interruption invocation: an SQS batch of EventBridge messages (DESIGN.md §2). Each message is parsed; a
// notice is acted on (act.ts); unknown or malformed messages are logged and acknowledged, since retrying cannot
// make them readable. A message whose action could not be recorded goes back to the queue through the partial
// batch response (and to the DLQ after three receives). Messages about the same instance are handled in order,
// so a duplicate in the same batch sees the first one's taint and does nothing.

import { deadlineOf, type LambdaContextLike } from '../clock.js';
import type { RuntimeConfig } from '../config.js';
import { EventRecorder } from '../observability/events.js';
import { errorFields } from '../observability/log.js';
import { actOn, type BatchContext, byInstanceId } from './act.js';
import type { InterruptionDeps, SqsBatchResponse, SqsEvent } from './deps.js';
import { type ParsedMessage, parseMessage } from './messages.js';

export async function runInterruptions(
  deps: InterruptionDeps,
  event: SqsEvent,
  context: LambdaContextLike,
): Promise<SqsBatchResponse> {
  const { logger, metrics, clock } = deps;
  const failures: { itemIdentifier: string }[] = [];
  const parsed = event.Records.map((r) => ({ messageId: r.messageId, message: parseMessage(r.body) }));
  for (const { messageId, message } of parsed) {
    metrics.record('InterruptionMessages', 1, kindOf(message));
    if (message.status === 'unknown' || message.status === 'malformed') {
      logger.warn('interruption message acknowledged without action', { messageId, ...message });
    } else if (message.status === 'ignored') {
      logger.info('interruption message needs nothing', { messageId, ...message });
    }
  }
  const notices = parsed.filter((p) => p.message.status === 'notice');
  if (notices.length === 0) return { batchItemFailures: failures };
  const config = await loadConfig(deps);
  if (!config) return { batchItemFailures: notices.map((n) => ({ itemIdentifier: n.messageId })) };
  const ports = await deps.cluster(context.awsRequestId);
  const acting = !config.settings.paused && !config.settings.dryRun;
  const ctx: BatchContext = {
    deps,
    ports,
    events: new EventRecorder(ports.writer, logger, acting),
    clock,
    deadline: deadlineOf(context, clock),
    acting,
    nodes: once(async () => byInstanceId(await ports.listNodes())),
    instances: once(async () => {
      try {
        return new Map((await deps.cloud.list()).map((i) => [i.instanceId, i]));
      } catch (error) {
        logger.warn('could not list the fleet; ownership is judged from node annotations', errorFields(error));
        return undefined;
      }
    }),
  };
  for (const { messageId, message } of notices) {
    if (message.status !== 'notice') continue;
    logger.appendKeys({ messageId, eventId: message.id });
    try {
      const outcomes = await actOn(ctx, message.notice);
      logger.info('interruption notice handled', { kind: message.notice.kind, acting, outcomes });
    } catch (error) {
      failures.push({ itemIdentifier: messageId });
      logger.error('interruption notice failed; the message will be retried', {
        kind: message.notice.kind,
        ...errorFields(error),
      });
    } finally {
      logger.removeKeys(['messageId', 'eventId']);
    }
  }
  await ctx.events.settle();
  return { batchItemFailures: failures };
}

function kindOf(message: ParsedMessage): string {
  switch (message.status) {
    case 'notice':
      return message.notice.kind;
    case 'ignored':
      return message.kind;
    case 'unknown':
      return 'Unknown';
    case 'malformed':
      return 'Malformed';
  }
}

/** Without a readable config the batch is retried: pause and dry-run must hold even for interruptions. */
async function loadConfig(deps: InterruptionDeps): Promise<RuntimeConfig | undefined> {
  try {
    return await deps.config.load();
  } catch (error) {
    deps.logger.error('no configuration could be read; the batch will be retried', errorFields(error));
    return undefined;
  }
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load();
    return value;
  };
}
