import { and, eq, isNull } from "drizzle-orm";
import { statuses } from "../../../db/schema";
import { deleteStatus } from "../../../services/statuses/deletion";
import { deleteRemoteAccount } from "../actors";
import type { InboxHandler } from "../context";

/** Delete of one of the actor's posts (id or Tombstone), or of the actor itself. */
export const handleDelete: InboxHandler = async (ctx, { activity, actor }) => {
	const objectId = activity.objectId;
	if (!objectId) return;
	if (objectId === actor.uri) {
		await deleteRemoteAccount(ctx, actor);
		return;
	}
	const rows = await ctx.db
		.select()
		.from(statuses)
		.where(and(eq(statuses.uri, objectId), eq(statuses.accountId, actor.id), isNull(statuses.deletedAt)))
		.limit(1);
	const status = rows[0];
	if (status) await deleteStatus(ctx, status);
};
