import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { sqlAll, sqlRun } from "../../db/queries/raw";
import { newId } from "../../lib/ids";
import { SEND_BATCH_LIMIT } from "../../queues/messages";
import type { RelayMessage } from "../delivery/messages";
import { queueDeliveries } from "./relay";

/**
 * What the cron finds of the outbox that nothing is working on, handed back
 * to the delivery queue: events whose relay never finished (the isolate died
 * after the action's batch committed) and deliveries whose message was lost
 * (an isolate died before queueing it, or the queue dropped it: messages are
 * kept 24 hours on the Free plan, and a failing inbox is retried for days).
 * Both tables hold only unfinished rows, so looking costs next to nothing.
 * The sweep only queues: planning and sending happen in queue invocations,
 * each with its own CPU allowance.
 */

/** A relay runs right after its request; an event older than this has none coming. */
export const EVENT_GRACE_MS = 60 * 1000;
/**
 * A delivery that has been due this long has no live message: a running one
 * saves its progress (and moves `next_at`) every few seconds.
 */
export const STALE_DELIVERY_MS = 2 * 60 * 1000;
/**
 * Relay attempts after which an event is given up, kept in `dead_letters` as
 * an `outbox.event` message: replaying it records the event again.
 */
export const MAX_EVENT_ATTEMPTS = 5;
/** Rows handed over per sweep; the rest wait for the next one. */
const SWEEP_LIMIT = 200;

export interface OutboxSweep {
	events: number;
	deliveries: number;
	givenUp: number;
}

export async function sweepOutbox(ctx: ServiceContext, now = Date.now()): Promise<OutboxSweep> {
	const { db } = ctx;
	const [events, stale] = await db.batch([
		sqlAll<{ id: string; attempts: number }>(
			db,
			sql`select id, attempts from outbox_events where created_at < ${now - EVENT_GRACE_MS}
				order by id limit ${SWEEP_LIMIT}`,
		),
		sqlAll<{ id: string }>(
			db,
			sql`select id from outbox_activities where next_at is not null and next_at < ${now - STALE_DELIVERY_MS}
				limit ${SWEEP_LIMIT}`,
		),
	]);
	const givenUp = events.filter((e) => e.attempts >= MAX_EVENT_ATTEMPTS).map((e) => e.id);
	const retried = events.filter((e) => e.attempts < MAX_EVENT_ATTEMPTS).map((e) => e.id);
	if (givenUp.length > 0) {
		const ids = JSON.stringify(givenUp);
		console.error(`Outbox events given up after ${MAX_EVENT_ATTEMPTS} relay attempts: ${givenUp.join(", ")}`);
		await db.batch([
			sqlRun(
				db,
				sql`insert into dead_letters (id, queue, body, attempts, created_at)
				select ${newId(now)} || '-' || e.id, 'tern-delivery', json_object('type', 'outbox.event', 'eventId', e.id, 'event', json(e.event)), e.attempts, ${now}
				from outbox_events e where e.id in (select value from json_each(${ids}))`,
			),
			sqlRun(db, sql`delete from outbox_events where id in (select value from json_each(${ids}))`),
		]);
	}
	for (let start = 0; start < retried.length; start += SEND_BATCH_LIMIT) {
		await ctx.env.DELIVERY_QUEUE.sendBatch(
			retried
				.slice(start, start + SEND_BATCH_LIMIT)
				.map((eventId) => ({ body: { type: "relay", eventId } satisfies RelayMessage })),
		);
	}
	if (stale.length > 0) {
		await queueDeliveries(
			ctx,
			stale.map((d) => ({ id: d.id })),
		);
		// Due from now: the next sweep leaves them to the message just sent unless it, too, is lost.
		await db.run(
			sql`update outbox_activities set next_at = ${now}
				where id in (select value from json_each(${JSON.stringify(stale.map((d) => d.id))})) and next_at is not null`,
		);
	}
	return { events: retried.length, deliveries: stale.length, givenUp: givenUp.length };
}
