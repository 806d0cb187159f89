import { type ServiceContext, serviceContext } from "../../context";
import type { QueueContext } from "../../queues/messages";
import { deliverableInboxes } from "../domain-gates";
import { outboundFetch } from "../fetch";
import type { OutboxMessage } from "../outbox/events";
import type { ActivitySender } from "./deliver";
import { deliverActivity } from "./deliver";
import { planDeliveries } from "./events";
import { enqueueDeliveries, storeOutboxActivity } from "./expand";
import { isDeliverMessage } from "./messages";

function isOutboxMessage(body: unknown): body is OutboxMessage {
	const value = body as Partial<OutboxMessage> | null;
	return value?.type === "outbox.event" && typeof value.event?.type === "string";
}

/** Signs with the account's RSA key (one signature; a 401 is retried once with the other scheme) and POSTs. */
export function httpSender(ctx: ServiceContext): ActivitySender {
	// FetchError carries the `code` (timeout, network, refused…) that decides between retry and drop.
	return async (inbox, body, accountId) => {
		const response = await outboundFetch(ctx, inbox, { method: "POST", body, signAs: { accountId } });
		return { status: response.status };
	};
}

/**
 * Builds each activity of an outbox event, stores it once, and queues one
 * delivery per distinct inbox.
 */
export async function expandOutboxEvent(ctx: ServiceContext, message: OutboxMessage): Promise<number> {
	let total = 0;
	for (const plan of await planDeliveries(ctx, message.event)) {
		const inboxes = await deliverableInboxes(ctx, plan.audience);
		if (inboxes.length === 0) continue;
		const activityId = await storeOutboxActivity(ctx.db, { accountId: plan.accountId, activity: plan.activity });
		total += await enqueueDeliveries(ctx.env.DELIVERY_QUEUE, activityId, inboxes);
	}
	return total;
}

/** The delivery queue carries both outbox events and per-inbox deliveries. */
export async function handleDeliveryMessage(
	body: unknown,
	queue: QueueContext,
	message: Message<unknown>,
	send?: ActivitySender,
): Promise<void> {
	const ctx = serviceContext(queue.env, queue.db);
	if (isDeliverMessage(body)) {
		await deliverActivity(ctx.db, body, message.attempts, send ?? httpSender(ctx));
		return;
	}
	if (isOutboxMessage(body)) {
		await expandOutboxEvent(ctx, body);
		return;
	}
	throw new Error("Malformed delivery message");
}
