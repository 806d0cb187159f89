import { and, eq } from "drizzle-orm";
import { blocks } from "../../../db/schema";
import { NotPermittedError } from "../../../lib/errors";
import { block } from "../../../services/accounts/blocks";
import type { InboxHandler } from "../context";
import { findLocalAccountByUri } from "../lookup";

/** Block of a local account: follows end both ways; the Block's id is kept for its Undo. */
export const handleBlock: InboxHandler = async (ctx, { activity, actor }) => {
	if (!activity.objectId) return;
	const target = await findLocalAccountByUri(ctx.db, activity.objectId);
	if (!target) return;
	try {
		await block(ctx.db, ctx.env, actor, target);
	} catch (error) {
		if (error instanceof NotPermittedError) return;
		throw error;
	}
	await ctx.db
		.update(blocks)
		.set({ uri: activity.id })
		.where(and(eq(blocks.accountId, actor.id), eq(blocks.targetAccountId, target.id)));
};
