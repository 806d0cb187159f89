import { and, eq, isNull, or } from "drizzle-orm";
import type { InstanceConfig } from "../config";
import type { Db } from "../db/client";
import { type Account, accounts, statuses } from "../db/schema";
import { searchAccounts } from "./account-queries";
import { searchTags, type Tag } from "./followed-tags";

export const SEARCH_TYPES = ["accounts", "statuses", "hashtags"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export interface SearchInput {
	q: string;
	type?: SearchType;
	limit: number;
	offset: number;
	viewerId: string | null;
	following: boolean;
}

export interface SearchHits {
	accounts: Account[];
	/** Ids of statuses found; the caller renders those the viewer may see. */
	statusIds: string[];
	hashtags: Tag[];
}

function asUrl(q: string): string | null {
	try {
		const url = new URL(q.trim());
		return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
	} catch {
		return null;
	}
}

/**
 * Search over what this instance already knows: accounts by name, hashtags
 * by prefix, and statuses and accounts by their URL. Statuses are not
 * searched by text (that needs an index D1 does not offer cheaply), and
 * nothing is fetched from other servers here.
 */
export async function search(db: Db, config: InstanceConfig, input: SearchInput): Promise<SearchHits> {
	const wants = (type: SearchType) => input.type === undefined || input.type === type;
	const url = asUrl(input.q);
	if (url) {
		const original = input.q.trim();
		const [foundAccounts, foundStatuses] = await db.batch([
			db
				.select()
				.from(accounts)
				.where(
					and(
						isNull(accounts.suspendedAt),
						or(eq(accounts.uri, url), eq(accounts.url, url), eq(accounts.uri, original), eq(accounts.url, original)),
					),
				)
				.limit(1),
			db
				.select({ id: statuses.id })
				.from(statuses)
				.where(
					and(
						isNull(statuses.deletedAt),
						or(eq(statuses.uri, url), eq(statuses.url, url), eq(statuses.uri, original), eq(statuses.url, original)),
					),
				)
				.limit(1),
		]);
		return {
			accounts: wants("accounts") && input.offset === 0 ? foundAccounts : [],
			statusIds: wants("statuses") && input.offset === 0 ? foundStatuses.map((s) => s.id) : [],
			hashtags: [],
		};
	}
	const [found, hashtags] = await Promise.all([
		wants("accounts")
			? searchAccounts(db, config, {
					query: input.q,
					limit: input.limit,
					offset: input.offset,
					followingOf: input.following && input.viewerId ? input.viewerId : undefined,
				})
			: Promise.resolve([]),
		wants("hashtags") ? searchTags(db, input.q, input.limit, input.offset) : Promise.resolve([]),
	]);
	return { accounts: found, statusIds: [], hashtags };
}
