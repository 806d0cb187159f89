/**
 * What local actions tell the federation layer. Services publish an event
 * after their own write has committed; the delivery queue's consumer turns
 * each into an ActivityPub activity and fans it out to inboxes. Events carry
 * ids, plus what a deleted row can no longer tell (its URI, its audience).
 */
export type OutboxEvent =
	| { type: "status.created"; statusId: string }
	| { type: "status.updated"; statusId: string }
	| { type: "status.deleted"; statusId: string; accountId: string; uri: string }
	| { type: "reblog.created"; statusId: string }
	| { type: "reblog.deleted"; statusId: string; accountId: string; uri: string; reblogOfId: string }
	| { type: "favourite.created"; favouriteId: string }
	| { type: "favourite.deleted"; accountId: string; statusId: string; uri: string }
	| { type: "follow.requested"; followRequestId: string }
	| { type: "follow.undone"; accountId: string; targetAccountId: string; uri: string }
	| { type: "follow.accepted"; followId: string }
	| { type: "follow.rejected"; accountId: string; targetAccountId: string; uri: string | null }
	| { type: "block.created"; blockId: string }
	| { type: "block.undone"; accountId: string; targetAccountId: string; uri: string }
	| { type: "account.updated"; accountId: string }
	| { type: "poll.voted"; pollId: string; accountId: string; choices: number[] }
	/** A local report sent on as a Flag from the instance actor to the reported account's server (and `domains`). */
	| { type: "report.forwarded"; reportId: string; domains: string[] };

export interface OutboxMessage {
	type: "outbox.event";
	event: OutboxEvent;
}

/** Hands an event to the delivery queue; the request that caused it does not wait for any delivery. */
export async function publishOutboxEvent(env: Pick<Env, "DELIVERY_QUEUE">, event: OutboxEvent): Promise<void> {
	await env.DELIVERY_QUEUE.send({ type: "outbox.event", event } satisfies OutboxMessage);
}
