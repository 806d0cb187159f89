import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { inIdList } from "../../db/queries/id-list";
import type { PageQuery } from "../../db/queries/page";
import { newestFirst, pageWindow } from "../../db/queries/page";
import {
	type Account,
	accounts,
	follows,
	homeFeed,
	LIST_REPLIES_POLICIES,
	type List,
	type ListRepliesPolicy,
	listAccounts,
	lists,
	statuses,
} from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { TimelinePage } from "./timelines";

export const LIST_TITLE_MAX_LENGTH = 256;

export interface ListInput {
	title?: string;
	repliesPolicy?: string;
	exclusive?: boolean;
}

function checkInput(input: ListInput, creating: boolean) {
	const title = input.title?.trim();
	if (creating || input.title !== undefined) {
		if (!title) throw new ValidationError("title", "Title can't be blank");
		if (title.length > LIST_TITLE_MAX_LENGTH) throw new ValidationError("title", "Title is too long");
	}
	if (
		input.repliesPolicy !== undefined &&
		!(LIST_REPLIES_POLICIES as readonly string[]).includes(input.repliesPolicy)
	) {
		throw new ValidationError("replies_policy", "Replies policy is not included in the list");
	}
	return {
		...(title ? { title } : {}),
		...(input.repliesPolicy ? { repliesPolicy: input.repliesPolicy as ListRepliesPolicy } : {}),
		...(input.exclusive === undefined ? {} : { exclusive: input.exclusive }),
	};
}

export async function listsOf(db: Db, accountId: string): Promise<List[]> {
	return db.select().from(lists).where(eq(lists.accountId, accountId)).orderBy(asc(lists.id));
}

export async function findList(db: Db, ownerId: string, id: string): Promise<List | undefined> {
	const [row] = await db
		.select()
		.from(lists)
		.where(and(eq(lists.id, id), eq(lists.accountId, ownerId)))
		.limit(1);
	return row;
}

export async function createList(db: Db, ownerId: string, input: ListInput): Promise<List> {
	const values = checkInput(input, true);
	const [row] = await db
		.insert(lists)
		.values({ id: newId(), accountId: ownerId, title: values.title ?? "", ...values, createdAt: new Date() })
		.returning();
	return row as List;
}

export async function updateList(db: Db, list: List, input: ListInput): Promise<List> {
	const values = checkInput(input, false);
	if (Object.keys(values).length === 0) return list;
	const [row] = await db.update(lists).set(values).where(eq(lists.id, list.id)).returning();
	return row ?? list;
}

export async function deleteList(db: Db, list: List): Promise<void> {
	await db.delete(lists).where(eq(lists.id, list.id));
}

/** A page of members, paged by account id. */
export async function listMembers(db: Db, list: List, query: PageQuery): Promise<Account[]> {
	const window = pageWindow(accounts.id, query);
	const rows = await db
		.select({ account: accounts })
		.from(listAccounts)
		.innerJoin(accounts, eq(accounts.id, listAccounts.accountId))
		.where(and(eq(listAccounts.listId, list.id), ...window.where))
		.orderBy(window.orderBy)
		.limit(query.limit);
	return newestFirst(rows, query).map((row) => row.account);
}

/** Adds accounts the owner follows; any other account makes the whole call fail, changing nothing. */
export async function addListMembers(db: Db, list: List, accountIds: string[]): Promise<void> {
	const ids = [...new Set(accountIds)];
	if (ids.length === 0) return;
	const followed = await db
		.select({ id: follows.targetAccountId })
		.from(follows)
		.where(and(eq(follows.accountId, list.accountId), inIdList(follows.targetAccountId, ids)));
	if (followed.length !== ids.length) {
		throw new ValidationError("account_ids", "Only accounts you follow can be added to a list");
	}
	const now = new Date();
	await db
		.insert(listAccounts)
		.values(ids.map((accountId) => ({ listId: list.id, accountId, createdAt: now })))
		.onConflictDoNothing();
}

export async function removeListMembers(db: Db, list: List, accountIds: string[]): Promise<void> {
	if (accountIds.length === 0) return;
	await db
		.delete(listAccounts)
		.where(and(eq(listAccounts.listId, list.id), inArray(listAccounts.accountId, accountIds)));
}

/** The owner's lists that hold `accountId`. */
export async function listsContaining(db: Db, ownerId: string, accountId: string): Promise<List[]> {
	return db
		.select({ list: lists })
		.from(listAccounts)
		.innerJoin(lists, eq(lists.id, listAccounts.listId))
		.where(and(eq(lists.accountId, ownerId), eq(listAccounts.accountId, accountId)))
		.orderBy(asc(lists.id))
		.then((rows) => rows.map((row) => row.list));
}

function repliesCondition(list: List): SQL {
	const notAReply = sql`${statuses.inReplyToAccountId} is null or ${statuses.inReplyToAccountId} = ${statuses.accountId}`;
	switch (list.repliesPolicy) {
		case "none":
			return sql`(${notAReply})`;
		case "list":
			return sql`(${notAReply} or ${statuses.inReplyToAccountId} in
				(select account_id from list_accounts where list_id = ${list.id}))`;
		case "followed":
			return sql`(${notAReply} or ${statuses.inReplyToAccountId} = ${list.accountId} or ${statuses.inReplyToAccountId} in
				(select target_account_id from follows where account_id = ${list.accountId}))`;
	}
}

/**
 * A list's timeline is the owner's home feed narrowed to the members'
 * entries: the fan-out already wrote them there with every block, mute and
 * visibility rule applied, so a list costs no writes of its own and a
 * member added later shows their recent posts at once.
 */
export async function listTimeline(db: Db, list: List, query: PageQuery): Promise<TimelinePage> {
	const window = pageWindow(homeFeed.statusId, query);
	const rows = await db
		.select({ id: homeFeed.statusId })
		.from(homeFeed)
		.innerJoin(listAccounts, and(eq(listAccounts.listId, list.id), eq(listAccounts.accountId, homeFeed.authorId)))
		.innerJoin(statuses, eq(statuses.id, homeFeed.statusId))
		.where(and(eq(homeFeed.accountId, list.accountId), repliesCondition(list), ...window.where))
		.orderBy(window.orderBy)
		.limit(query.limit);
	const ids = newestFirst(rows, query).map((row) => row.id);
	return { statusIds: ids, pageIds: ids };
}
