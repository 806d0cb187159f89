import { requireUser } from "../../http/auth";
import { notFound } from "../../http/errors";
import { pagedJson } from "../../http/paged-json";
import { pageQuery } from "../../http/pagination";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import {
	conversationsPage,
	conversationViews,
	findConversation,
	markConversationRead,
	removeConversation,
} from "../../services/timelines/conversations";

export function conversationRoutes(router: AppRouter): void {
	router.get("/api/v1/conversations", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:statuses");
		const query = pageQuery(await readParams(request));
		const rows = await conversationsPage(ctx.db, account.id, query);
		const views = await conversationViews(ctx.db, ctx.config, account.id, rows);
		return pagedJson(
			request.url,
			query,
			views,
			rows.map((r) => r.lastStatusId),
		);
	});

	router.post("/api/v1/conversations/:id/read", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:conversations");
		const row = await findConversation(ctx.db, account.id, request.params.id ?? "");
		if (!row) throw notFound();
		const [view] = await conversationViews(ctx.db, ctx.config, account.id, [await markConversationRead(ctx.db, row)]);
		return json(view);
	});

	router.delete("/api/v1/conversations/:id", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:conversations");
		const row = await findConversation(ctx.db, account.id, request.params.id ?? "");
		if (!row) throw notFound();
		await removeConversation(ctx.db, row);
		return json({});
	});
}
