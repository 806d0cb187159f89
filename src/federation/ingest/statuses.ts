import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import { type Account, accounts, type NewStatus, type Status, statuses, type Visibility } from "../../db/schema";
import { newId } from "../../lib/ids";
import type { JobMessage } from "../../queues/messages";
import { notifyStatement, queueNotificationPushes, subscribersQuery } from "../../services/notifications/write";
import { indexesRemotePost, indexStatements, type SearchableStatus } from "../../services/search/indexing";
import { appendFanOut, type PostingContext, replyFacts } from "../../services/statuses/posting";
import { asBatch, mentionAndTagStatements, type Statement } from "../../services/statuses/writes";
import { publicAudienceQuery } from "../../services/streaming/audience";
import { streamConversations, streamNewStatus } from "../../services/streaming/publish";
import { directConversationStatement, liveConversations } from "../../services/timelines/conversations";
import { countLocalFollowersQuery, type FanOutTarget } from "../../services/timelines/fanout";
import { storedAccountLimits } from "../domain-gates";
import { type ParsedPost, visibilityFromAddressing } from "../parse";
import { sanitizeHtml } from "../sanitize";
import { attachmentStatements, emojiStatements, MAX_REMOTE_ATTACHMENTS, pollStatement } from "./status-parts";

/**
 * Posts from other servers: stored like local ones (same table, same
 * fan-out to local followers' home feeds, same mention notifications) from
 * a parsed, already trusted ActivityPub object.
 */

/** Whether a remote post concerns anyone here (Mastodon drops unrelated posts that reach the shared inbox). */
export async function isRelevantRemotePost(db: Db, author: Account, post: ParsedPost): Promise<boolean> {
	const addressed = [...post.to, ...post.cc, ...post.tags.mentions.map((m) => m.href)];
	const rows = await db.all<{ n: number }>(sql`select
		(select count(*) from (select 1 from follows f join accounts a on a.id = f.account_id
			where f.target_account_id = ${author.id} and a.domain is null limit 1))
		+ (select count(*) from accounts where domain is null
			and uri in (select value from json_each(${JSON.stringify(addressed)})))
		+ (select count(*) from statuses where local = 1 and uri = ${post.inReplyTo ?? ""}) as n`);
	return (rows[0]?.n ?? 0) > 0;
}

/** The content shown for a post: Articles and Pages lead with their title, as Mastodon shows them. */
export async function remoteContentHtml(post: ParsedPost): Promise<string> {
	const body = await sanitizeHtml(post.content);
	const titled = post.name && (post.type === "Article" || post.type === "Page" || post.content === "");
	if (!titled) return body;
	const title = await sanitizeHtml(`<p><strong>${escapeText(post.name ?? "")}</strong></p>`);
	const link = post.url ? `<p><a href="${escapeText(post.url)}">${escapeText(post.url)}</a></p>` : "";
	return `${title}${body}${post.content === "" ? await sanitizeHtml(link) : ""}`;
}

function escapeText(text: string): string {
	return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What of a remote post is searchable: its stored content and warning, poll options, media descriptions. */
export function remoteSearchable(id: string, stored: { content?: string; spoilerText?: string }, post: ParsedPost) {
	return {
		id,
		content: stored.content ?? "",
		spoilerText: stored.spoilerText ?? "",
		pollOptions: post.poll?.options.map((o) => o.name),
		mediaDescriptions: post.attachments.slice(0, MAX_REMOTE_ATTACHMENTS).map((a) => a.name),
	} satisfies SearchableStatus;
}

/** Ids in time order of the post's date (future dates clamp to now), as Mastodon orders remote posts. */
function idForDate(published: Date | null): { id: string; at: Date } {
	const now = Date.now();
	const at = published && published.getTime() <= now ? published : new Date(now);
	return { id: newId(at), at };
}

/** Creates a remote status (idempotent by URI); returns the stored row. */
export async function createRemoteStatus(ctx: PostingContext, author: Account, post: ParsedPost): Promise<Status> {
	const { db } = ctx;
	const mentionHrefs = post.tags.mentions.map((m) => m.href);
	const [existing, parents, mentioned, followerCount, subscribers] = await db.batch([
		db.select().from(statuses).where(eq(statuses.uri, post.id)).limit(1),
		db
			.select()
			.from(statuses)
			.where(eq(statuses.uri, post.inReplyTo ?? ""))
			.limit(1),
		db
			.select({ id: accounts.id, uri: accounts.uri, domain: accounts.domain })
			.from(accounts)
			.where(inArray(accounts.uri, mentionHrefs.length > 0 ? mentionHrefs : [""])),
		countLocalFollowersQuery(db, author.id),
		subscribersQuery(db, author.id),
	]);
	if (existing[0]) return existing[0];
	const parent = parents[0] ?? null;
	const visibility: Visibility = visibilityFromAddressing(post.to, post.cc, author.followersUrl);
	const { id, at } = idForDate(post.published);
	const pollId = post.poll ? newId(at) : null;
	const row: NewStatus = {
		id,
		uri: post.id,
		url: post.url,
		accountId: author.id,
		local: false,
		inReplyToId: parent?.id ?? null,
		inReplyToAccountId: parent?.accountId ?? null,
		inReplyToUri: parent ? null : post.inReplyTo,
		content: await remoteContentHtml(post),
		spoilerText: post.summary ?? "",
		visibility,
		sensitive: post.sensitive,
		language: post.language,
		conversationId: parent?.conversationId ?? newId(at),
		pollId,
		createdAt: at,
		editedAt: post.updated && post.published && post.updated > post.published ? post.updated : null,
	};
	const mentionedIds = mentioned.map((a) => a.id).filter((mid) => mid !== author.id);
	const localMentioned = mentioned.filter((a) => a.domain === null).map((a) => a.id);
	const statements: Statement[] = [db.insert(statuses).values(row).onConflictDoNothing()];
	statements.push(
		...mentionAndTagStatements(
			db,
			id,
			mentionedIds,
			post.tags.hashtags.map((h) => h.name),
		),
	);
	const { rejectMedia } = await storedAccountLimits(ctx, author.domain ?? "");
	if (!rejectMedia) statements.push(...emojiStatements(db, author.domain ?? "", post.tags.emojis));
	statements.push(...attachmentStatements(db, author.id, id, post.attachments, at, rejectMedia));
	if (indexesRemotePost({ visibility, authorIndexable: author.indexable, mentionsLocal: localMentioned.length > 0 })) {
		statements.push(...indexStatements(db, remoteSearchable(id, row, post)));
	}
	if (post.poll && pollId) statements.push(pollStatement(db, pollId, id, author.id, post.poll, at));
	statements.push(
		sqlRun(
			db,
			sql`update accounts set statuses_count = statuses_count + 1, last_status_at = ${at.getTime()}
			where id = ${author.id}`,
		),
	);
	if (parent) {
		statements.push(sqlRun(db, sql`update statuses set replies_count = replies_count + 1 where id = ${parent.id}`));
	}
	if (localMentioned.length > 0) {
		statements.push(
			notifyStatement(db, { type: "mention", accountIds: localMentioned, fromAccountId: author.id, statusId: id }),
		);
	}
	const replyToOthers = parent !== null && parent.accountId !== author.id;
	if (visibility !== "direct" && !replyToOthers && subscribers.length > 0) {
		statements.push(
			notifyStatement(db, {
				type: "status",
				accountIds: subscribers.map((s) => s.id).filter((sid) => !localMentioned.includes(sid)),
				fromAccountId: author.id,
				statusId: id,
			}),
		);
	}
	if (visibility === "direct" && localMentioned.length > 0) {
		statements.push(
			directConversationStatement(db, {
				statusId: id,
				conversationId: row.conversationId as string,
				authorId: author.id,
				mentionedIds: localMentioned,
			}),
		);
	}
	const target: FanOutTarget = {
		statusId: id,
		authorId: author.id,
		visibility,
		reblogOf: null,
		inReplyToAccountId: parent?.accountId ?? null,
		mentionedIds: localMentioned,
	};
	const queued = await appendFanOut(db, statements, target, followerCount[0]?.n ?? 0);
	const audience = publicAudienceQuery(db, { id, visibility, local: false, reblogOfId: null, ...replyFacts(row) });
	if (audience) statements.push(audience);
	const results = await db.batch(asBatch(statements));
	await queueNotificationPushes(ctx.env, statements, results);
	if (queued) await ctx.env.JOBS_QUEUE.send({ type: "timeline.fanout", statusId: id } satisfies JobMessage);
	const [created] = await db.select().from(statuses).where(eq(statuses.uri, post.id)).limit(1);
	if (!created) throw new Error("The remote status was not stored");
	if (created.id === id) {
		await streamNewStatus(ctx, created, statements, results);
		await streamConversations(ctx, liveConversations(statements, results));
	}
	return created;
}
