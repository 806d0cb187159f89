import { requireUser } from "../../http/auth";
import type { AppContext, AppRequest } from "../../http/context";
import { notFound } from "../../http/errors";
import { optionalUser } from "../../http/optional-auth";
import { pagedJson } from "../../http/paged-json";
import { pageQuery } from "../../http/pagination";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeTag } from "../../serializers/mastodon/tag";
import {
	findOrCreateTag,
	findTag,
	followedTagsPage,
	followTag,
	isFollowingTag,
	isValidTagName,
	tagHistory,
	unfollowTag,
} from "../../services/tags/followed";

function tagName(request: AppRequest): string {
	const name = decodeURIComponent(request.params.name ?? "").replace(/^#/, "");
	if (!isValidTagName(name)) throw notFound();
	return name;
}

async function tagResponse(ctx: AppContext, tag: { id: string; name: string; displayName: string }, viewerId?: string) {
	const [history, following] = await Promise.all([
		tagHistory(ctx.db, tag.id),
		viewerId ? isFollowingTag(ctx.db, viewerId, tag.id) : Promise.resolve(undefined),
	]);
	return json(serializeTag(tag, ctx.config, { history, following }));
}

/** Hashtags: their page, and following them into the home timeline. */
export function tagRoutes(router: AppRouter): void {
	router.get("/api/v1/tags/:name", async (request, ctx) => {
		const auth = await optionalUser(request, ctx, "read:follows", "read:statuses");
		const tag = await findTag(ctx.db, tagName(request));
		if (!tag) throw notFound();
		return tagResponse(ctx, tag, auth?.account.id);
	});

	router.post("/api/v1/tags/:name/follow", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:follows");
		const tag = await findOrCreateTag(ctx.db, tagName(request));
		await followTag(ctx.db, account.id, tag);
		return tagResponse(ctx, tag, account.id);
	});

	router.post("/api/v1/tags/:name/unfollow", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:follows");
		const tag = await findTag(ctx.db, tagName(request));
		if (!tag) throw notFound();
		await unfollowTag(ctx.db, account.id, tag);
		return tagResponse(ctx, tag, account.id);
	});

	router.get("/api/v1/followed_tags", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:follows");
		const query = pageQuery(await readParams(request), { defaultLimit: 100, maxLimit: 200 });
		const rows = await followedTagsPage(ctx.db, account.id, query);
		return pagedJson(
			request.url,
			query,
			rows.map((row) => serializeTag(row.tag, ctx.config, { following: true })),
			rows.map((row) => row.pageId),
		);
	});
}
