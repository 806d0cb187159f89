import { sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../db/client";
import { sqlAll } from "../../db/queries/raw";
import type { PendingInbox } from "../../db/schema";
import { newId } from "../../lib/ids";
import type { PlannedDelivery } from "./events";

/**
 * Inboxes per stored delivery (and so per queue message). Each message works
 * through its inboxes a few per invocation (DELIVERIES_PER_RUN), so 50 means
 * about ten invocations per message; a larger audience is split into several
 * messages that run side by side. See docs/performance.md for the queue
 * operations this costs.
 */
export const INBOXES_PER_DELIVERY = 50;

/** A delivery row as stored: one activity and the inboxes it is still owed. */
export interface NewDelivery {
	id: string;
	uri: string;
	accountId: string;
	type: string;
	body: string;
	inboxes: PendingInbox[];
}

/** The rows for one planned activity and its distinct inboxes, at most INBOXES_PER_DELIVERY each. */
export function deliveryRows(plan: PlannedDelivery, inboxes: string[], now = Date.now()): NewDelivery[] {
	const unique = [...new Set(inboxes)];
	const body = JSON.stringify(plan.activity);
	const rows: NewDelivery[] = [];
	for (let start = 0; start < unique.length; start += INBOXES_PER_DELIVERY) {
		rows.push({
			id: newId(now),
			uri: plan.activity.id,
			accountId: plan.accountId,
			type: plan.activity.type,
			body,
			inboxes: unique.slice(start, start + INBOXES_PER_DELIVERY).map((inbox) => ({ inbox, attempts: 0 })),
		});
	}
	return rows;
}

/**
 * Inserts a delivery only while the outbox event it comes from still exists,
 * so two relays of the same event (a slow waitUntil and the sweep) store its
 * activities once: the batch that stores them also deletes the event.
 */
export function insertDeliveryForEvent(
	db: Db,
	row: NewDelivery,
	eventId: string,
	now = Date.now(),
): BatchItem<"sqlite"> {
	return sqlAll<{ id: string }>(
		db,
		sql`insert into outbox_activities (id, uri, account_id, type, body, created_at, inboxes, next_at, version)
			select ${row.id}, ${row.uri}, ${row.accountId}, ${row.type}, ${row.body}, ${now},
				${JSON.stringify(row.inboxes)}, ${now}, 0
			where exists (select 1 from outbox_events where id = ${eventId})
			returning id`,
	);
}
