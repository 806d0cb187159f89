import { type ServiceContext, serviceContext } from "../../context";
import type { InboxMessage, QueueContext } from "../../queues/messages";
import { inboxRefuses } from "../domain-gates";
import { type ParsedActivity, ParseError, parseActivity } from "../parse";
import { resolveRemoteAccount } from "./actors";
import type { InboxHandler } from "./context";
import { handleAccept } from "./handlers/accept";
import { handleAnnounce } from "./handlers/announce";
import { handleBlock } from "./handlers/block";
import { handleCreate } from "./handlers/create";
import { handleDelete } from "./handlers/delete";
import { handleEmojiReact } from "./handlers/emoji-react";
import { handleAdd, handleRemove } from "./handlers/featured";
import { handleFlag } from "./handlers/flag";
import { handleFollow } from "./handlers/follow";
import { handleLike } from "./handlers/like";
import { handleMove } from "./handlers/move";
import { handleReject } from "./handlers/reject";
import { handleUndo } from "./handlers/undo";
import { handleUpdate } from "./handlers/update";
import { findInboxActivity, finishInboxActivity, markInboxActivityProcessed } from "./store";

/** One handler per activity type; types not listed are accepted and ignored. */
export const INBOX_HANDLERS: Record<string, InboxHandler> = {
	Follow: handleFollow,
	Accept: handleAccept,
	Reject: handleReject,
	Undo: handleUndo,
	Create: handleCreate,
	Update: handleUpdate,
	Delete: handleDelete,
	Announce: handleAnnounce,
	Like: handleLike,
	EmojiReact: handleEmojiReact,
	Block: handleBlock,
	Flag: handleFlag,
	Move: handleMove,
	Add: handleAdd,
	Remove: handleRemove,
};

function isInboxMessage(body: unknown): body is InboxMessage {
	const value = body as { type?: unknown; uri?: unknown } | null;
	return value?.type === "inbox.activity" && typeof value.uri === "string";
}

/** What the queue carried before activities were keyed by their id; the sweep re-sends those rows. */
function isLegacyInboxMessage(body: unknown): boolean {
	const value = body as { type?: unknown; inboxActivityId?: unknown } | null;
	return value?.type === "inbox.activity" && typeof value.inboxActivityId === "string";
}

/**
 * Runs one activity through its handler. A domain suspended between the 202
 * and now (processing right after the response, the queue, the sweep) means
 * the activity has no effect, as if the inbox had refused it.
 */
export async function dispatchActivity(
	ctx: ServiceContext,
	activity: ParsedActivity,
	recipientAccountId: string | null,
): Promise<void> {
	const handler = INBOX_HANDLERS[activity.type];
	if (!handler) return;
	if (await inboxRefuses(ctx, activity.actor)) return;
	// A Delete of an actor we never stored needs no fetch of a profile that is gone.
	if (activity.type === "Delete" && activity.objectId === activity.actor) {
		const known = await resolveRemoteAccount(ctx, activity.actor, { fetch: false });
		if (known) await handler(ctx, { activity, actor: known, recipientAccountId });
		return;
	}
	const actor = await resolveRemoteAccount(ctx, activity.actor);
	// Local actors act through the API; an activity naming one is never taken from an inbox.
	if (!actor || actor.domain === null || actor.suspendedAt) return;
	await handler(ctx, { activity, actor, recipientAccountId });
}

/** The inbox queue's handler: loads the stored activity by id, dispatches it once. */
export async function processInboxMessage(body: unknown, queue: QueueContext): Promise<void> {
	if (isLegacyInboxMessage(body)) return;
	if (!isInboxMessage(body)) throw new Error("Malformed inbox message");
	const ctx = serviceContext(queue.env, queue.db);
	const row = await findInboxActivity(ctx.db, body.uri);
	if (!row || row.processedAt) return;
	let activity: ParsedActivity;
	try {
		activity = parseActivity(row.body);
	} catch (error) {
		if (!(error instanceof ParseError)) throw error;
		await markInboxActivityProcessed(ctx.db, row.uri);
		return;
	}
	await dispatchActivity(ctx, activity, row.recipientAccountId);
	await finishInboxActivity(ctx.db, activity);
}
