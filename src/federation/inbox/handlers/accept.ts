import { and, eq, isNull, or } from "drizzle-orm";
import { accounts, followRequests } from "../../../db/schema";
import { acceptFollowRequest } from "../../../services/accounts/following";
import type { ParsedActivity } from "../../parse";
import type { InboxHandler } from "../context";

/** The Follow an Accept or Reject answers: our request by its id, or by the inline Follow's actor. */
export async function findAnsweredRequest(
	ctx: Parameters<InboxHandler>[0],
	activity: ParsedActivity,
	targetId: string,
) {
	const inner = activity.object?.kind === "activity" ? activity.object : null;
	if (inner && inner.type !== "Follow") return undefined;
	const uri = inner?.id ?? activity.objectId ?? "";
	const rows = await ctx.db
		.select({ id: followRequests.id, accountId: followRequests.accountId })
		.from(followRequests)
		.innerJoin(accounts, eq(accounts.id, followRequests.accountId))
		.where(
			and(
				eq(followRequests.targetAccountId, targetId),
				isNull(accounts.domain),
				or(eq(followRequests.uri, uri), eq(accounts.uri, inner?.actor ?? "")),
			),
		)
		.limit(1);
	return rows[0];
}

/** Accept of one of our follow requests: the follow starts. Accepts of anything else are ignored. */
export const handleAccept: InboxHandler = async (ctx, { activity, actor }) => {
	const request = await findAnsweredRequest(ctx, activity, actor.id);
	if (request) await acceptFollowRequest(ctx.db, ctx.env, request.id);
};
