import { type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import { newId } from "../../lib/ids";

/**
 * What local actions tell the federation layer. Events carry ids, plus what
 * a deleted row can no longer tell (its URI, its audience). The delivery side
 * (federation/delivery/events.ts) turns each into ActivityPub activities and
 * their audience.
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
	/** A local account moved to `targetAccountId` (already checked to list it as an alias): Move to its followers. */
	| { type: "account.moved"; accountId: string; targetAccountId: string; at: number }
	/** A local account was deleted by its owner: Delete of the actor to every server that knew it. */
	| { type: "account.deleted"; accountId: string }
	/** A local report sent on as a Flag from the instance actor to the reported account's server (and `domains`). */
	| { type: "report.forwarded"; reportId: string; domains: string[] };

/**
 * Events written through a database handle and not yet relayed. Each
 * request, queue message or waitUntil task has its own handle, so after its
 * work is done its own events are relayed at once (federation/outbox/relay.ts);
 * anything a dead isolate left behind is found by the cron's sweep.
 */
const published = new WeakMap<Db, Set<string>>();

/**
 * The transactional outbox: returns the statement that records `event`, for
 * the caller to put in the same `db.batch()` as the local change that causes
 * it, so the change and the promise to tell other servers commit together.
 * Once the handle's work is done, the event is relayed (planned, stored and
 * sent) right away; a crash before that leaves it for the sweep.
 *
 *   statements.push(publishOutboxEvent(db, { type: "status.created", statusId: id }));
 *
 * `when` (SQL, evaluated inside the batch) records the event only if it
 * holds, for changes that may turn out to be no-ops (`insert or ignore`).
 * Awaiting the statement alone also works, without the atomicity.
 */
export function publishOutboxEvent(db: Db, event: OutboxEvent, options: { when?: SQL } = {}): BatchItem<"sqlite"> {
	const now = Date.now();
	const id = newId(now);
	let ids = published.get(db);
	if (!ids) {
		ids = new Set();
		published.set(db, ids);
	}
	ids.add(id);
	return sqlRun(
		db,
		sql`insert into outbox_events (id, event, attempts, created_at)
			select ${id}, ${JSON.stringify(event)}, 0, ${now} where ${options.when ?? sql`1`}`,
	);
}

/** The ids of events published through `db` since the last call (they may not exist: a batch can fail). */
export function takePublishedEvents(db: Db): string[] {
	const ids = published.get(db);
	if (!ids || ids.size === 0) return [];
	published.delete(db);
	return [...ids];
}
