import { inArray } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { type Account, accounts } from "../../db/schema";
import { findAccounts, parseAcct, searchAccounts } from "../accounts/queries";
import { searchTags, type Tag } from "../tags/followed";
import { type ParsedSearch, parseSearchQuery } from "./query";
import { fromHandles, searchStatusIds } from "./statuses";
import { type FetchRemoteUrl, lookUpUrl } from "./url-lookup";

export const SEARCH_TYPES = ["accounts", "statuses", "hashtags"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export interface SearchInput {
	q: string;
	type?: SearchType;
	limit: number;
	offset: number;
	viewerId: string | null;
	following: boolean;
	/** Fetches an unknown remote URL (`resolve=true`, signed-in viewers only); federation's, given by the handler. */
	fetchRemote?: FetchRemoteUrl;
	/** Statuses of this account only. */
	accountId?: string;
	maxId?: string;
	minId?: string;
}

export interface SearchHits {
	accounts: Account[];
	/** Ids of statuses found; the caller renders those the viewer may see. */
	statusIds: string[];
	hashtags: Tag[];
}

const EMPTY: SearchHits = { accounts: [], statusIds: [], hashtags: [] };

function isUrl(q: string): boolean {
	return /^https?:\/\/\S+$/i.test(q.trim());
}

/** Account ids of the `from:` handles (`me` is the viewer); unknown handles map to null and match nothing. */
async function resolveFromHandles(
	ctx: ServiceContext,
	parsed: ParsedSearch,
	viewerId: string,
): Promise<Map<string, string | null>> {
	const handles = fromHandles(parsed);
	const keys = new Map<string, string>();
	for (const handle of handles) {
		if (handle === "me") continue;
		const acct = parseAcct(handle, ctx.config);
		if (acct) keys.set(handle, `${acct.username.toLowerCase()}@${acct.domain ?? ""}`);
	}
	const rows =
		keys.size > 0
			? await ctx.db
					.select({ id: accounts.id, key: accounts.acctKey })
					.from(accounts)
					.where(inArray(accounts.acctKey, [...new Set(keys.values())]))
			: [];
	const byKey = new Map(rows.map((r) => [r.key, r.id]));
	return new Map(
		handles.map((handle) => [handle, handle === "me" ? viewerId : (byKey.get(keys.get(handle) ?? "") ?? null)]),
	);
}

async function searchStatuses(ctx: ServiceContext, input: SearchInput, offset: number): Promise<string[]> {
	if (!input.viewerId) return [];
	const parsed = parseSearchQuery(input.q);
	return searchStatusIds(ctx.db, {
		parsed,
		viewerId: input.viewerId,
		fromIds: await resolveFromHandles(ctx, parsed, input.viewerId),
		accountId: input.accountId,
		maxId: input.maxId,
		minId: input.minId,
		limit: input.limit,
		offset,
	});
}

/**
 * Search as Mastodon answers it. A URL names one status or account: local
 * and known ones come from D1, unknown remote ones are fetched through
 * `fetchRemote` when the handler gives it. Otherwise accounts by name, hashtags by prefix and, for
 * signed-in viewers, statuses by their text (see statuses.ts).
 */
export async function search(ctx: ServiceContext, input: SearchInput): Promise<SearchHits> {
	const wants = (type: SearchType) => input.type === undefined || input.type === type;
	// Paging applies to one type at a time, as in Mastodon.
	const offset = input.type === undefined ? 0 : input.offset;
	if (isUrl(input.q)) {
		if (offset > 0) return EMPTY;
		const target = await lookUpUrl(ctx, input.q, input.viewerId !== null ? input.fetchRemote : undefined);
		// Statuses are for signed-in viewers only, by text or by URL, as in Mastodon.
		if (target?.kind === "status" && wants("statuses") && input.viewerId) return { ...EMPTY, statusIds: [target.id] };
		if (target?.kind === "account" && wants("accounts")) {
			const found = (await findAccounts(ctx.db, [target.id])).get(target.id);
			return { ...EMPTY, accounts: found ? [found] : [] };
		}
		return EMPTY;
	}
	const [found, statusIds, hashtags] = await Promise.all([
		wants("accounts")
			? searchAccounts(ctx.db, ctx.config, {
					query: input.q,
					limit: input.limit,
					offset,
					followingOf: input.following && input.viewerId ? input.viewerId : undefined,
					viewerId: input.viewerId,
				})
			: Promise.resolve([]),
		wants("statuses") ? searchStatuses(ctx, input, offset) : Promise.resolve([]),
		wants("hashtags") ? searchTags(ctx.db, input.q, input.limit, offset) : Promise.resolve([]),
	]);
	return { accounts: found, statusIds, hashtags };
}
