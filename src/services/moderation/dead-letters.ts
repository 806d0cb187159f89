import { and, asc, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type DeadLetter, deadLetters, inboxActivities } from "../../db/schema";
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

/**
 * One line saying what a dead message was for, from its body's type and
 * target. The bodies are the queues' messages: `deliver` (a stored delivery;
 * one given up by its run also names the activity and the inbox), `relay`
 * (an outbox event), `outbox.event` (an event the sweep gave up, with the
 * event itself), `inbox.activity` (a stored inbound activity, by its id), and
 * the jobs queue's messages.
 */
export function describeDeadLetter(letter: Pick<DeadLetter, "body">): string {
	const body = (letter.body ?? {}) as Record<string, unknown>;
	const type = typeof body.type === "string" ? body.type : legacyType(body);
	if (type === "deliver") {
		if (typeof body.inbox === "string") {
			return typeof body.uri === "string" ? `delivery of ${body.uri} to ${body.inbox}` : `delivery to ${body.inbox}`;
		}
		return typeof body.deliveryId === "string" ? `delivery ${body.deliveryId}` : "delivery";
	}
	if (type === "relay") return typeof body.eventId === "string" ? `relay of outbox event ${body.eventId}` : "relay";
	if (type === "outbox.event") {
		const event = body.event as { type?: unknown } | undefined;
		return `outbox event ${typeof event?.type === "string" ? event.type : ""}`.trim();
	}
	if (type === "inbox.activity" && typeof body.uri === "string") return `inbound activity ${body.uri}`;
	return type.replace(/[._]/g, " ");
}

/** Bodies written without a type before every dead letter was a queue message of its own. */
function legacyType(body: Record<string, unknown>): string {
	if (typeof body.eventId === "string" && typeof body.event === "object") return "outbox.event";
	if (typeof body.activityId === "string" && typeof body.inbox === "string") return "deliver";
	return "message";
}

/** The message a replay sends: the body itself, or, for a body written without a type, the message it stands for. */
export function replayMessage(letter: Pick<DeadLetter, "body">): unknown {
	const body = (letter.body ?? {}) as Record<string, unknown>;
	if (typeof body.type === "string") return body;
	const type = legacyType(body);
	if (type === "outbox.event") return { type, event: body.event };
	if (type === "deliver") return { type, activityId: body.activityId, inbox: body.inbox };
	return body;
}

/**
 * What must hold in D1 before a replayed message can do anything: an inbound
 * activity the sweep gave up was marked processed, so it is opened again,
 * with its hand-overs counted so that the sweep leaves it to the queue for a
 * day (see federation/inbox/sweep.ts) instead of sending it a second time.
 */
async function prepareReplay(db: Db, message: unknown, now = Date.now()): Promise<void> {
	const body = message as { type?: unknown; uri?: unknown } | null;
	if (body?.type !== "inbox.activity" || typeof body.uri !== "string") return;
	await db
		.update(inboxActivities)
		.set({
			processedAt: null,
			attempts: sql`cast((${now} - ${inboxActivities.createdAt}) / ${DAY_MS} as integer) + 1`,
		})
		.where(eq(inboxActivities.uri, body.uri));
}

const DAY_MS = 24 * 60 * 60 * 1000;

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
	const message = replayMessage(letter);
	await prepareReplay(db, message);
	await producer.send(message);
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
		const message = replayMessage(letter);
		await prepareReplay(db, message);
		await producer.send(message);
		await db.delete(deadLetters).where(and(eq(deadLetters.id, letter.id), isNotNull(deadLetters.replayRequestedAt)));
		sent++;
	}
	return sent;
}
