import { createRemoteStatus, isRelevantRemotePost } from "../../../services/remote-statuses";
import type { InboxHandler } from "../context";
import { findStatusByUri } from "../lookup";
import { trustedObject } from "../objects";

/**
 * Create of a post (Note, Question, Article, Page and look-alikes) written
 * by the actor. Posts nobody here follows, is addressed by or replied to are
 * dropped, as Mastodon does.
 */
export const handleCreate: InboxHandler = async (ctx, { activity, actor }) => {
	if (activity.objectId && (await findStatusByUri(ctx.db, activity.objectId))) return;
	const object = await trustedObject(ctx, activity);
	if (object?.kind !== "post" || object.attributedTo !== actor.uri) return;
	if (!(await isRelevantRemotePost(ctx.db, actor, object))) return;
	await createRemoteStatus(ctx, actor, object);
};
