import { and, eq, isNull, or } from "drizzle-orm";
import { accounts, follows } from "../../../db/schema";
import { rejectFollowRequest, removeFollow } from "../../../services/accounts/following";
import type { InboxHandler } from "../context";
import { findAnsweredRequest } from "./accept";

/**
 * Reject of a pending request, or of an established follow (the remote
 * account removed a local follower): either way the local account no longer follows.
 */
export const handleReject: InboxHandler = async (ctx, { activity, actor }) => {
	const request = await findAnsweredRequest(ctx, activity, actor.id);
	if (request) {
		await rejectFollowRequest(ctx.db, ctx.env, request.id);
		return;
	}
	const inner = activity.object?.kind === "activity" ? activity.object : null;
	const rows = await ctx.db
		.select({ accountId: follows.accountId })
		.from(follows)
		.innerJoin(accounts, eq(accounts.id, follows.accountId))
		.where(
			and(
				eq(follows.targetAccountId, actor.id),
				isNull(accounts.domain),
				or(eq(follows.uri, inner?.id ?? activity.objectId ?? ""), eq(accounts.uri, inner?.actor ?? "")),
			),
		)
		.limit(1);
	const follow = rows[0];
	if (follow) await removeFollow(ctx.db, follow.accountId, actor.id);
};
