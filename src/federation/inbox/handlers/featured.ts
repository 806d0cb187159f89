import { and, eq, isNull } from "drizzle-orm";
import type { ServiceContext } from "../../../context";
import { statuses, statusPins } from "../../../db/schema";
import type { InboxHandler, InboxInput } from "../context";

/** The actor's own post named by an Add/Remove whose target is the actor's featured collection. */
async function featuredStatus(ctx: ServiceContext, { activity, actor }: InboxInput) {
	if (!activity.objectId || !actor.featuredUrl || activity.target !== actor.featuredUrl) return undefined;
	const rows = await ctx.db
		.select({ id: statuses.id })
		.from(statuses)
		.where(and(eq(statuses.uri, activity.objectId), eq(statuses.accountId, actor.id), isNull(statuses.deletedAt)))
		.limit(1);
	return rows[0];
}

/** Add to the featured collection: the post is pinned on the remote profile. */
export const handleAdd: InboxHandler = async (ctx, input) => {
	const status = await featuredStatus(ctx, input);
	if (!status) return;
	await ctx.db
		.insert(statusPins)
		.values({ accountId: input.actor.id, statusId: status.id, createdAt: new Date() })
		.onConflictDoNothing();
};

export const handleRemove: InboxHandler = async (ctx, input) => {
	const status = await featuredStatus(ctx, input);
	if (!status) return;
	await ctx.db
		.delete(statusPins)
		.where(and(eq(statusPins.accountId, input.actor.id), eq(statusPins.statusId, status.id)));
};
