import { linkHeader, type PageQuery } from "./pagination";
import { json } from "./responses";

/**
 * A page with Mastodon's `Link` header built from the rows' pagination ids
 * (newest first), also on empty pages so clients can keep polling.
 */
export function pagedJson(requestUrl: string, query: PageQuery, body: unknown, pageIds: readonly string[]): Response {
	const link = linkHeader(requestUrl, query, pageIds);
	return json(body, link ? { headers: { Link: link } } : {});
}
