import { and, eq } from "drizzle-orm";
import { favourites } from "../../../db/schema";
import { favouriteStatus } from "../../../services/statuses/interactions";
import type { InboxHandler } from "../context";
import { findStatusByUri } from "../lookup";
import { storeReaction } from "./like";

/** Pleroma/Akkoma/Misskey EmojiReact: counted as a favourite (what Mastodon clients show), the emoji kept. */
export const handleEmojiReact: InboxHandler = async (ctx, { activity, actor }) => {
	if (!activity.objectId || !activity.content) return;
	const status = await findStatusByUri(ctx.db, activity.objectId);
	if (!status?.local) return;
	await favouriteStatus(ctx, actor, status);
	await ctx.db
		.update(favourites)
		.set({ uri: activity.id })
		.where(and(eq(favourites.accountId, actor.id), eq(favourites.statusId, status.id)));
	await storeReaction(ctx, activity, actor.id, status.id, activity.content);
};
