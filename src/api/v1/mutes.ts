import { requireUser } from "../../http/auth";
import { pagedJson } from "../../http/paged-json";
import { pageQuery } from "../../http/pagination";
import { readParams } from "../../http/params";
import type { AppRouter } from "../../http/router";
import { serializeAccount } from "../../serializers/mastodon/account";
import { mutesPage } from "../../services/accounts/relation-pages";

export function muteRoutes(router: AppRouter): void {
	router.get("/api/v1/mutes", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:mutes");
		const query = pageQuery(await readParams(request), { defaultLimit: 40, maxLimit: 80 });
		const rows = await mutesPage(ctx.db, account.id, query);
		return pagedJson(
			request.url,
			query,
			rows.map((row) => serializeAccount(row.account, ctx.config)),
			rows.map((row) => row.pageId),
		);
	});
}
