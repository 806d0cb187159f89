import type { PageQuery } from "../db/queries/page";
import type { Params } from "./params";

export type { PageQuery };

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 40;

export function pageQuery(params: Params, options: { defaultLimit?: number; maxLimit?: number } = {}): PageQuery {
	const maxLimit = options.maxLimit ?? MAX_PAGE_LIMIT;
	const requested = params.integer("limit") ?? options.defaultLimit ?? DEFAULT_PAGE_LIMIT;
	// Mastodon clamps rather than refuses an out-of-range limit.
	const limit = Math.min(Math.max(requested, 1), maxLimit);
	return {
		maxId: params.string("max_id") || undefined,
		sinceId: params.string("since_id") || undefined,
		minId: params.string("min_id") || undefined,
		limit,
	};
}

/** Whether results must be fetched oldest-first (then reversed to newest-first for the response). */
export function isAscending(query: PageQuery): boolean {
	return query.minId !== undefined;
}

/**
 * The `Link` header for a page whose items carry pagination ids `ids` (newest
 * first). An empty page still links back (`prev` from `since`/`min`, `next`
 * from `max`) so a client can keep polling from where it stands.
 */
export function linkHeader(requestUrl: string, query: PageQuery, ids: readonly string[]): string | undefined {
	const base = new URL(requestUrl);
	for (const key of ["max_id", "since_id", "min_id"]) base.searchParams.delete(key);
	const link = (rel: "next" | "prev", key: "max_id" | "min_id", id: string) => {
		const url = new URL(base);
		url.searchParams.set(key, id);
		return `<${url.toString()}>; rel="${rel}"`;
	};
	const newest = ids[0] ?? query.minId ?? query.sinceId;
	const oldest = ids[ids.length - 1] ?? query.maxId;
	const links: string[] = [];
	if (oldest !== undefined && (ids.length > 0 || query.maxId !== undefined)) links.push(link("next", "max_id", oldest));
	if (newest !== undefined) links.push(link("prev", "min_id", newest));
	return links.length > 0 ? links.join(", ") : undefined;
}
