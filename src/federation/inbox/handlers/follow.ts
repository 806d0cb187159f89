import { and, eq } from "drizzle-orm";
import { follows } from "../../../db/schema";
import { NotPermittedError } from "../../../lib/errors";
import { follow } from "../../../services/accounts/following";
import { publishOutboxEvent } from "../../outbox/events";
import type { InboxHandler } from "../context";
import { findLocalAccountByUri } from "../lookup";

/**
 * Follow of a local account: followed at once and answered with an Accept,
 * or a follow request when the account is locked (its owner accepts later).
 * Blocked followers get a Reject. The Follow's id is kept for Accept and Undo.
 */
export const handleFollow: InboxHandler = async (ctx, { activity, actor }) => {
	if (!activity.objectId) return;
	const target = await findLocalAccountByUri(ctx.db, activity.objectId);
	if (!target || target.suspendedAt) return;
	let outcome: Awaited<ReturnType<typeof follow>>;
	try {
		outcome = await follow(ctx.db, ctx.env, actor, target, { uri: activity.id });
	} catch (error) {
		if (!(error instanceof NotPermittedError)) throw error;
		await publishOutboxEvent(ctx.db, {
			type: "follow.rejected",
			accountId: actor.id,
			targetAccountId: target.id,
			uri: activity.id,
		});
		return;
	}
	if (outcome !== "following") return;
	// Answered with an Accept whether the follow is new or repeated (the peer may have lost our
	// first Accept); a repeated Follow's new id replaces the old one, since the peer's Undo will use it.
	const rows = await ctx.db
		.select({ id: follows.id, uri: follows.uri })
		.from(follows)
		.where(and(eq(follows.accountId, actor.id), eq(follows.targetAccountId, target.id)))
		.limit(1);
	const row = rows[0];
	if (!row) return;
	const accept = publishOutboxEvent(ctx.db, { type: "follow.accepted", followId: row.id });
	if (row.uri === activity.id) await accept;
	else await ctx.db.batch([ctx.db.update(follows).set({ uri: activity.id }).where(eq(follows.id, row.id)), accept]);
};
