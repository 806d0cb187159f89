import { and, eq, sql } from "drizzle-orm";
import { type Account, mediaAttachments, type Status, statusEdits, statuses } from "../../db/schema";
import { newId } from "../../lib/ids";
import { notifyStatement, queueNotificationPushes } from "../../services/notifications/write";
import { reindexStatements } from "../../services/search/indexing";
import { type PostingContext, replyFacts } from "../../services/statuses/posting";
import { asBatch, type Statement } from "../../services/statuses/writes";
import { liveFeedEntriesQuery, publicAudienceQuery } from "../../services/streaming/audience";
import { streamStatusEdit } from "../../services/streaming/publish";
import { storedAccountLimits } from "../domain-gates";
import type { ParsedPost } from "../parse";
import { attachmentStatements, emojiStatements, pollUpdateStatement } from "./status-parts";
import { remoteContentHtml, remoteSearchable } from "./statuses";

/**
 * Applies an Update of a remote post: the previous revision goes to
 * status_edits (for the edit history), content, warning and media are
 * replaced, poll counts refreshed. Updates that change nothing visible (a
 * poll's vote counts) do not count as edits, as in Mastodon.
 */
export async function updateRemoteStatus(
	ctx: PostingContext,
	author: Account,
	status: Status,
	post: ParsedPost,
): Promise<void> {
	const { db } = ctx;
	if (status.accountId !== author.id || status.local) return;
	const content = await remoteContentHtml(post);
	const spoilerText = post.summary ?? "";
	const edited =
		content !== status.content || spoilerText !== status.spoilerText || post.sensitive !== status.sensitive;
	const statements: Statement[] = [];
	const { rejectMedia } = await storedAccountLimits(ctx, author.domain ?? "");
	if (post.poll && status.pollId) statements.push(pollUpdateStatement(db, status.pollId, post.poll));
	if (edited || post.attachments.length > 0) {
		const at = post.updated ?? new Date();
		statements.push(
			db.insert(statusEdits).values({
				id: newId(),
				statusId: status.id,
				accountId: author.id,
				content: status.content,
				spoilerText: status.spoilerText,
				sensitive: status.sensitive,
				createdAt: status.editedAt ?? status.createdAt,
			}),
			db
				.update(statuses)
				.set({ content, spoilerText, sensitive: post.sensitive, language: post.language, editedAt: at })
				.where(eq(statuses.id, status.id)),
			db
				.delete(mediaAttachments)
				.where(and(eq(mediaAttachments.statusId, status.id), eq(mediaAttachments.accountId, author.id))),
			...attachmentStatements(db, author.id, status.id, post.attachments, at, rejectMedia),
			// Remote posts are indexed only when someone here may search for them (see indexesRemotePost).
			...((await isIndexed(ctx, status.id))
				? reindexStatements(db, remoteSearchable(status.id, { content, spoilerText }, post))
				: []),
			...(rejectMedia ? [] : emojiStatements(db, author.domain ?? "", post.tags.emojis)),
			// Local accounts that boosted the post hear about the edit, as on Mastodon.
			notifyStatement(db, {
				type: "update",
				accountIds: await boosterIds(ctx, status.id),
				fromAccountId: author.id,
				statusId: status.id,
			}),
		);
	}
	if (statements.length === 0) return;
	if (edited || post.attachments.length > 0) {
		statements.push(liveFeedEntriesQuery(db, status.id, false));
		const audience = publicAudienceQuery(db, { ...status, ...replyFacts(status) });
		if (audience) statements.push(audience);
	}
	const results = await db.batch(asBatch(statements));
	await queueNotificationPushes(ctx.env, statements, results);
	await streamStatusEdit(ctx, status, statements, results);
}

async function isIndexed(ctx: PostingContext, statusId: string): Promise<boolean> {
	const rows = await ctx.db.all<{ n: number }>(
		sql`select 1 as n from status_search_documents where status_id = ${statusId} limit 1`,
	);
	return rows.length > 0;
}

async function boosterIds(ctx: PostingContext, statusId: string): Promise<string[]> {
	const rows = await ctx.db.all<{ id: string }>(sql`select distinct s.account_id as id from statuses s
		join accounts a on a.id = s.account_id
		where s.reblog_of_id = ${statusId} and s.deleted_at is null and a.domain is null limit 500`);
	return rows.map((r) => r.id);
}
