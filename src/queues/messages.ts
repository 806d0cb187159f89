import type { Db } from "../db/client";

/**
 * Message bodies of the jobs queue. Bodies carry ids, never secrets or whole
 * documents that could go stale; the consumer reads the rest from D1.
 * (The delivery queue carries OutboxMessage from federation/outbox/events.ts.)
 */
export type JobMessage =
	| { type: "account.generate_keys"; accountId: string }
	/** Home-feed fan-out of a post (or boost) whose author has too many local followers to do it in the request. */
	| { type: "timeline.fanout"; statusId: string }
	/**
	 * Web Push of one notification to its recipient's subscriptions; a follow-up
	 * after a partial failure names the subscriptions still owed it.
	 */
	| { type: "push.notification"; notificationId: string; subscriptionIds?: string[] }
	/** Blurhash and small version of an upload too large to decode while the client waited. */
	| { type: "media.process"; mediaId: string };

/**
 * The inbox queue: a verified activity stored in inbox_activities, by its id
 * (the row's key). Only activities whose processing right after the 202
 * failed, or never finished, come this way.
 */
export type InboxMessage = { type: "inbox.activity"; uri: string };

/** Cloudflare Queues take at most 100 messages per sendBatch call. */
export const SEND_BATCH_LIMIT = 100;

export const QUEUE_NAMES = {
	delivery: "tern-delivery",
	inbox: "tern-inbox",
	jobs: "tern-jobs",
} as const;

export interface QueueContext {
	env: Env;
	exec: ExecutionContext;
	db: Db;
}

export function isDeadLetterQueue(name: string): boolean {
	return name.endsWith("-dlq");
}
