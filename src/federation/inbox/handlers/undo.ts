import { and, eq, isNull, or } from "drizzle-orm";
import type { ServiceContext } from "../../../context";
import { blocks, favourites, followRequests, follows, statuses, statusReactions } from "../../../db/schema";
import { unblock } from "../../../services/accounts/blocks";
import { removeFollow } from "../../../services/accounts/following";
import { deleteStatus } from "../../../services/statuses/deletion";
import { unfavouriteStatus } from "../../../services/statuses/interactions";
import type { InboxHandler, InboxInput } from "../context";
import { findLocalAccountByUri, findStatusByUri } from "../lookup";

/**
 * Undo of the actor's own earlier Follow, Like, EmojiReact, Announce or
 * Block. With an inline object the type says what to undo; with a bare id
 * each kind is looked up by that id.
 */
export const handleUndo: InboxHandler = async (ctx, input) => {
	const { activity } = input;
	const inner = activity.object?.kind === "activity" ? activity.object : null;
	if (inner && inner.actor !== activity.actor) return;
	const innerId = inner?.id ?? activity.objectId;
	if (!innerId) return;
	const target = inner?.objectId ?? null;
	switch (inner?.type) {
		case "Follow":
			return undoFollow(ctx, input, innerId, target);
		case "Like":
		case "EmojiReact":
			return undoLike(ctx, input, innerId, target);
		case "Announce":
			return undoAnnounce(ctx, input, innerId);
		case "Block":
			return undoBlock(ctx, input, innerId, target);
		case undefined:
			await undoFollow(ctx, input, innerId, null);
			await undoLike(ctx, input, innerId, null);
			await undoAnnounce(ctx, input, innerId);
			await undoBlock(ctx, input, innerId, null);
			return;
		default:
			return;
	}
};

async function undoFollow(ctx: ServiceContext, { actor }: InboxInput, uri: string, targetUri: string | null) {
	let targetId: string | undefined;
	if (targetUri) targetId = (await findLocalAccountByUri(ctx.db, targetUri))?.id;
	if (!targetId) {
		const [rows, requests] = await ctx.db.batch([
			ctx.db
				.select({ target: follows.targetAccountId })
				.from(follows)
				.where(and(eq(follows.accountId, actor.id), eq(follows.uri, uri)))
				.limit(1),
			ctx.db
				.select({ target: followRequests.targetAccountId })
				.from(followRequests)
				.where(and(eq(followRequests.accountId, actor.id), eq(followRequests.uri, uri)))
				.limit(1),
		]);
		targetId = rows[0]?.target ?? requests[0]?.target;
	}
	if (targetId) await removeFollow(ctx.db, actor.id, targetId);
}

async function undoLike(ctx: ServiceContext, { actor }: InboxInput, uri: string, statusUri: string | null) {
	let status = statusUri ? await findStatusByUri(ctx.db, statusUri) : undefined;
	if (!status) {
		const rows = await ctx.db
			.select({ status: statuses })
			.from(favourites)
			.innerJoin(statuses, eq(statuses.id, favourites.statusId))
			.where(and(eq(favourites.accountId, actor.id), eq(favourites.uri, uri)))
			.limit(1);
		status = rows[0]?.status;
	}
	if (!status) return;
	await ctx.db
		.delete(statusReactions)
		.where(and(eq(statusReactions.accountId, actor.id), eq(statusReactions.statusId, status.id)));
	await unfavouriteStatus(ctx, actor, status);
}

async function undoAnnounce(ctx: ServiceContext, { actor }: InboxInput, uri: string) {
	const rows = await ctx.db
		.select()
		.from(statuses)
		.where(and(eq(statuses.uri, uri), eq(statuses.accountId, actor.id), isNull(statuses.deletedAt)))
		.limit(1);
	const reblog = rows[0];
	if (reblog?.reblogOfId) await deleteStatus(ctx, reblog);
}

async function undoBlock(ctx: ServiceContext, { actor }: InboxInput, uri: string, targetUri: string | null) {
	const target = targetUri ? await findLocalAccountByUri(ctx.db, targetUri) : undefined;
	const rows = await ctx.db
		.select({ target: blocks.targetAccountId })
		.from(blocks)
		.where(and(eq(blocks.accountId, actor.id), or(eq(blocks.uri, uri), eq(blocks.targetAccountId, target?.id ?? ""))))
		.limit(1);
	const targetId = rows[0]?.target;
	if (!targetId) return;
	const [targetAccount] = await ctx.db.query.accounts.findMany({ where: (a, { eq }) => eq(a.id, targetId), limit: 1 });
	if (targetAccount) await unblock(ctx.db, ctx.env, actor, targetAccount);
}
