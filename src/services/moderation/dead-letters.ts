import { and, asc, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type DeadLetter, deadLetters } from "../../db/schema";
import { newId } from "../../lib/ids";
import { QUEUE_NAMES } from "../../queues/messages";
import { logActionStatement, type Moderator } from "./audit-log";

/**
 * Queue messages that ran out of retries wait in `dead_letters` until an
 * admin replays them: the body goes back to the queue it came from, as new,
 * and the row goes; if it fails again it comes back. Rows marked for replay
 * are "held": the console sends them at once, the cron every ten minutes.
 * The CLI holds its replays that way, and with local state any message it
 * means for a queue (its queues cannot reach a running dev server), so
 * nothing it asks for is lost.
 */
export type ReplayEnv = Pick<Env, "DELIVERY_QUEUE" | "INBOX_QUEUE" | "JOBS_QUEUE">;

function producerFor(env: ReplayEnv, queue: string): Queue | undefined {
	switch (queue) {
		case QUEUE_NAMES.delivery:
			return env.DELIVERY_QUEUE;
		case QUEUE_NAMES.inbox:
			return env.INBOX_QUEUE;
		case QUEUE_NAMES.jobs:
			return env.JOBS_QUEUE;
		default:
			return undefined;
	}
}

/** Dead letters not yet marked for replay, newest first. */
export async function listDeadLetters(db: Db, limit = 50): Promise<DeadLetter[]> {
	return db
		.select()
		.from(deadLetters)
		.where(isNull(deadLetters.replayRequestedAt))
		.orderBy(desc(deadLetters.id))
		.limit(limit);
}

export async function heldMessageCount(db: Db): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)` })
		.from(deadLetters)
		.where(isNotNull(deadLetters.replayRequestedAt));
	return Number(row?.n ?? 0);
}

export async function findDeadLetter(db: Db, id: string): Promise<DeadLetter | undefined> {
	const [row] = await db.select().from(deadLetters).where(eq(deadLetters.id, id)).limit(1);
	return row;
}

/** One line saying what a dead message was for, from its body's type and target. */
export function describeDeadLetter(letter: Pick<DeadLetter, "body">): string {
	const body = (letter.body ?? {}) as Record<string, unknown>;
	const type = typeof body.type === "string" ? body.type : "message";
	if (type === "deliver" && typeof body.inbox === "string") return `delivery to ${body.inbox}`;
	if (type === "outbox.event") {
		const event = body.event as { type?: unknown } | undefined;
		return `outbox event ${typeof event?.type === "string" ? event.type : ""}`.trim();
	}
	return type.replace(/[._]/g, " ");
}

export class UnknownQueueError extends Error {}

function replayLog(db: Db, moderator: Moderator, letter: DeadLetter, how: string) {
	return logActionStatement(db, moderator, {
		action: "replay",
		targetType: "DeadLetter",
		targetId: letter.id,
		humanIdentifier: describeDeadLetter(letter),
		note: `${letter.queue}, ${letter.attempts} attempts${how}`,
	});
}

/** Sends a dead letter back to its queue now (the console, which runs in the Worker). */
export async function replayDeadLetter(
	db: Db,
	env: ReplayEnv,
	moderator: Moderator,
	letter: DeadLetter,
): Promise<void> {
	const producer = producerFor(env, letter.queue);
	if (!producer) throw new UnknownQueueError(`No queue named ${letter.queue} to replay into`);
	// Sent before the row goes: a crash in between replays it twice, never zero times.
	await producer.send(letter.body);
	await db.batch([db.delete(deadLetters).where(eq(deadLetters.id, letter.id)), replayLog(db, moderator, letter, "")]);
}

/** Marks a dead letter for replay; the cron (or the console) sends it. */
export async function requestReplay(db: Db, moderator: Moderator, letter: DeadLetter): Promise<void> {
	if (!Object.values(QUEUE_NAMES).includes(letter.queue as never)) {
		throw new UnknownQueueError(`No queue named ${letter.queue} to replay into`);
	}
	await db.batch([
		db.update(deadLetters).set({ replayRequestedAt: new Date() }).where(eq(deadLetters.id, letter.id)),
		replayLog(db, moderator, letter, ", held until the server sends it"),
	]);
}

/** Keeps messages for a queue in D1 until the server sends them (see above). */
export async function holdQueueMessages(db: Db, queue: string, bodies: unknown[]): Promise<void> {
	if (bodies.length === 0) return;
	const now = new Date();
	await db
		.insert(deadLetters)
		.values(
			bodies.map((body) => ({ id: newId(now), queue, body, attempts: 0, createdAt: now, replayRequestedAt: now })),
		);
}

/** Sends held messages (oldest first), at most `limit`; returns how many went. */
export async function sendHeldMessages(db: Db, env: ReplayEnv, limit = 100): Promise<number> {
	const held = await db
		.select()
		.from(deadLetters)
		.where(isNotNull(deadLetters.replayRequestedAt))
		.orderBy(asc(deadLetters.id))
		.limit(limit);
	let sent = 0;
	for (const letter of held) {
		const producer = producerFor(env, letter.queue);
		if (!producer) continue;
		await producer.send(letter.body);
		await db.delete(deadLetters).where(and(eq(deadLetters.id, letter.id), isNotNull(deadLetters.replayRequestedAt)));
		sent++;
	}
	return sent;
}
