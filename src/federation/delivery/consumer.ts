import { sql } from "drizzle-orm";
import { serviceContext } from "../../context";
import type { QueueContext } from "../../queues/messages";
import { RetryLater } from "../../queues/retry";
import { type OutboxEvent, publishOutboxEvent } from "../outbox/events";
import { dispatchDeliveries, queueDeliveries, relayEvent, retryDelayOf } from "../outbox/relay";
import { isDeliverMessage, isLegacyDeliveryMessage, isRelayMessage, type LegacyDeliveryMessage } from "./messages";
import { type ActivitySender, runDelivery } from "./run";

/**
 * A delivery's message comes back (a retry, one read operation) until every
 * inbox got the activity. Queues give up on a message after 100 retries, so
 * past this many attempts it is replaced by a fresh one.
 */
export const ATTEMPTS_PER_MESSAGE = 90;

/**
 * The delivery queue's handler. Each message names a stored delivery; a run
 * sends to the inboxes that are due (a few per invocation), then the message
 * is retried at once while more are due, retried with a delay when the next
 * is a failed inbox's backoff, and acked when nothing is owed any more.
 */
export async function handleDeliveryMessage(
	body: unknown,
	queue: QueueContext,
	message: Pick<Message<unknown>, "attempts">,
	send?: ActivitySender,
): Promise<void> {
	const ctx = serviceContext(queue.env, queue.db);
	if (isRelayMessage(body)) {
		await dispatchDeliveries(ctx, await relayEvent(ctx, body.eventId), send);
		return;
	}
	if (isLegacyDeliveryMessage(body)) {
		const deliveryId = await adoptLegacyMessage(ctx.db, body);
		if (!deliveryId) return;
		body = { type: "deliver", deliveryId };
	}
	if (!isDeliverMessage(body)) throw new Error("Malformed delivery message");
	const now = Date.now();
	const run = await runDelivery(ctx, body.deliveryId, { send, now });
	if (run.state === "done") return;
	const delaySeconds = run.state === "due" ? 0 : retryDelayOf(run.retryAt ?? now, now);
	if (message.attempts >= ATTEMPTS_PER_MESSAGE) {
		await queueDeliveries(ctx, [{ id: body.deliveryId, delaySeconds }]);
		return;
	}
	throw new RetryLater(delaySeconds, `Delivery ${body.deliveryId} goes on`, { quiet: true });
}

/**
 * Messages sent before deliveries were stored per activity: an outbox event
 * is recorded (the consumer relays it after this message), a per-inbox
 * delivery is added to its activity's row. Returns the delivery to run, if any.
 */
async function adoptLegacyMessage(db: QueueContext["db"], body: LegacyDeliveryMessage): Promise<string | null> {
	if (body.type === "outbox.event") {
		await publishOutboxEvent(db, body.event as OutboxEvent);
		return null;
	}
	const rows = await db.all<{ id: string }>(
		sql`update outbox_activities set inboxes = json_insert(inboxes, '$[#]', json_object('inbox', ${body.inbox}, 'attempts', 0)),
			next_at = coalesce(next_at, ${Date.now()}), version = version + 1
			where id = ${body.activityId} returning id`,
	);
	return rows[0]?.id ?? null;
}
