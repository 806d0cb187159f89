import { sql } from "drizzle-orm";
import { createRemoteReblog } from "../../ingest/reblogs";
import { createRemoteStatus } from "../../ingest/statuses";
import { resolveRemoteAccount } from "../actors";
import type { InboxHandler } from "../context";
import { findStatusByUri } from "../lookup";
import { fetchObject } from "../objects";

/**
 * Announce (boost). The boosted post is looked up, or fetched from its own
 * origin (never taken inline from the booster) when the boost concerns
 * someone here: the booster has local followers or the post is local.
 */
export const handleAnnounce: InboxHandler = async (ctx, { activity, actor }) => {
	const objectId = activity.object && "id" in activity.object ? activity.object.id : activity.objectId;
	if (!objectId) return;
	let original = await findStatusByUri(ctx.db, objectId);
	if (!original) {
		if (!(await hasLocalFollowers(ctx, actor.id))) return;
		const object = await fetchObject(ctx, objectId);
		if (object?.kind !== "post" || !object.attributedTo) return;
		const author = await resolveRemoteAccount(ctx, object.attributedTo);
		if (!author) return;
		original = await createRemoteStatus(ctx, author, object);
	}
	if (original.reblogOfId) return;
	await createRemoteReblog(ctx, actor, original, {
		uri: activity.id,
		to: activity.to,
		cc: activity.cc,
		published: activity.published,
	});
};

async function hasLocalFollowers(ctx: Parameters<InboxHandler>[0], accountId: string): Promise<boolean> {
	const rows = await ctx.db.all<{ n: number }>(sql`select 1 as n from follows f join accounts a on a.id = f.account_id
		where f.target_account_id = ${accountId} and a.domain is null limit 1`);
	return rows.length > 0;
}
