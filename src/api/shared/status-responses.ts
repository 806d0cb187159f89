import type { Status } from "../../db/schema";
import type { AppContext, AppRequest } from "../../http/context";
import { notFound } from "../../http/errors";
import { pagedJson } from "../../http/paged-json";
import type { PageQuery } from "../../http/pagination";
import type { MastodonStatus } from "../../serializers/mastodon/entities";
import { type LoadStatusViewsOptions, loadStatusViews } from "../../services/statuses/views";
import { findVisibleStatus } from "../../services/statuses/visibility";
import type { TimelinePage } from "../../services/timelines/timelines";

/** The status `id` if the viewer may see it; 404 otherwise (unknown and hidden look the same). */
export async function requireVisibleStatus(ctx: AppContext, viewerId: string | null, id: string): Promise<Status> {
	const status = await findVisibleStatus(ctx.db, viewerId, id);
	if (!status) throw notFound();
	return status;
}

/** One status as the viewer sees it; 404 when it is gone or hidden. */
export async function statusView(ctx: AppContext, viewerId: string | null, id: string): Promise<MastodonStatus> {
	const [view] = await loadStatusViews(ctx.db, ctx.config, viewerId, [id]);
	if (!view) throw notFound();
	return view;
}

/** A page of statuses with its Link header (also on empty pages, so clients can keep polling). */
export async function statusPageResponse(
	request: AppRequest,
	ctx: AppContext,
	viewerId: string | null,
	query: PageQuery,
	page: TimelinePage,
	options: LoadStatusViewsOptions = {},
): Promise<Response> {
	const views = await loadStatusViews(ctx.db, ctx.config, viewerId, page.statusIds, options);
	return pagedJson(request.url, query, views, page.pageIds);
}
