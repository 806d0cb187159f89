import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import {
	FILTER_ACTIONS,
	FILTER_CONTEXTS,
	type Filter,
	type FilterAction,
	type FilterContext,
	type FilterKeyword,
	type FilterStatus,
	filterKeywords,
	filterStatuses,
	filters,
} from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { Statement } from "../statuses/writes";

export interface FilterWithChildren {
	filter: Filter;
	keywords: FilterKeyword[];
	statuses: FilterStatus[];
}

export interface KeywordInput {
	id?: string;
	keyword?: string;
	wholeWord?: boolean;
	destroy?: boolean;
}

export interface FilterInput {
	title?: string;
	context?: string[];
	action?: string;
	/** Seconds from now; null clears the expiry. */
	expiresIn?: number | null;
	keywords?: KeywordInput[];
}

const MAX_TITLE = 256;
const MAX_KEYWORD = 512;

function checkContext(context: string[]): FilterContext[] {
	if (context.length === 0) throw new ValidationError("context", "Context can't be blank");
	for (const c of context) {
		if (!(FILTER_CONTEXTS as readonly string[]).includes(c)) {
			throw new ValidationError("context", `Context ${c} is not included in the list`);
		}
	}
	return [...new Set(context)] as FilterContext[];
}

function checkAction(action: string): FilterAction {
	if (!(FILTER_ACTIONS as readonly string[]).includes(action)) {
		throw new ValidationError("filter_action", "Filter action is not included in the list");
	}
	return action as FilterAction;
}

function checkKeyword(keyword: string): string {
	const trimmed = keyword.trim();
	if (trimmed === "") throw new ValidationError("keyword", "Keyword can't be blank");
	if (trimmed.length > MAX_KEYWORD) throw new ValidationError("keyword", "Keyword is too long");
	return trimmed;
}

function expiry(expiresIn: number | null | undefined): Date | null | undefined {
	if (expiresIn === undefined) return undefined;
	if (expiresIn === null) return null;
	if (expiresIn <= 0) throw new ValidationError("expires_in", "Expires in must be positive");
	return new Date(Date.now() + expiresIn * 1000);
}

export async function listFilters(db: Db, accountId: string): Promise<FilterWithChildren[]> {
	const list = await db.select().from(filters).where(eq(filters.accountId, accountId)).orderBy(asc(filters.id));
	if (list.length === 0) return [];
	const ids = list.map((f) => f.id);
	const [keywords, statusRows] = await db.batch([
		db.select().from(filterKeywords).where(inArray(filterKeywords.filterId, ids)).orderBy(asc(filterKeywords.id)),
		db.select().from(filterStatuses).where(inArray(filterStatuses.filterId, ids)).orderBy(asc(filterStatuses.id)),
	]);
	return list.map((filter) => ({
		filter,
		keywords: keywords.filter((k) => k.filterId === filter.id),
		statuses: statusRows.filter((s) => s.filterId === filter.id),
	}));
}

export async function findFilter(db: Db, accountId: string, id: string): Promise<FilterWithChildren | undefined> {
	return (await listFilters(db, accountId)).find((f) => f.filter.id === id);
}

export async function createFilter(db: Db, accountId: string, input: FilterInput): Promise<string> {
	const title = (input.title ?? "").trim();
	if (title === "") throw new ValidationError("title", "Title can't be blank");
	if (title.length > MAX_TITLE) throw new ValidationError("title", "Title is too long");
	const context = checkContext(input.context ?? []);
	const action = checkAction(input.action ?? "warn");
	const id = newId();
	const statements: Statement[] = [
		db.insert(filters).values({
			id,
			accountId,
			title,
			context,
			action,
			expiresAt: expiry(input.expiresIn) ?? null,
			createdAt: new Date(),
		}),
	];
	for (const keyword of input.keywords ?? []) {
		if (keyword.destroy) continue;
		statements.push(
			db.insert(filterKeywords).values({
				id: newId(),
				filterId: id,
				keyword: checkKeyword(keyword.keyword ?? ""),
				wholeWord: keyword.wholeWord ?? true,
			}),
		);
	}
	await db.batch(statements as [Statement, ...Statement[]]);
	return id;
}

export async function updateFilter(db: Db, current: FilterWithChildren, input: FilterInput): Promise<void> {
	const changes: Partial<Filter> = {};
	if (input.title !== undefined) {
		const title = input.title.trim();
		if (title === "") throw new ValidationError("title", "Title can't be blank");
		changes.title = title;
	}
	if (input.context !== undefined) changes.context = checkContext(input.context);
	if (input.action !== undefined) changes.action = checkAction(input.action);
	const expiresAt = expiry(input.expiresIn);
	if (expiresAt !== undefined) changes.expiresAt = expiresAt;
	const statements: Statement[] = [];
	if (Object.keys(changes).length > 0) {
		statements.push(db.update(filters).set(changes).where(eq(filters.id, current.filter.id)));
	}
	for (const keyword of input.keywords ?? []) {
		if (keyword.id) {
			if (!current.keywords.some((k) => k.id === keyword.id)) {
				throw new ValidationError("keywords_attributes", `Keyword ${keyword.id} not found`);
			}
			if (keyword.destroy) {
				statements.push(db.delete(filterKeywords).where(eq(filterKeywords.id, keyword.id)));
				continue;
			}
			const set: Partial<FilterKeyword> = {};
			if (keyword.keyword !== undefined) set.keyword = checkKeyword(keyword.keyword);
			if (keyword.wholeWord !== undefined) set.wholeWord = keyword.wholeWord;
			if (Object.keys(set).length > 0) {
				statements.push(db.update(filterKeywords).set(set).where(eq(filterKeywords.id, keyword.id)));
			}
		} else if (!keyword.destroy) {
			statements.push(
				db.insert(filterKeywords).values({
					id: newId(),
					filterId: current.filter.id,
					keyword: checkKeyword(keyword.keyword ?? ""),
					wholeWord: keyword.wholeWord ?? true,
				}),
			);
		}
	}
	if (statements.length > 0) await db.batch(statements as [Statement, ...Statement[]]);
}

export async function deleteFilter(db: Db, accountId: string, id: string): Promise<void> {
	await db.delete(filters).where(and(eq(filters.id, id), eq(filters.accountId, accountId)));
}

export async function addKeyword(db: Db, filterId: string, keyword: string, wholeWord: boolean) {
	const [row] = await db
		.insert(filterKeywords)
		.values({ id: newId(), filterId, keyword: checkKeyword(keyword), wholeWord })
		.returning();
	return row as FilterKeyword;
}

/** A keyword of one of the account's filters, with that filter. */
export async function findKeyword(db: Db, accountId: string, keywordId: string) {
	const [row] = await db
		.select({ keyword: filterKeywords, filter: filters })
		.from(filterKeywords)
		.innerJoin(filters, eq(filters.id, filterKeywords.filterId))
		.where(and(eq(filterKeywords.id, keywordId), eq(filters.accountId, accountId)))
		.limit(1);
	return row;
}

export async function updateKeyword(db: Db, keywordId: string, input: { keyword?: string; wholeWord?: boolean }) {
	const set: Partial<FilterKeyword> = {};
	if (input.keyword !== undefined) set.keyword = checkKeyword(input.keyword);
	if (input.wholeWord !== undefined) set.wholeWord = input.wholeWord;
	if (Object.keys(set).length === 0) return;
	await db.update(filterKeywords).set(set).where(eq(filterKeywords.id, keywordId));
}

export async function deleteKeyword(db: Db, keywordId: string): Promise<void> {
	await db.delete(filterKeywords).where(eq(filterKeywords.id, keywordId));
}

export async function addFilterStatus(db: Db, filterId: string, statusId: string) {
	const [row] = await db.insert(filterStatuses).values({ id: newId(), filterId, statusId }).returning();
	return row as FilterStatus;
}

export async function findFilterStatus(db: Db, accountId: string, id: string) {
	const [row] = await db
		.select({ status: filterStatuses, filter: filters })
		.from(filterStatuses)
		.innerJoin(filters, eq(filters.id, filterStatuses.filterId))
		.where(and(eq(filterStatuses.id, id), eq(filters.accountId, accountId)))
		.limit(1);
	return row;
}

export async function deleteFilterStatus(db: Db, id: string): Promise<void> {
	await db.delete(filterStatuses).where(eq(filterStatuses.id, id));
}
