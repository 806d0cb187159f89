import { resolveSearchedAcct } from "../../federation/actors/resolve";
import { requireUser } from "../../http/auth";
import type { AppContext } from "../../http/context";
import { notFound, unprocessable } from "../../http/errors";
import { optionalUser } from "../../http/optional-auth";
import { pagedJson } from "../../http/paged-json";
import { pageQuery } from "../../http/pagination";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeAccount } from "../../serializers/mastodon/account";
import type { MastodonFamiliarFollowers } from "../../serializers/mastodon/entities";
import { serializeRelationship } from "../../serializers/mastodon/relationship";
import { familiarFollowers, findAccount, findAccountByAcct, searchAccounts } from "../../services/accounts/queries";
import {
	type AccountPageRow,
	collectionsHiddenFrom,
	followersPage,
	followingPage,
} from "../../services/accounts/relation-pages";
import { loadRelationships } from "../../services/accounts/relationships";
import { accountStatuses } from "../../services/timelines/account-statuses";
import { statusPageResponse } from "../shared/status-responses";

export async function requireAccount(ctx: AppContext, id: string) {
	const account = await findAccount(ctx.db, id);
	if (!account) throw notFound();
	return account;
}

/** The account a moved account points to, for the `moved` field of its profile. */
async function movedTarget(ctx: AppContext, account: { movedToAccountId: string | null }) {
	return account.movedToAccountId ? ((await findAccount(ctx.db, account.movedToAccountId)) ?? null) : null;
}

const MAX_RELATIONSHIP_IDS = 80;

function accountIds(ids: string[] | undefined): string[] {
	const list = [...new Set(ids ?? [])];
	if (list.length > MAX_RELATIONSHIP_IDS) throw unprocessable(`Too many ids (at most ${MAX_RELATIONSHIP_IDS})`);
	return list;
}

/** Reading accounts: profiles, lookups, search, relationships, follower lists. */
export function accountViewRoutes(router: AppRouter): void {
	router.get("/api/v1/accounts/relationships", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:follows");
		const params = await readParams(request);
		const ids = accountIds(params.stringArray("id"));
		const states = await loadRelationships(ctx.db, account.id, ids, { knownOnly: true });
		return json(states.map(serializeRelationship));
	});

	router.get("/api/v1/accounts/familiar_followers", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:follows");
		const params = await readParams(request);
		const ids = accountIds(params.stringArray("id"));
		if (ids.length === 0) return json([]);
		const familiar = await familiarFollowers(ctx.db, account.id, ids);
		const result: MastodonFamiliarFollowers[] = ids.map((id) => ({
			id,
			accounts: (familiar.get(id) ?? []).map((follower) => serializeAccount(follower, ctx.config)),
		}));
		return json(result);
	});

	router.get("/api/v1/accounts/lookup", async (request, ctx) => {
		await optionalUser(request, ctx, "read:accounts");
		const params = await readParams(request);
		const account = await findAccountByAcct(ctx.db, params.requiredString("acct"), ctx.config);
		if (!account || account.suspendedAt) throw notFound();
		return json(serializeAccount(account, ctx.config, { moved: await movedTarget(ctx, account) }));
	});

	router.get("/api/v1/accounts/search", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:accounts");
		const params = await readParams(request);
		const q = params.requiredString("q", { maxLength: 500 });
		if (params.boolean("resolve")) await resolveSearchedAcct(ctx, q);
		const found = await searchAccounts(ctx.db, ctx.config, {
			query: q,
			limit: Math.min(Math.max(params.integer("limit") ?? 40, 1), 80),
			offset: params.integer("offset", { min: 0 }) ?? 0,
			followingOf: params.boolean("following") ? account.id : undefined,
			viewerId: account.id,
		});
		return json(found.map((a) => serializeAccount(a, ctx.config)));
	});

	router.get("/api/v1/accounts/:id", async (request, ctx) => {
		await optionalUser(request, ctx, "read:accounts");
		const account = await requireAccount(ctx, request.params.id ?? "");
		return json(serializeAccount(account, ctx.config, { moved: await movedTarget(ctx, account) }));
	});

	router.get("/api/v1/accounts/:id/statuses", async (request, ctx) => {
		const auth = await optionalUser(request, ctx, "read:statuses");
		const account = await requireAccount(ctx, request.params.id ?? "");
		const params = await readParams(request);
		const query = pageQuery(params);
		const viewerId = auth?.account.id ?? null;
		const page = await accountStatuses(
			ctx.db,
			account.id,
			viewerId,
			{
				excludeReplies: params.boolean("exclude_replies"),
				excludeReblogs: params.boolean("exclude_reblogs"),
				onlyMedia: params.boolean("only_media"),
				pinned: params.boolean("pinned"),
				tagged: params.string("tagged") || undefined,
			},
			query,
		);
		return statusPageResponse(request, ctx, viewerId, query, page, { filterContext: "account" });
	});

	for (const [path, load] of [
		["followers", followersPage],
		["following", followingPage],
	] as const) {
		router.get(`/api/v1/accounts/:id/${path}`, async (request, ctx) => {
			const auth = await optionalUser(request, ctx, "read:accounts");
			const account = await requireAccount(ctx, request.params.id ?? "");
			const params = await readParams(request);
			const query = pageQuery(params, { defaultLimit: 40, maxLimit: 80 });
			// Mastodon answers an empty list when the owner hides the lists or blocks the viewer.
			if (await collectionsHiddenFrom(ctx.db, account, auth?.account.id ?? null)) return json([]);
			const rows: AccountPageRow[] = await load(ctx.db, account.id, query);
			return pagedJson(
				request.url,
				query,
				rows.map((row) => serializeAccount(row.account, ctx.config)),
				rows.map((row) => row.pageId),
			);
		});
	}
}
