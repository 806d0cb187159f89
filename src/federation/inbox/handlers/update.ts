import { and, eq } from "drizzle-orm";
import { statuses } from "../../../db/schema";
import { updateRemoteStatus } from "../../ingest/status-edits";
import { refreshRemoteActor } from "../actors";
import type { InboxHandler } from "../context";
import { trustedObject } from "../objects";

/** Update of the actor's own post (edit, poll counts) or of the actor's profile. */
export const handleUpdate: InboxHandler = async (ctx, { activity, actor }) => {
	const objectId = activity.objectId;
	if (!objectId) return;
	if (objectId === actor.uri) {
		await refreshRemoteActor(ctx, actor.uri);
		return;
	}
	const rows = await ctx.db
		.select()
		.from(statuses)
		.where(and(eq(statuses.uri, objectId), eq(statuses.accountId, actor.id)))
		.limit(1);
	const status = rows[0];
	if (!status || status.deletedAt) return;
	const object = await trustedObject(ctx, activity);
	if (object?.kind !== "post" || object.attributedTo !== actor.uri) return;
	await updateRemoteStatus(ctx, actor, status, object);
};
