import { serviceContext } from "../../context";
import type { Db } from "../../db/client";
import type { InboxMessage } from "../../queues/messages";
import { takePublishedEvents } from "../outbox/events";
import { relayEvents } from "../outbox/relay";
import type { ParsedActivity } from "../parse";
import { dispatchActivity } from "./dispatch";
import { countInboxAttempt, finishInboxActivity } from "./store";

/** Before the first retry from the inbox queue; the queue's own backoff takes over from there. */
export const INBOX_RETRY_DELAY_SECONDS = 30;

/**
 * Runs a just-stored activity through its handler right after the 202
 * (waitUntil), so most activities cost no queue operation at all: marks it
 * processed (and its sender's host reachable), then relays what it caused
 * (an Accept…). If the handler fails, the activity goes to the inbox queue,
 * which retries with backoff; if the isolate dies, the sweep finds the row.
 */
export async function processReceivedActivity(
	env: Env,
	db: Db,
	activity: ParsedActivity,
	recipientAccountId: string | null,
): Promise<void> {
	const ctx = serviceContext(env, db);
	try {
		await dispatchActivity(ctx, activity, recipientAccountId);
	} catch (error) {
		console.warn(`Inbox activity ${activity.id} failed; handed to the inbox queue`, error);
		await env.INBOX_QUEUE.send({ type: "inbox.activity", uri: activity.id } satisfies InboxMessage, {
			delaySeconds: INBOX_RETRY_DELAY_SECONDS,
		});
		await countInboxAttempt(db, [activity.id]);
		return;
	}
	await finishInboxActivity(db, activity);
	await relayEvents(ctx, takePublishedEvents(db));
}
