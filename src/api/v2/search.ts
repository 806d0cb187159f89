import { resolveSearchedAcct } from "../../federation/actors/resolve";
import { fetchAndStoreObject } from "../../federation/ingest/fetched-object";
import { notFound, unauthorized, unprocessable } from "../../http/errors";
import { optionalUser } from "../../http/optional-auth";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeAccount } from "../../serializers/mastodon/account";
import { serializeTag } from "../../serializers/mastodon/tag";
import { findAccount } from "../../services/accounts/queries";
import { SEARCH_TYPES, type SearchType, search } from "../../services/search/search";
import { loadStatusViews } from "../../services/statuses/views";
import { tagHistories } from "../../services/tags/followed";

const ID = /^\d{1,20}$/;

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
		const resolve = params.boolean("resolve") ?? false;
		// Mastodon clamps rather than refuses an out-of-range limit.
		const limit = Math.min(Math.max(params.integer("limit") ?? 20, 1), 40);
		const accountId = params.string("account_id") || undefined;
		const maxId = params.string("max_id") || undefined;
		const minId = params.string("min_id") || undefined;
		for (const [name, value] of [
			["max_id", maxId],
			["min_id", minId],
		] as const) {
			if (value !== undefined && !ID.test(value)) throw unprocessable(`Validation failed: ${name} is not an id`);
		}
		// As in Mastodon: paging through results and resolving are for signed-in users.
		const offsetGiven = params.raw("offset") !== undefined && params.raw("offset") !== "";
		if (!auth && (offsetGiven || resolve)) {
			throw unauthorized(
				resolve
					? "Search queries that resolve remote resources are not supported without authentication"
					: "Search queries pagination is not supported without authentication",
			);
		}
		if (accountId !== undefined && !(ID.test(accountId) && (await findAccount(ctx.db, accountId)))) throw notFound();
		const viewerId = auth?.account.id ?? null;
		if (auth && resolve && (type === undefined || type === "accounts")) {
			await resolveSearchedAcct(ctx, q);
		}
		const hits = await search(ctx, {
			q,
			type: type as SearchType | undefined,
			limit,
			offset,
			viewerId,
			following: params.boolean("following") ?? false,
			fetchRemote: auth && resolve ? (url) => fetchAndStoreObject(ctx, url) : undefined,
			accountId,
			maxId,
			minId,
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
