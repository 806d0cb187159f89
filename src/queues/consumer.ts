import { createDb } from "../db/client";
import { deadLetters } from "../db/schema";
import { newId } from "../lib/ids";
import { retryDelaySeconds } from "./backoff";
import { runJob } from "./jobs";
import { isDeadLetterQueue, type QueueMessage } from "./messages";

/**
 * The queue handler. Each message is acked or retried on its own, so one bad
 * message never holds back or drops the rest of its batch.
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
	const db = createDb(env.DB);
	if (isDeadLetterQueue(batch.queue)) {
		await recordDeadLetters(batch, env);
		return;
	}
	for (const message of batch.messages) {
		try {
			await runJob(message.body as QueueMessage, { env, db });
			message.ack();
		} catch (error) {
			console.error(`Queue ${batch.queue}: message ${message.id} failed (attempt ${message.attempts})`, error);
			message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
		}
	}
}

/** Keeps messages that ran out of retries in D1, where an admin can inspect and replay them. */
async function recordDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
	const db = createDb(env.DB);
	const rows = batch.messages.map((message) => ({
		id: newId(),
		queue: batch.queue.replace(/-dlq$/, ""),
		body: message.body,
		attempts: message.attempts,
		createdAt: new Date(),
	}));
	// If this insert fails the whole batch is retried: nothing is acked before it is stored.
	await db.insert(deadLetters).values(rows);
	batch.ackAll();
}
