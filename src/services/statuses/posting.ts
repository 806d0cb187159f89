import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { inIdList } from "../../db/queries/id-list";
import { sqlRun } from "../../db/queries/raw";
import {
	type Account,
	mediaAttachments,
	type NewStatus,
	type Status,
	statuses,
	statusIdempotencyKeys,
	type Visibility,
} from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { NotPermittedError, ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { renderStatusHtml } from "../../lib/text/status-text";
import type { JobMessage } from "../../queues/messages";
import { notifyStatement, queueNotificationPushes, subscribersQuery } from "../notifications/write";
import { indexStatements } from "../search/indexing";
import { publicAudienceQuery } from "../streaming/audience";
import { streamConversations, streamNewStatus } from "../streaming/publish";
import { featuredTagsOnPost } from "../tags/featured-counts";
import { followedTagsFanOutStatement } from "../tags/followed";
import { directConversationStatement, liveConversations } from "../timelines/conversations";
import {
	countLocalFollowersQuery,
	type FanOutTarget,
	fanOutToAllFollowers,
	fanOutToSelfAndMentioned,
	INLINE_FANOUT_LIMIT,
	reachesFollowers,
} from "../timelines/fanout";
import { countStatusLength, STATUS_LIMITS } from "./limits";
import { mentionedAccountsQuery, mentionMap, textEntities } from "./mentions";
import { type PollInput, validatePoll } from "./poll-input";
import { asBatch, checkMediaIds, mentionAndTagStatements, type Statement, statusUris } from "./writes";

export interface CreateStatusInput {
	account: Account;
	/** The poster's default, used when `visibility` is not given. */
	defaultVisibility: Visibility;
	applicationId: string | null;
	text: string;
	spoilerText?: string;
	sensitive?: boolean;
	visibility?: Visibility;
	language?: string | null;
	/** The parent, already checked to be visible to the poster (404 otherwise). */
	inReplyTo?: Status | null;
	mediaIds?: string[];
	poll?: PollInput | null;
	idempotencyKey?: string | null;
}

export interface PostingContext {
	env: Pick<Env, "DB" | "JOBS_QUEUE" | "ACCOUNT_STREAMS">;
	db: Db;
	config: InstanceConfig;
}

/** The status an idempotency key already produced within the last hour, if any. */
async function findIdempotent(db: Db, accountId: string, key: string): Promise<Status | undefined> {
	const since = new Date(Date.now() - STATUS_LIMITS.idempotencyWindowMs);
	const rows = await db
		.select({ status: statuses })
		.from(statusIdempotencyKeys)
		.innerJoin(statuses, eq(statuses.id, statusIdempotencyKeys.statusId))
		.where(
			and(
				eq(statusIdempotencyKeys.accountId, accountId),
				eq(statusIdempotencyKeys.key, key),
				gt(statusIdempotencyKeys.createdAt, since),
				isNull(statuses.deletedAt),
			),
		)
		.limit(1);
	return rows[0]?.status;
}

function checkText(input: CreateStatusInput, hasMedia: boolean): void {
	const text = input.text;
	if (text.trim() === "" && !hasMedia && !input.poll) {
		throw new ValidationError("text", "Text can't be blank");
	}
	const length = countStatusLength(text) + [...(input.spoilerText ?? "")].length;
	if (length > STATUS_LIMITS.maxCharacters) {
		throw new ValidationError("text", `Text character limit of ${STATUS_LIMITS.maxCharacters} exceeded`);
	}
}

/**
 * Publishes a local post: renders its text, links mentions of known accounts
 * and hashtags, attaches media and poll, and writes everything, the home-feed
 * entries and the outbox event that tells other servers in one atomic batch.
 */
export async function createStatus(ctx: PostingContext, input: CreateStatusInput): Promise<Status> {
	const { db, config } = ctx;
	const account = input.account;
	// A moved account stays readable but speaks only from its new home, as on Mastodon.
	if (account.movedToAccountId) throw new NotPermittedError("This account has moved and cannot post");
	if (input.idempotencyKey) {
		const previous = await findIdempotent(db, account.id, input.idempotencyKey);
		if (previous) return previous;
	}
	const mediaIds = [...new Set(input.mediaIds ?? [])];
	if (mediaIds.length > 0 && input.poll) {
		throw new ValidationError("poll", "A post cannot have both media and a poll");
	}
	checkText(input, mediaIds.length > 0);
	if (input.poll) validatePoll(input.poll);
	const mediaDescriptions = await checkMediaIds(db, account.id, mediaIds);

	const entities = textEntities(input.text, config);
	const [found, followerCount, subscribers] = await db.batch([
		mentionedAccountsQuery(db, entities.mentionKeys),
		countLocalFollowersQuery(db, account.id),
		subscribersQuery(db, account.id),
	]);
	const now = new Date();
	const id = newId(now);
	const parent = input.inReplyTo ?? null;
	const visibility = input.visibility ?? input.defaultVisibility;
	const pollId = input.poll ? newId(now) : null;
	const row: NewStatus = {
		id,
		...statusUris(config, account.username, id),
		accountId: account.id,
		local: true,
		inReplyToId: parent?.id ?? null,
		inReplyToAccountId: parent?.accountId ?? null,
		text: input.text,
		content: renderStatusHtml(input.text, { origin: config.origin, mentions: mentionMap(found) }),
		spoilerText: input.spoilerText ?? "",
		visibility,
		// A content warning always hides the media behind it, as in Mastodon; so does a moderator's
		// "sensitive" mark on the account, which other servers then see too.
		sensitive:
			(input.sensitive ?? false) ||
			(input.spoilerText ?? "") !== "" ||
			(Boolean(account.sensitizedAt) && (input.mediaIds?.length ?? 0) > 0),
		language: input.language ?? null,
		conversationId: parent?.conversationId ?? newId(now),
		applicationId: input.applicationId,
		pollId,
		createdAt: now,
	};
	const mentionedIds = found.map((a) => a.id).filter((mid) => mid !== account.id);
	const statements: Statement[] = [db.insert(statuses).values(row).returning()];
	statements.push(...mentionAndTagStatements(db, id, mentionedIds, entities.tags));
	statements.push(
		...featuredTagsOnPost(db, {
			statusId: id,
			accountId: account.id,
			visibility,
			createdAt: now,
			tagNames: entities.tags,
		}),
	);
	statements.push(
		...indexStatements(db, {
			id,
			content: row.content as string,
			spoilerText: row.spoilerText as string,
			pollOptions: input.poll?.options,
			mediaDescriptions,
		}),
	);
	if (input.poll && pollId) {
		statements.push(
			sqlRun(
				db,
				sql`insert into polls (id, status_id, account_id, options, multiple, hide_totals, votes_count,
				voters_count, expires_at, created_at, updated_at)
				values (${pollId}, ${id}, ${account.id}, ${JSON.stringify(input.poll.options.map((title) => ({ title, votesCount: 0 })))},
				${input.poll.multiple ? 1 : 0}, ${input.poll.hideTotals ? 1 : 0}, 0, 0,
				${now.getTime() + input.poll.expiresIn * 1000}, ${now.getTime()}, ${now.getTime()})`,
			),
		);
	}
	if (mediaIds.length > 0) {
		statements.push(
			db
				.update(mediaAttachments)
				.set({ statusId: id })
				.where(
					and(
						inIdList(mediaAttachments.id, mediaIds),
						eq(mediaAttachments.accountId, account.id),
						isNull(mediaAttachments.statusId),
					),
				),
		);
	}
	statements.push(
		sqlRun(
			db,
			sql`update accounts set statuses_count = statuses_count + 1, last_status_at = ${now.getTime()}
			where id = ${account.id}`,
		),
	);
	if (parent) {
		statements.push(sqlRun(db, sql`update statuses set replies_count = replies_count + 1 where id = ${parent.id}`));
	}
	if (input.idempotencyKey) {
		statements.push(
			sqlRun(
				db,
				sql`insert or replace into status_idempotency_keys (account_id, key, status_id, created_at)
				values (${account.id}, ${input.idempotencyKey}, ${id}, ${now.getTime()})`,
			),
		);
	}
	if (mentionedIds.length > 0) {
		statements.push(
			notifyStatement(db, { type: "mention", accountIds: mentionedIds, fromAccountId: account.id, statusId: id }),
		);
	}
	const replyToOthers = parent !== null && parent.accountId !== account.id;
	if (visibility !== "direct" && !replyToOthers && subscribers.length > 0) {
		// Mastodon tells "bell" subscribers of new posts, but not of direct posts or replies to others.
		statements.push(
			notifyStatement(db, {
				type: "status",
				accountIds: subscribers.map((s) => s.id).filter((sid) => !mentionedIds.includes(sid)),
				fromAccountId: account.id,
				statusId: id,
			}),
		);
	}
	if (visibility === "direct") {
		statements.push(
			directConversationStatement(db, {
				statusId: id,
				conversationId: row.conversationId as string,
				authorId: account.id,
				mentionedIds,
			}),
		);
	}
	const target: FanOutTarget = {
		statusId: id,
		authorId: account.id,
		visibility,
		reblogOf: null,
		inReplyToAccountId: parent?.accountId ?? null,
		mentionedIds,
	};
	const queued = await appendFanOut(db, statements, target, followerCount[0]?.n ?? 0);
	statements.push(
		followedTagsFanOutStatement(db, { statusId: id, authorId: account.id, visibility, tagNames: entities.tags }),
		publishOutboxEvent(db, { type: "status.created", statusId: id }),
	);
	const audience = publicAudienceQuery(db, { id, visibility, local: true, reblogOfId: null, ...replyFacts(row) });
	if (audience) statements.push(audience);
	const results = await db.batch(asBatch(statements));
	await queueNotificationPushes(ctx.env, statements, results);
	if (queued) await ctx.env.JOBS_QUEUE.send({ type: "timeline.fanout", statusId: id } satisfies JobMessage);
	const [created] = results[0] as Status[];
	if (!created) throw new Error("The new status was not stored");
	await streamNewStatus(ctx, created, statements, results);
	await streamConversations(ctx, liveConversations(statements, results));
	return created;
}

/** The reply facts the public streams choose by. */
export function replyFacts(row: Pick<NewStatus, "accountId" | "inReplyToAccountId">) {
	return { accountId: row.accountId, inReplyToAccountId: row.inReplyToAccountId ?? null };
}

/**
 * Adds the fan-out statements for a new entry; returns true when the
 * followers' part must run from the jobs queue because there are too many.
 */
export async function appendFanOut(
	db: Db,
	statements: Statement[],
	target: FanOutTarget,
	localFollowers: number,
): Promise<boolean> {
	statements.push(...fanOutToSelfAndMentioned(db, target));
	if (!reachesFollowers(target.visibility) || localFollowers === 0) return false;
	if (localFollowers > INLINE_FANOUT_LIMIT) return true;
	statements.push(fanOutToAllFollowers(db, target));
	return false;
}
