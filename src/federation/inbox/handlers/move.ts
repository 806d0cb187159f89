import { MOVE_FOLLOWERS_BATCH, markMoved } from "../../../services/accounts/moving";
import { refreshRemoteActor } from "../actors";
import type { InboxHandler } from "../context";

/**
 * Move of the actor to another account: honoured only when the target
 * (fetched fresh, or a local account here) lists the actor in alsoKnownAs.
 * The old account is marked moved and its local followers follow the new
 * one (a batch here, the rest from the jobs queue), each told with a
 * `moved` notification.
 */
export const handleMove: InboxHandler = async (ctx, { activity, actor }) => {
	if (activity.objectId !== actor.uri || !activity.target || activity.target === actor.uri) return;
	if (actor.movedToAccountId) return;
	const target = await refreshRemoteActor(ctx, activity.target);
	if (!target?.alsoKnownAs.includes(actor.uri) || target.movedToAccountId) return;
	await markMoved(ctx, actor, target, MOVE_FOLLOWERS_BATCH);
};
