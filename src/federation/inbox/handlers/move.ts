import { eq, sql } from "drizzle-orm";
import { accounts } from "../../../db/schema";
import { NotPermittedError } from "../../../lib/errors";
import { follow, unfollow } from "../../../services/accounts/following";
import { refreshRemoteActor } from "../actors";
import type { InboxHandler } from "../context";

/** Local followers moved per Move; Mastodon also moves followers in bounded batches. */
export const MOVE_FOLLOWERS_LIMIT = 400;

/**
 * Move of the actor to another account: honoured only when the target
 * (fetched fresh) lists the actor in alsoKnownAs. The old account is marked
 * moved and local followers follow the new one instead.
 */
export const handleMove: InboxHandler = async (ctx, { activity, actor }) => {
	if (activity.objectId !== actor.uri || !activity.target || activity.target === actor.uri) return;
	const target = await refreshRemoteActor(ctx, activity.target);
	if (!target?.alsoKnownAs.includes(actor.uri)) return;
	await ctx.db.update(accounts).set({ movedToAccountId: target.id }).where(eq(accounts.id, actor.id));
	const rows = await ctx.db
		.select()
		.from(accounts)
		.where(
			sql`${accounts.id} in (select f.account_id from follows f join accounts a on a.id = f.account_id
				where f.target_account_id = ${actor.id} and a.domain is null limit ${MOVE_FOLLOWERS_LIMIT})`,
		);
	for (const follower of rows) {
		try {
			await follow(ctx.db, ctx.env, follower, target);
		} catch (error) {
			if (!(error instanceof NotPermittedError)) throw error;
		}
		await unfollow(ctx.db, ctx.env, follower, { ...actor, movedToAccountId: target.id });
	}
};
