import { serviceContext } from "../context";
import { createDb } from "../db/client";
import { deadLetters } from "../db/schema";
import { handleDeliveryMessage } from "../federation/delivery/consumer";
import { processInboxMessage } from "../federation/inbox/dispatch";
import { takePublishedEvents } from "../federation/outbox/events";
import { relayEvents } from "../federation/outbox/relay";
import { newId } from "../lib/ids";
import { instanceEnv } from "../services/instance/settings";
import { finishInvocation, logQueueUsageForBench, startInvocation } from "../services/usage/invocation";
import { retryDelaySeconds } from "./backoff";
import { runJob } from "./jobs";
import { isDeadLetterQueue, QUEUE_NAMES, type QueueContext } from "./messages";
import { RetryLater } from "./retry";

type MessageHandler = (body: unknown, ctx: QueueContext, message: Message<unknown>) => Promise<void>;

/** One handler per queue; each validates the body it is given. */
const HANDLERS: Record<string, MessageHandler> = {
	[QUEUE_NAMES.jobs]: (body, ctx, message) => runJob(body, ctx, message.attempts),
	[QUEUE_NAMES.inbox]: (body, ctx) => processInboxMessage(body, ctx),
	[QUEUE_NAMES.delivery]: (body, ctx, message) => handleDeliveryMessage(body, ctx, message),
};

/**
 * The handler for a message: by queue name, or, for a deployment whose
 * queues were renamed (the Deploy to Cloudflare button lets people rename
 * resources), by the message's own type.
 */
function handlerFor(queue: string, body: unknown): MessageHandler | undefined {
	const byName = HANDLERS[queue];
	if (byName) return byName;
	const type = (body as { type?: unknown } | null)?.type;
	if (type === "deliver" || type === "relay" || type === "outbox.event") return HANDLERS[QUEUE_NAMES.delivery];
	if (type === "inbox.activity") return HANDLERS[QUEUE_NAMES.inbox];
	return typeof type === "string" ? HANDLERS[QUEUE_NAMES.jobs] : undefined;
}

/**
 * The queue handler. Each message is acked or retried on its own, so one bad
 * message never holds back or drops the rest of its batch.
 */
export async function handleQueue(batch: MessageBatch<unknown>, rawEnv: Env, exec: ExecutionContext): Promise<void> {
	const invocation = startInvocation(rawEnv, "queue");
	let acked = 0;
	invocation.usage.receivedBatch(batch);
	try {
		acked = await handleBatch(batch, invocation.env, exec, invocation);
	} finally {
		finishInvocation(invocation, exec);
	}
	// The benchmark reads queue invocations' D1 and other usage from this line of the log.
	logQueueUsageForBench(invocation, batch, acked);
}

async function handleBatch(
	batch: MessageBatch<unknown>,
	env: Env,
	exec: ExecutionContext,
	invocation: ReturnType<typeof startInvocation>,
): Promise<number> {
	if (isDeadLetterQueue(batch.queue)) {
		await recordDeadLetters(batch, env);
		for (const message of batch.messages) invocation.usage.acked(message);
		return batch.messages.length;
	}
	const db = createDb(env.DB, invocation.usage.d1);
	const ctx: QueueContext = { env: await instanceEnv(env, db), exec, db };
	let acked = 0;
	for (const message of batch.messages) {
		try {
			const handler = handlerFor(batch.queue, message.body);
			if (!handler) throw new Error(`No handler for queue ${batch.queue}`);
			await handler(message.body, ctx, message);
			message.ack();
			acked++;
			invocation.usage.acked(message);
		} catch (error) {
			if (error instanceof RetryLater) {
				if (!error.options.quiet) {
					console.warn(
						`Queue ${batch.queue}: message ${message.id} retried in ${error.delaySeconds}s: ${error.message}`,
					);
				}
				message.retry({ delaySeconds: error.delaySeconds });
			} else {
				console.error(`Queue ${batch.queue}: message ${message.id} failed (attempt ${message.attempts})`, error);
				message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
			}
		} finally {
			// Outbox events the message's work recorded (an Accept for a Follow…) go out now.
			await relayEvents(serviceContext(ctx.env, db), takePublishedEvents(db));
		}
	}
	return acked;
}

/** Keeps messages that ran out of retries in D1, where an admin can inspect and replay them. */
async function recordDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
	const rows = batch.messages.map((message) => ({
		id: newId(),
		queue: batch.queue.replace(/-dlq$/, ""),
		body: message.body,
		attempts: message.attempts,
		createdAt: new Date(),
	}));
	// If this insert fails the whole batch is retried: nothing is acked before it is stored.
	await createDb(env.DB).insert(deadLetters).values(rows);
	batch.ackAll();
}
