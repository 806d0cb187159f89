import { eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { ServiceContext } from "../../context";
import { outboxEvents } from "../../db/schema";
import { MAX_RETRY_DELAY_SECONDS } from "../../queues/backoff";
import { SEND_BATCH_LIMIT } from "../../queues/messages";
import { planDeliveries } from "../delivery/events";
import type { DeliverMessage } from "../delivery/messages";
import { type ActivitySender, runDelivery } from "../delivery/run";
import { deliveryRows, insertDeliveryForEvent, type NewDelivery } from "../delivery/store";
import { deliverableInboxes } from "../domain-gates";
import type { OutboxEvent } from "./events";

/**
 * The outbox relay: turns recorded outbox events into stored deliveries and
 * sets them going. It runs right after the work that published the events
 * (the request's waitUntil, the end of a queue message), and from the cron's
 * sweep for whatever a dead isolate left behind.
 */

/** A delivery owed to this few inboxes is sent by the relay itself: no queue message, no queue operations. */
export const INLINE_DELIVERY_INBOXES = 1;

export interface StoredDelivery {
	id: string;
	inboxes: number;
}

/**
 * Plans one event's activities and audience (without what the instance's
 * domain blocks refuse) and stores them, deleting the
 * event in the same batch; a relay of an event already relayed (or never
 * committed) stores nothing. A failure counts an attempt and rethrows.
 */
export async function relayEvent(ctx: ServiceContext, eventId: string, now = Date.now()): Promise<StoredDelivery[]> {
	const { db } = ctx;
	const [row] = await db.select().from(outboxEvents).where(eq(outboxEvents.id, eventId)).limit(1);
	if (!row) return [];
	try {
		const rows: NewDelivery[] = [];
		for (const plan of await planDeliveries(ctx, row.event as OutboxEvent)) {
			// The domain-block door: no inbox on a suspended domain, no suspended account.
			rows.push(...deliveryRows(plan, await deliverableInboxes(ctx, plan.audience), now));
		}
		const statements: BatchItem<"sqlite">[] = rows.map((r) => insertDeliveryForEvent(db, r, eventId, now));
		statements.push(db.delete(outboxEvents).where(eq(outboxEvents.id, eventId)));
		const results = await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
		return rows
			.filter((_, i) => (results[i] as unknown[]).length > 0)
			.map((r) => ({ id: r.id, inboxes: r.inboxes.length }));
	} catch (error) {
		await db.update(outboxEvents).set({ attempts: sql`attempts + 1` }).where(eq(outboxEvents.id, eventId));
		throw error;
	}
}

function delaySeconds(retryAt: number, now: number): number {
	return Math.min(MAX_RETRY_DELAY_SECONDS, Math.max(0, Math.ceil((retryAt - now) / 1000)));
}

/** Queues one message per delivery (in batches of at most 100), with an optional delay each. */
export async function queueDeliveries(
	ctx: Pick<ServiceContext, "env">,
	deliveries: { id: string; delaySeconds?: number }[],
): Promise<void> {
	for (let start = 0; start < deliveries.length; start += SEND_BATCH_LIMIT) {
		await ctx.env.DELIVERY_QUEUE.sendBatch(
			deliveries.slice(start, start + SEND_BATCH_LIMIT).map((d) => ({
				body: { type: "deliver", deliveryId: d.id } satisfies DeliverMessage,
				...(d.delaySeconds ? { delaySeconds: d.delaySeconds } : {}),
			})),
		);
	}
}

/**
 * Sets stored deliveries going: one owed to INLINE_DELIVERY_INBOXES inboxes
 * or fewer is sent here and queued only if it has to be retried; the others
 * go to the delivery queue, one message each. If this dies half-way the rows
 * stay due, and the sweep queues them.
 */
export async function dispatchDeliveries(
	ctx: ServiceContext,
	deliveries: StoredDelivery[],
	send?: ActivitySender,
): Promise<void> {
	const queued: { id: string; delaySeconds?: number }[] = [];
	for (const delivery of deliveries) {
		if (delivery.inboxes > INLINE_DELIVERY_INBOXES) {
			queued.push({ id: delivery.id });
			continue;
		}
		const now = Date.now();
		const run = await runDelivery(ctx, delivery.id, { budget: INLINE_DELIVERY_INBOXES, send, now });
		if (run.state === "due") queued.push({ id: delivery.id });
		if (run.state === "later" && run.retryAt !== undefined) {
			queued.push({ id: delivery.id, delaySeconds: delaySeconds(run.retryAt, now) });
		}
	}
	await queueDeliveries(ctx, queued);
}

/** Relays events published by finished work, in order; one failing never holds back the others. */
export async function relayEvents(ctx: ServiceContext, eventIds: string[], send?: ActivitySender): Promise<void> {
	for (const id of eventIds) {
		try {
			await dispatchDeliveries(ctx, await relayEvent(ctx, id), send);
		} catch (error) {
			// The event or its deliveries stay stored; the sweep picks them up.
			console.error(`Outbox event ${id} not relayed yet`, error);
		}
	}
}

/** The delay before a delivery's next run, for a consumer retrying its message. */
export function retryDelayOf(retryAt: number, now = Date.now()): number {
	return delaySeconds(retryAt, now);
}
