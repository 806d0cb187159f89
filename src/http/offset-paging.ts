import type { Params } from "./params";
import { json } from "./responses";

export interface OffsetPage {
	offset: number;
	limit: number;
}

/** `offset` and `limit` as Mastodon's offset-paged endpoints read them: the limit clamped, not refused. */
export function offsetPage(params: Params, defaultLimit: number, maxLimit: number): OffsetPage {
	const offset = params.integer("offset", { min: 0 }) ?? 0;
	const limit = Math.min(Math.max(params.integer("limit") ?? defaultLimit, 1), maxLimit);
	return { offset, limit };
}

/**
 * A JSON page with Mastodon's offset `Link` header: `next` while there may be
 * more (by default, while the page is full), `prev` past the start.
 */
export function offsetPagedJson(
	requestUrl: string,
	page: OffsetPage,
	items: readonly unknown[],
	more = items.length === page.limit,
): Response {
	const link = (rel: "next" | "prev", offset: number) => {
		const url = new URL(requestUrl);
		url.searchParams.set("offset", String(offset));
		url.searchParams.set("limit", String(page.limit));
		return `<${url.toString()}>; rel="${rel}"`;
	};
	const links: string[] = [];
	if (more) links.push(link("next", page.offset + page.limit));
	if (page.offset > 0) links.push(link("prev", Math.max(page.offset - page.limit, 0)));
	return json(items, links.length > 0 ? { headers: { Link: links.join(", ") } } : {});
}
