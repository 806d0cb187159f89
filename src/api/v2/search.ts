import { unauthorized, unprocessable } from "../../http/errors";
import { optionalUser } from "../../http/optional-auth";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeAccount } from "../../serializers/mastodon/account";
import { serializeTag } from "../../serializers/mastodon/tag";
import { tagHistories } from "../../services/followed-tags";
import { resolveSearchedAcct } from "../../services/remote-lookup";
import { SEARCH_TYPES, type SearchType, search } from "../../services/search";
import { loadStatusViews } from "../../services/status-views";

export function searchRoutes(router: AppRouter): void {
	router.get("/api/v2/search", async (request, ctx) => {
		const auth = await optionalUser(request, ctx, "read:search");
		const params = await readParams(request);
		const q = params.requiredString("q", { maxLength: 500 });
		const type = params.string("type") || undefined;
		if (type !== undefined && !(SEARCH_TYPES as readonly string[]).includes(type)) {
			throw unprocessable("Validation failed: type is not one of accounts, statuses, hashtags");
		}
		const offset = params.integer("offset", { min: 0 }) ?? 0;
		// As in Mastodon: paging through results and resolving are for signed-in users.
		if (!auth && (offset > 0 || params.boolean("resolve")))
			throw unauthorized("Search queries with offset or resolve require a user");
		const viewerId = auth?.account.id ?? null;
		if (auth && params.boolean("resolve") && (type === undefined || type === "accounts")) {
			await resolveSearchedAcct(ctx, q);
		}
		const hits = await search(ctx.db, ctx.config, {
			q,
			type: type as SearchType | undefined,
			limit: Math.min(Math.max(params.integer("limit") ?? 20, 1), 40),
			offset,
			viewerId,
			following: params.boolean("following") ?? false,
		});
		const [statuses, histories] = await Promise.all([
			loadStatusViews(ctx.db, ctx.config, viewerId, hits.statusIds),
			tagHistories(
				ctx.db,
				hits.hashtags.map((tag) => tag.id),
			),
		]);
		return json({
			accounts: hits.accounts.map((account) => serializeAccount(account, ctx.config)),
			statuses,
			hashtags: hits.hashtags.map((tag) => serializeTag(tag, ctx.config, { history: histories.get(tag.id) ?? [] })),
		});
	});
}
