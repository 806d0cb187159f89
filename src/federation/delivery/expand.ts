import type { Db } from "../../db/client";
import { outboxActivities } from "../../db/schema";
import { newId } from "../../lib/ids";
import { SEND_BATCH_LIMIT } from "../../queues/messages";
import type { DeliverMessage } from "./messages";

export { SEND_BATCH_LIMIT };

export interface BuiltActivity {
	/** The local account that signs it. */
	accountId: string;
	activity: Record<string, unknown> & { id: string; type: string };
}

/** Stores an activity once; every delivery message refers to the returned id. */
export async function storeOutboxActivity(db: Db, built: BuiltActivity): Promise<string> {
	const id = newId();
	await db.insert(outboxActivities).values({
		id,
		uri: built.activity.id,
		accountId: built.accountId,
		type: built.activity.type,
		body: built.activity,
		createdAt: new Date(),
	});
	return id;
}

/** One message per inbox, sent in batches of at most 100. */
export async function enqueueDeliveries(
	queue: { sendBatch(messages: Iterable<MessageSendRequest<DeliverMessage>>): Promise<unknown> },
	activityId: string,
	inboxes: string[],
): Promise<number> {
	const unique = [...new Set(inboxes)];
	for (let start = 0; start < unique.length; start += SEND_BATCH_LIMIT) {
		const chunk = unique.slice(start, start + SEND_BATCH_LIMIT);
		await queue.sendBatch(chunk.map((inbox) => ({ body: { type: "deliver", activityId, inbox } })));
	}
	return unique.length;
}
