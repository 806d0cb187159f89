import { and, asc, eq, isNull, notInArray, sql } from "drizzle-orm";
import { inIdList } from "../../db/queries/id-list";
import {
	type Account,
	mediaAttachments,
	mentions,
	type Poll,
	polls,
	type Status,
	statusEdits,
	statuses,
	statusTags,
} from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { renderStatusHtml } from "../../lib/text/status-text";
import { notifyStatement, queueNotificationPushes } from "../notifications/write";
import { reindexStatements } from "../search/indexing";
import { featuredTagsOnEdit } from "../tags/featured-counts";
import { countStatusLength, STATUS_LIMITS } from "./limits";
import { mentionedAccountsQuery, mentionMap, textEntities } from "./mentions";
import type { PollInput } from "./poll-input";
import { validatePoll } from "./poll-input";
import type { PostingContext } from "./posting";
import { asBatch, checkMediaIds, mentionAndTagStatements, type Statement } from "./writes";

export interface EditStatusInput {
	text: string;
	spoilerText?: string;
	sensitive?: boolean;
	language?: string | null;
	/** Undefined keeps the attachments; a list replaces them. */
	mediaIds?: string[];
	/** Undefined or null removes a poll, as Mastodon does; changed options reset its votes. */
	poll?: PollInput | null;
}

function snapshot(status: Status, mediaIds: string[], poll: Poll | undefined, at: Date) {
	return {
		id: newId(at),
		statusId: status.id,
		accountId: status.accountId,
		content: status.content,
		spoilerText: status.spoilerText,
		sensitive: status.sensitive,
		mediaAttachmentIds: mediaIds,
		pollOptions: poll ? poll.options.map((o) => o.title) : null,
		createdAt: at,
	};
}

/**
 * Edits one of the account's own posts. The first edit also records the
 * original version, so the history always lists every version, oldest first.
 */
export async function editStatus(
	ctx: PostingContext,
	account: Account,
	status: Status,
	input: EditStatusInput,
): Promise<void> {
	const { db, config } = ctx;
	if (status.accountId !== account.id || status.reblogOfId) throw new ValidationError("status", "Not your post");
	const [currentMedia, currentPolls, editCount, boosters] = await db.batch([
		db
			.select({ id: mediaAttachments.id })
			.from(mediaAttachments)
			.where(eq(mediaAttachments.statusId, status.id))
			.orderBy(asc(mediaAttachments.id)),
		db.select().from(polls).where(eq(polls.statusId, status.id)),
		db.select({ n: sql<number>`count(*)` }).from(statusEdits).where(eq(statusEdits.statusId, status.id)),
		db
			.select({ id: statuses.accountId })
			.from(statuses)
			.where(and(eq(statuses.reblogOfId, status.id), isNull(statuses.deletedAt))),
	]);
	const oldMediaIds = currentMedia.map((m) => m.id);
	const mediaIds = input.mediaIds ? [...new Set(input.mediaIds)] : oldMediaIds;
	const oldPoll = currentPolls.find((p) => p.id === status.pollId);
	if (mediaIds.length > 0 && input.poll) throw new ValidationError("poll", "A post cannot have both media and a poll");
	if (input.text.trim() === "" && mediaIds.length === 0 && !input.poll) {
		throw new ValidationError("text", "Text can't be blank");
	}
	if (countStatusLength(input.text) + [...(input.spoilerText ?? "")].length > STATUS_LIMITS.maxCharacters) {
		throw new ValidationError("text", `Text character limit of ${STATUS_LIMITS.maxCharacters} exceeded`);
	}
	if (input.poll) validatePoll(input.poll);
	const mediaDescriptions = await checkMediaIds(db, account.id, mediaIds, status.id);

	const entities = textEntities(input.text, config);
	const found = await mentionedAccountsQuery(db, entities.mentionKeys);
	const now = new Date();
	const statements: Statement[] = [];
	if ((editCount[0]?.n ?? 0) === 0) {
		statements.push(db.insert(statusEdits).values(snapshot(status, oldMediaIds, oldPoll, status.createdAt)));
	}
	const spoilerText = input.spoilerText ?? "";
	const updated: Status = {
		...status,
		text: input.text,
		content: renderStatusHtml(input.text, { origin: config.origin, mentions: mentionMap(found) }),
		spoilerText,
		sensitive: (input.sensitive ?? status.sensitive) || spoilerText !== "",
		language: input.language === undefined ? status.language : input.language,
		editedAt: now,
	};
	let pollId = status.pollId;
	const newOptions = input.poll?.options;
	const pollChanged =
		!!input.poll !== !!oldPoll ||
		(oldPoll && newOptions && JSON.stringify(oldPoll.options.map((o) => o.title)) !== JSON.stringify(newOptions));
	if (pollChanged || (input.poll && oldPoll && input.poll.multiple !== oldPoll.multiple)) {
		if (oldPoll) statements.push(db.delete(polls).where(eq(polls.id, oldPoll.id)));
		pollId = null;
		if (input.poll) {
			pollId = newId(now);
			statements.push(
				db.insert(polls).values({
					id: pollId,
					statusId: status.id,
					accountId: account.id,
					options: input.poll.options.map((title) => ({ title, votesCount: 0 })),
					multiple: input.poll.multiple,
					hideTotals: input.poll.hideTotals,
					votesCount: 0,
					votersCount: 0,
					expiresAt: new Date(now.getTime() + input.poll.expiresIn * 1000),
					createdAt: now,
					updatedAt: now,
				}),
			);
		}
	}
	updated.pollId = pollId;
	statements.push(
		db
			.update(statuses)
			.set({
				text: updated.text,
				content: updated.content,
				spoilerText: updated.spoilerText,
				sensitive: updated.sensitive,
				language: updated.language,
				pollId,
				editedAt: now,
			})
			.where(eq(statuses.id, status.id)),
	);
	if (input.mediaIds) {
		statements.push(
			db
				.update(mediaAttachments)
				.set({ statusId: null })
				.where(and(eq(mediaAttachments.statusId, status.id), notInArray(mediaAttachments.id, mediaIds))),
		);
		if (mediaIds.length > 0) {
			statements.push(
				db
					.update(mediaAttachments)
					.set({ statusId: status.id })
					.where(and(inIdList(mediaAttachments.id, mediaIds), eq(mediaAttachments.accountId, account.id))),
			);
		}
	}
	const mentionedIds = found.map((a) => a.id).filter((id) => id !== account.id);
	statements.push(
		db.delete(mentions).where(and(eq(mentions.statusId, status.id), eq(mentions.silent, false))),
		...featuredTagsOnEdit(db, status, entities.tags),
		db.delete(statusTags).where(eq(statusTags.statusId, status.id)),
		...mentionAndTagStatements(db, status.id, mentionedIds, entities.tags),
		...reindexStatements(db, {
			id: status.id,
			content: updated.content,
			spoilerText,
			pollOptions: input.poll?.options,
			mediaDescriptions,
		}),
	);
	const editPoll = input.poll
		? ({ options: input.poll.options.map((title) => ({ title, votesCount: 0 })) } as Poll)
		: undefined;
	statements.push(db.insert(statusEdits).values(snapshot(updated, mediaIds, editPoll, now)));
	if (boosters.length > 0) {
		// Those who boosted a post are told when it changes under their boost, as on Mastodon.
		statements.push(
			notifyStatement(db, {
				type: "update",
				accountIds: boosters.map((b) => b.id),
				fromAccountId: account.id,
				statusId: status.id,
				groupKey: `update-${status.id}-${now.getTime()}`,
			}),
		);
	}
	statements.push(publishOutboxEvent(db, { type: "status.updated", statusId: status.id }));
	const results = await db.batch(asBatch(statements));
	await queueNotificationPushes(ctx.env, statements, results);
}
