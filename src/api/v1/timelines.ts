import { authenticate, requireUser } from "../../http/auth";
import type { AppContext, AppRequest } from "../../http/context";
import { notFound } from "../../http/errors";
import { pageQuery } from "../../http/pagination";
import { type Params, readParams } from "../../http/params";
import type { AppRouter } from "../../http/router";
import { homeTimeline, type PublicScope, publicTimeline, tagTimeline } from "../../services/timelines/timelines";
import { statusPageResponse } from "../shared/status-responses";

function publicScope(params: Params): PublicScope {
	return {
		local: params.boolean("local") ?? false,
		remote: params.boolean("remote") ?? false,
		onlyMedia: params.boolean("only_media") ?? false,
	};
}

function decodeTag(raw: string): string {
	try {
		return decodeURIComponent(raw);
	} catch {
		throw notFound();
	}
}

async function optionalViewer(request: AppRequest, ctx: AppContext): Promise<string | null> {
	const auth = await authenticate(request, ctx);
	if (!auth) return null;
	const user = await requireUser(request, ctx, "read:statuses");
	return user.account.id;
}

export function timelineRoutes(router: AppRouter): void {
	router.get("/api/v1/timelines/home", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:statuses");
		const query = pageQuery(await readParams(request));
		const page = await homeTimeline(ctx.db, account.id, query);
		return statusPageResponse(request, ctx, account.id, query, page, {
			hideMutedAuthors: true,
			filterContext: "home",
		});
	});

	router.get("/api/v1/timelines/public", async (request, ctx) => {
		const viewerId = await optionalViewer(request, ctx);
		const params = await readParams(request);
		const query = pageQuery(params);
		const page = await publicTimeline(ctx.db, query, publicScope(params));
		return statusPageResponse(request, ctx, viewerId, query, page, {
			hideMutedAuthors: true,
			filterContext: "public",
		});
	});

	router.get("/api/v1/timelines/tag/:hashtag", async (request, ctx) => {
		const viewerId = await optionalViewer(request, ctx);
		const params = await readParams(request);
		const query = pageQuery(params);
		const tag = decodeTag(request.params.hashtag ?? "");
		const page = await tagTimeline(ctx.db, tag, query, {
			...publicScope(params),
			any: params.stringArray("any") ?? [],
			all: params.stringArray("all") ?? [],
			none: params.stringArray("none") ?? [],
		});
		return statusPageResponse(request, ctx, viewerId, query, page, {
			hideMutedAuthors: true,
			filterContext: "public",
		});
	});
}
