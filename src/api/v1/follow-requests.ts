import { requireUser } from "../../http/auth";
import type { AppContext, AppRequest } from "../../http/context";
import { notFound } from "../../http/errors";
import { pagedJson } from "../../http/paged-json";
import { pageQuery } from "../../http/pagination";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeAccount } from "../../serializers/mastodon/account";
import { serializeRelationship } from "../../serializers/mastodon/relationship";
import { findFollowRequestBetween } from "../../services/accounts/follow-requests";
import { acceptFollowRequest, rejectFollowRequest } from "../../services/accounts/following";
import { followRequestsPage } from "../../services/accounts/relation-pages";
import { loadRelationship } from "../../services/accounts/relationships";

async function decide(request: AppRequest, ctx: AppContext, accept: boolean): Promise<Response> {
	const { account } = await requireUser(request, ctx, "write:follows");
	const requesterId = request.params.account_id ?? "";
	const pending = await findFollowRequestBetween(ctx.db, requesterId, account.id);
	if (!pending) throw notFound();
	if (accept) await acceptFollowRequest(ctx.db, ctx.env, pending.id);
	else await rejectFollowRequest(ctx.db, ctx.env, pending.id);
	return json(serializeRelationship(await loadRelationship(ctx.db, account.id, requesterId)));
}

/** Pending requests to follow the user, and their answers. */
export function followRequestRoutes(router: AppRouter): void {
	router.get("/api/v1/follow_requests", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:follows");
		const query = pageQuery(await readParams(request), { defaultLimit: 40, maxLimit: 80 });
		const rows = await followRequestsPage(ctx.db, account.id, query);
		return pagedJson(
			request.url,
			query,
			rows.map((row) => serializeAccount(row.account, ctx.config)),
			rows.map((row) => row.pageId),
		);
	});
	router.post("/api/v1/follow_requests/:account_id/authorize", (request, ctx) => decide(request, ctx, true));
	router.post("/api/v1/follow_requests/:account_id/reject", (request, ctx) => decide(request, ctx, false));
}
