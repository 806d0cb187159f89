import { and, eq, isNull } from "drizzle-orm";
import { newestFirst, pageWindow } from "../../db/queries/page";
import type { Account, Status } from "../../db/schema";
import { accounts, favourites, statuses } from "../../db/schema";
import { authenticate, requireUser, type UserAuth } from "../../http/auth";
import type { AppContext, AppRequest } from "../../http/context";
import { forbidden } from "../../http/errors";
import { pagedJson } from "../../http/paged-json";
import { pageQuery } from "../../http/pagination";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeAccount } from "../../serializers/mastodon/account";
import {
	bookmarkStatus,
	favouriteStatus,
	muteConversation,
	pinStatus,
	unbookmarkStatus,
	unfavouriteStatus,
	unmuteConversation,
	unpinStatus,
} from "../../services/statuses/interactions";
import { mayReblog, reblogStatus, unreblogStatus } from "../../services/statuses/reblogs";
import { streamViewerChanged } from "../../services/streaming/publish";
import { visibilityParam } from "../shared/status-params";
import { requireVisibleStatus, statusView } from "../shared/status-responses";

/** Actions on a boost act on the boosted post, as in Mastodon. */
async function target(request: AppRequest, ctx: AppContext, auth: UserAuth): Promise<Status> {
	const status = await requireVisibleStatus(ctx, auth.account.id, request.params.id ?? "");
	if (!status.reblogOfId) return status;
	return requireVisibleStatus(ctx, auth.account.id, status.reblogOfId);
}

type Action = (ctx: AppContext, account: Account, status: Status) => Promise<void>;

function action(router: AppRouter, name: string, scopes: string[], run: Action): void {
	router.post(`/api/v1/statuses/:id/${name}`, async (request, ctx) => {
		const auth = await requireUser(request, ctx, ...scopes);
		const status = await target(request, ctx, auth);
		await run(ctx, auth.account, status);
		return json(await statusView(ctx, auth.account.id, status.id));
	});
}

export function statusActionRoutes(router: AppRouter): void {
	action(router, "favourite", ["write:favourites"], (ctx, account, status) => favouriteStatus(ctx, account, status));
	action(router, "unfavourite", ["write:favourites"], (ctx, account, status) =>
		unfavouriteStatus(ctx, account, status),
	);
	action(router, "bookmark", ["write:bookmarks"], (ctx, account, status) => bookmarkStatus(ctx.db, account, status));
	action(router, "unbookmark", ["write:bookmarks"], (ctx, account, status) =>
		unbookmarkStatus(ctx.db, account, status),
	);
	action(router, "pin", ["write:accounts"], (ctx, account, status) => pinStatus(ctx.db, account, status));
	action(router, "unpin", ["write:accounts"], (ctx, account, status) => unpinStatus(ctx.db, account, status));
	action(router, "mute", ["write:mutes"], async (ctx, account, status) => {
		await muteConversation(ctx.db, account, status);
		await streamViewerChanged(ctx, [account.id]);
	});
	action(router, "unmute", ["write:mutes"], async (ctx, account, status) => {
		await unmuteConversation(ctx.db, account, status);
		await streamViewerChanged(ctx, [account.id]);
	});

	router.post("/api/v1/statuses/:id/reblog", async (request, ctx) => {
		const auth = await requireUser(request, ctx, "write:statuses");
		const original = await target(request, ctx, auth);
		if (!mayReblog(auth.account, original)) throw forbidden("This action is not allowed");
		const params = await readParams(request);
		const boost = await reblogStatus(ctx, auth.account, original, visibilityParam(params));
		return json(await statusView(ctx, auth.account.id, boost.id));
	});

	router.post("/api/v1/statuses/:id/unreblog", async (request, ctx) => {
		const auth = await requireUser(request, ctx, "write:statuses");
		const original = await target(request, ctx, auth);
		await unreblogStatus(ctx, auth.account, original);
		return json(await statusView(ctx, auth.account.id, original.id));
	});

	router.get("/api/v1/statuses/:id/reblogged_by", async (request, ctx) => {
		const auth = await authenticate(request, ctx);
		if (auth) await requireUser(request, ctx, "read:statuses");
		const status = await requireVisibleStatus(ctx, auth?.account?.id ?? null, request.params.id ?? "");
		const query = pageQuery(await readParams(request), { defaultLimit: 40, maxLimit: 80 });
		const window = pageWindow(statuses.id, query);
		const rows = newestFirst(
			await ctx.db
				.select({ pageId: statuses.id, account: accounts })
				.from(statuses)
				.innerJoin(accounts, eq(accounts.id, statuses.accountId))
				.where(
					and(eq(statuses.reblogOfId, status.reblogOfId ?? status.id), isNull(statuses.deletedAt), ...window.where),
				)
				.orderBy(window.orderBy)
				.limit(query.limit),
			query,
		);
		return pagedJson(
			request.url,
			query,
			rows.map((r) => serializeAccount(r.account, ctx.config)),
			rows.map((r) => r.pageId),
		);
	});

	router.get("/api/v1/statuses/:id/favourited_by", async (request, ctx) => {
		const auth = await authenticate(request, ctx);
		if (auth) await requireUser(request, ctx, "read:statuses");
		const status = await requireVisibleStatus(ctx, auth?.account?.id ?? null, request.params.id ?? "");
		const query = pageQuery(await readParams(request), { defaultLimit: 40, maxLimit: 80 });
		const window = pageWindow(favourites.id, query);
		const rows = newestFirst(
			await ctx.db
				.select({ pageId: favourites.id, account: accounts })
				.from(favourites)
				.innerJoin(accounts, eq(accounts.id, favourites.accountId))
				.where(and(eq(favourites.statusId, status.reblogOfId ?? status.id), ...window.where))
				.orderBy(window.orderBy)
				.limit(query.limit),
			query,
		);
		return pagedJson(
			request.url,
			query,
			rows.map((r) => serializeAccount(r.account, ctx.config)),
			rows.map((r) => r.pageId),
		);
	});
}
