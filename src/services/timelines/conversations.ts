import { and, eq, sql } from "drizzle-orm";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { inIdList } from "../../db/queries/id-list";
import type { PageQuery } from "../../db/queries/page";
import { newestFirst, pageWindow } from "../../db/queries/page";
import { sqlAll } from "../../db/queries/raw";
import { type AccountConversation, accountConversations, accounts } from "../../db/schema";
import { newId } from "../../lib/ids";
import { serializeConversation } from "../../serializers/mastodon/conversation";
import type { MastodonConversation } from "../../serializers/mastodon/entities";
import { loadStatusViews } from "../statuses/views";
import { LIVE_CONVERSATION_COLUMN } from "../streaming/audience";

/**
 * The statement recording a new direct post in each local participant's
 * conversation list: unread for everyone but its author. It returns the rows
 * of participants who stream direct messages (see `liveConversations`).
 */
export function directConversationStatement(
	db: Db,
	input: { statusId: string; conversationId: string; authorId: string; mentionedIds: string[] },
) {
	const everyone = [...new Set([input.authorId, ...input.mentionedIds])];
	const rows = everyone.map((accountId) => ({
		id: newId(),
		accountId,
		others: everyone.filter((id) => id !== accountId),
		unread: accountId !== input.authorId,
	}));
	return conversationWrite(
		sqlAll<ConversationRow>(
			db,
			sql`insert into account_conversations (id, account_id, conversation_id, participant_ids, last_status_id, unread)
		select json_extract(r.value, '$.id'), a.id, ${input.conversationId}, json_extract(r.value, '$.others'),
			${input.statusId}, json_extract(r.value, '$.unread')
		from json_each(${JSON.stringify(rows)}) r join accounts a on a.id = json_extract(r.value, '$.accountId')
		where a.domain is null
		on conflict (account_id, conversation_id) do update set last_status_id = excluded.last_status_id,
			unread = excluded.unread, participant_ids = excluded.participant_ids
		returning id, account_id, ${LIVE_CONVERSATION_COLUMN}`,
		),
	);
}

interface ConversationRow {
	id: string;
	account_id: string;
	live: number;
}

const conversationWrites = new WeakSet<object>();

function conversationWrite<T extends object>(statement: T): T {
	conversationWrites.add(statement);
	return statement;
}

/** After the batch: the conversation rows (id, owner) whose owner streams direct messages. */
export function liveConversations(
	statements: readonly object[],
	results: readonly unknown[],
): { id: string; accountId: string }[] {
	const live: { id: string; accountId: string }[] = [];
	statements.forEach((statement, index) => {
		if (!conversationWrites.has(statement)) return;
		for (const row of (results[index] as ConversationRow[] | undefined) ?? []) {
			if (row.live) live.push({ id: row.id, accountId: row.account_id });
		}
	});
	return live;
}

/** Renders conversations with a constant number of queries: participants in one, last posts via the loader. */
export async function conversationViews(
	db: Db,
	config: InstanceConfig,
	viewerId: string,
	rows: AccountConversation[],
): Promise<MastodonConversation[]> {
	const participantIds = [...new Set(rows.flatMap((r) => (r.participantIds.length ? r.participantIds : [viewerId])))];
	const [people, statusViews] = await Promise.all([
		participantIds.length ? db.select().from(accounts).where(inIdList(accounts.id, participantIds)) : [],
		loadStatusViews(
			db,
			config,
			viewerId,
			rows.map((r) => r.lastStatusId),
		),
	]);
	return rows.map((row) =>
		serializeConversation(
			row,
			(row.participantIds.length ? row.participantIds : [viewerId]).flatMap((id) => {
				const found = people.find((p) => p.id === id);
				return found ? [found] : [];
			}),
			statusViews.find((s) => s.id === row.lastStatusId) ?? null,
			config,
		),
	);
}

export async function conversationsPage(db: Db, accountId: string, query: PageQuery) {
	const window = pageWindow(accountConversations.lastStatusId, query);
	return newestFirst(
		await db
			.select()
			.from(accountConversations)
			.where(and(eq(accountConversations.accountId, accountId), ...window.where))
			.orderBy(window.orderBy)
			.limit(query.limit),
		query,
	);
}

export async function findConversation(db: Db, accountId: string, id: string) {
	const [row] = await db
		.select()
		.from(accountConversations)
		.where(and(eq(accountConversations.id, id), eq(accountConversations.accountId, accountId)))
		.limit(1);
	return row;
}

export async function markConversationRead(db: Db, row: AccountConversation): Promise<AccountConversation> {
	await db.update(accountConversations).set({ unread: false }).where(eq(accountConversations.id, row.id));
	return { ...row, unread: false };
}

export async function removeConversation(db: Db, row: AccountConversation): Promise<void> {
	await db.delete(accountConversations).where(eq(accountConversations.id, row.id));
}
