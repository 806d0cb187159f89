import { eq } from "drizzle-orm";
import type { ServiceContext } from "../../../context";
import { type Account, polls } from "../../../db/schema";
import { recordRemoteVote } from "../../ingest/poll-votes";
import { createRemoteStatus, isRelevantRemotePost } from "../../ingest/statuses";
import type { ParsedPost } from "../../parse";
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
	if (await isPollVote(ctx, actor, object)) return;
	if (!(await isRelevantRemotePost(ctx.db, actor, object))) return;
	await createRemoteStatus(ctx, actor, object);
};

/** A vote in a local poll (a named Note without content replying to it) is counted, not stored as a post. */
async function isPollVote(ctx: ServiceContext, actor: Account, post: ParsedPost): Promise<boolean> {
	if (!post.name || post.content !== "" || !post.inReplyTo) return false;
	const parent = await findStatusByUri(ctx.db, post.inReplyTo);
	if (!parent?.local || !parent.pollId) return false;
	const [poll] = await ctx.db.select().from(polls).where(eq(polls.id, parent.pollId)).limit(1);
	if (poll) await recordRemoteVote(ctx.db, actor, poll, post);
	return true;
}
