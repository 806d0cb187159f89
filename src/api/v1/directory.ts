import { offsetPage, offsetPagedJson } from "../../http/offset-paging";
import { optionalUser } from "../../http/optional-auth";
import { readParams } from "../../http/params";
import type { AppRouter } from "../../http/router";
import { serializeAccount } from "../../serializers/mastodon/account";
import { directoryPage } from "../../services/accounts/directory";

/** The profile directory: accounts that chose to be discoverable, latest active or newest first. */
export function directoryRoutes(router: AppRouter): void {
	router.get("/api/v1/directory", async (request, ctx) => {
		const auth = await optionalUser(request, ctx);
		const params = await readParams(request);
		const page = offsetPage(params, 40, 80);
		const list = await directoryPage(ctx.db, {
			viewerId: auth?.account.id ?? null,
			local: params.boolean("local") ?? false,
			order: params.string("order") === "new" ? "new" : "active",
			...page,
		});
		return offsetPagedJson(
			request.url,
			page,
			list.map((account) => serializeAccount(account, ctx.config)),
		);
	});
}
