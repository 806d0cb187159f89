import { and, eq } from "drizzle-orm";
import { followRequests, follows } from "../../../db/schema";
import { NotPermittedError } from "../../../services/errors";
import { follow } from "../../../services/following";
import { publishOutboxEvent } from "../../../services/outbox-events";
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
		outcome = await follow(ctx.db, ctx.env, actor, target);
	} catch (error) {
		if (!(error instanceof NotPermittedError)) throw error;
		await publishOutboxEvent(ctx.env, {
			type: "follow.rejected",
			accountId: actor.id,
			targetAccountId: target.id,
			uri: activity.id,
		});
		return;
	}
	const table = outcome === "following" ? follows : followRequests;
	const rows = await ctx.db
		.update(table)
		.set({ uri: activity.id })
		.where(and(eq(table.accountId, actor.id), eq(table.targetAccountId, target.id)))
		.returning({ id: table.id });
	const row = rows[0];
	if (outcome === "following" && row) await publishOutboxEvent(ctx.env, { type: "follow.accepted", followId: row.id });
};
