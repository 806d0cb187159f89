import type { AppContext, AppRequest } from "../../http/context";
import { offsetPage, offsetPagedJson } from "../../http/offset-paging";
import { optionalUser } from "../../http/optional-auth";
import { readParams } from "../../http/params";
import type { AppRouter } from "../../http/router";
import { serializeTag } from "../../serializers/mastodon/tag";
import { serializeTrendsLink } from "../../serializers/mastodon/trends-link";
import { loadStatusViews } from "../../services/statuses/views";
import { followedAmong, tagHistories } from "../../services/tags/followed";
import { trendingLinks, trendingStatusIds, trendingTags } from "../../services/trends/queries";

/** Trending tags, as /api/v1/trends/tags and its older name /api/v1/trends answer. */
async function tagsResponse(request: AppRequest, ctx: AppContext): Promise<Response> {
	const auth = await optionalUser(request, ctx);
	const page = offsetPage(await readParams(request), 10, 20);
	const list = await trendingTags(ctx.db, page.offset, page.limit);
	const ids = list.map((tag) => tag.id);
	const [histories, followed] = await Promise.all([
		tagHistories(ctx.db, ids),
		auth ? followedAmong(ctx.db, auth.account.id, ids) : Promise.resolve(null),
	]);
	return offsetPagedJson(
		request.url,
		page,
		list.map((tag) =>
			serializeTag(tag, ctx.config, {
				history: histories.get(tag.id) ?? [],
				...(followed ? { following: followed.has(tag.id) } : {}),
			}),
		),
	);
}

/**
 * What trends among the public posts this server saw in the last days
 * (scored by the cron, src/services/trends/): tags, posts, links. Anyone may
 * read them; a signed-in viewer gets posts as they see them.
 */
export function trendRoutes(router: AppRouter): void {
	router.get("/api/v1/trends", tagsResponse);
	router.get("/api/v1/trends/tags", tagsResponse);

	router.get("/api/v1/trends/statuses", async (request, ctx) => {
		const auth = await optionalUser(request, ctx, "read:statuses");
		const page = offsetPage(await readParams(request), 20, 40);
		const ids = await trendingStatusIds(ctx.db, page.offset, page.limit);
		const viewerId = auth?.account.id ?? null;
		const views = await loadStatusViews(ctx.db, ctx.config, viewerId, ids, {
			filterContext: "public",
			hideMutedAuthors: true,
		});
		// Paged by the ranking, so a page short of what is hidden from this viewer still links on.
		return offsetPagedJson(request.url, page, views, ids.length === page.limit);
	});

	router.get("/api/v1/trends/links", async (request, ctx) => {
		const page = offsetPage(await readParams(request), 10, 20);
		const links = await trendingLinks(ctx.db, page.offset, page.limit);
		return offsetPagedJson(
			request.url,
			page,
			links.map((link) => serializeTrendsLink(link.card, link.history)),
		);
	});
}
