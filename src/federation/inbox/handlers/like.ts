import { and, eq } from "drizzle-orm";
import type { ServiceContext } from "../../../context";
import { favourites, statusReactions } from "../../../db/schema";
import { newId } from "../../../lib/ids";
import { favouriteStatus } from "../../../services/statuses/interactions";
import type { ParsedActivity } from "../../parse";
import type { InboxHandler } from "../context";
import { findStatusByUri } from "../lookup";

/** Likes that only carry Mastodon's meaning: no reaction is kept for them. */
const PLAIN_LIKES = new Set(["❤", "❤️", "♥", "👍", "⭐"]);

/**
 * Like of a local post: a favourite (count, notification). Misskey sends
 * reactions as a Like with `_misskey_reaction`; the emoji is kept as well.
 */
export const handleLike: InboxHandler = async (ctx, { activity, actor }) => {
	if (!activity.objectId) return;
	const status = await findStatusByUri(ctx.db, activity.objectId);
	if (!status?.local) return;
	await favouriteStatus(ctx, actor, status);
	await ctx.db
		.update(favourites)
		.set({ uri: activity.id })
		.where(and(eq(favourites.accountId, actor.id), eq(favourites.statusId, status.id)));
	const reaction = activity.content;
	if (reaction && !PLAIN_LIKES.has(reaction)) await storeReaction(ctx, activity, actor.id, status.id, reaction);
};

/** Keeps which emoji a reaction was: Unicode as is, custom emoji by shortcode with its image. */
export async function storeReaction(
	ctx: ServiceContext,
	activity: ParsedActivity,
	accountId: string,
	statusId: string,
	reaction: string,
): Promise<void> {
	const custom = /^:([\w.+-]+?)(@[\w.-]+)?:$/.exec(reaction.trim());
	const shortcode = custom?.[1];
	const emoji = shortcode ? activity.tags.emojis.find((e) => e.shortcode === shortcode) : undefined;
	if (custom && !emoji) return;
	await ctx.db
		.insert(statusReactions)
		.values({
			id: newId(),
			accountId,
			statusId,
			name: shortcode ?? [...reaction.trim()].slice(0, 8).join(""),
			emojiUrl: emoji?.url ?? null,
			uri: activity.id,
			createdAt: new Date(),
		})
		.onConflictDoNothing();
}
