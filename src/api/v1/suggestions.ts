import { requireUser } from "../../http/auth";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeAccount } from "../../serializers/mastodon/account";
import { dismissSuggestion, suggestionsFor } from "../../services/suggestions/suggestions";
import { requireAccount } from "./account-views";

/** Mastodon's deprecated `source`, from the first of the reasons. */
const SOURCE = { friends_of_friends: "past_interactions", most_followed: "global" } as const;

/** Accounts to follow (v2 with reasons, v1 as plain accounts), and dismissing one. */
export function suggestionRoutes(router: AppRouter): void {
	router.get("/api/v2/suggestions", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read");
		const params = await readParams(request);
		const limit = Math.min(Math.max(params.integer("limit") ?? 40, 1), 80);
		const list = await suggestionsFor(ctx.db, account.id, limit);
		return json(
			list.map((suggestion) => ({
				source: SOURCE[suggestion.sources[0] ?? "most_followed"],
				sources: suggestion.sources,
				account: serializeAccount(suggestion.account, ctx.config),
			})),
		);
	});

	router.get("/api/v1/suggestions", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read");
		const params = await readParams(request);
		const limit = Math.min(Math.max(params.integer("limit") ?? 40, 1), 80);
		const list = await suggestionsFor(ctx.db, account.id, limit);
		return json(list.map((suggestion) => serializeAccount(suggestion.account, ctx.config)));
	});

	router.delete("/api/v1/suggestions/:account_id", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read");
		const target = await requireAccount(ctx, request.params.account_id ?? "");
		await dismissSuggestion(ctx.db, account.id, target.id);
		return json({});
	});
}
