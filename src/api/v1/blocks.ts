import { requireUser } from "../../http/auth";
import { pagedJson } from "../../http/paged-json";
import { pageQuery } from "../../http/pagination";
import { readParams } from "../../http/params";
import type { AppRouter } from "../../http/router";
import { serializeAccount } from "../../serializers/mastodon/account";
import { blocksPage } from "../../services/accounts/relation-pages";

export function blockRoutes(router: AppRouter): void {
	router.get("/api/v1/blocks", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:blocks");
		const query = pageQuery(await readParams(request), { defaultLimit: 40, maxLimit: 80 });
		const rows = await blocksPage(ctx.db, account.id, query);
		return pagedJson(
			request.url,
			query,
			rows.map((row) => serializeAccount(row.account, ctx.config)),
			rows.map((row) => row.pageId),
		);
	});
}
