import { requireUser } from "../../http/auth";
import { pageQuery } from "../../http/pagination";
import { readParams } from "../../http/params";
import type { AppRouter } from "../../http/router";
import { bookmarksPage } from "../../services/timelines/timelines";
import { statusPageResponse } from "../shared/status-responses";

export function bookmarkRoutes(router: AppRouter): void {
	router.get("/api/v1/bookmarks", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:bookmarks");
		const query = pageQuery(await readParams(request));
		const page = await bookmarksPage(ctx.db, account.id, query);
		return statusPageResponse(request, ctx, account.id, query, page);
	});
}
