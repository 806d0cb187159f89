import { requireUser } from "../../http/auth";
import type { AppContext, AppRequest } from "../../http/context";
import { notFound } from "../../http/errors";
import { pagedJson } from "../../http/paged-json";
import { pageQuery } from "../../http/pagination";
import { type Params, readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeAccount } from "../../serializers/mastodon/account";
import { serializeList } from "../../serializers/mastodon/list";
import { streamViewerChanged } from "../../services/streaming/publish";
import {
	addListMembers,
	createList,
	deleteList,
	findList,
	type ListInput,
	listMembers,
	listsContaining,
	listsOf,
	listTimeline,
	removeListMembers,
	updateList,
} from "../../services/timelines/lists";
import { statusPageResponse } from "../shared/status-responses";
import { requireAccount } from "./account-views";

async function ownedList(request: AppRequest, ctx: AppContext, scope: string) {
	const { account } = await requireUser(request, ctx, scope);
	const list = await findList(ctx.db, account.id, request.params.id ?? "");
	if (!list) throw notFound();
	return { account, list };
}

function listInput(params: Params): ListInput {
	return {
		title: params.string("title", { maxLength: 1000 }),
		repliesPolicy: params.string("replies_policy"),
		exclusive: params.boolean("exclusive"),
	};
}

export function listRoutes(router: AppRouter): void {
	router.get("/api/v1/lists", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:lists");
		return json((await listsOf(ctx.db, account.id)).map(serializeList));
	});

	router.post("/api/v1/lists", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:lists");
		const list = await createList(ctx.db, account.id, listInput(await readParams(request)));
		await streamViewerChanged(ctx, [account.id]);
		return json(serializeList(list));
	});

	router.get("/api/v1/lists/:id", async (request, ctx) => {
		const { list } = await ownedList(request, ctx, "read:lists");
		return json(serializeList(list));
	});

	router.put("/api/v1/lists/:id", async (request, ctx) => {
		const { list } = await ownedList(request, ctx, "write:lists");
		const updated = await updateList(ctx.db, list, listInput(await readParams(request)));
		await streamViewerChanged(ctx, [list.accountId]);
		return json(serializeList(updated));
	});

	router.delete("/api/v1/lists/:id", async (request, ctx) => {
		const { list } = await ownedList(request, ctx, "write:lists");
		await deleteList(ctx.db, list);
		await streamViewerChanged(ctx, [list.accountId]);
		return json({});
	});

	router.get("/api/v1/lists/:id/accounts", async (request, ctx) => {
		const { list } = await ownedList(request, ctx, "read:lists");
		const query = pageQuery(await readParams(request), { defaultLimit: 40, maxLimit: 80 });
		const members = await listMembers(ctx.db, list, query);
		return pagedJson(
			request.url,
			query,
			members.map((member) => serializeAccount(member, ctx.config)),
			members.map((member) => member.id),
		);
	});

	router.post("/api/v1/lists/:id/accounts", async (request, ctx) => {
		const { list } = await ownedList(request, ctx, "write:lists");
		const params = await readParams(request);
		await addListMembers(ctx.db, list, params.stringArray("account_ids") ?? []);
		await streamViewerChanged(ctx, [list.accountId]);
		return json({});
	});

	router.delete("/api/v1/lists/:id/accounts", async (request, ctx) => {
		const { list } = await ownedList(request, ctx, "write:lists");
		const params = await readParams(request);
		await removeListMembers(ctx.db, list, params.stringArray("account_ids") ?? []);
		await streamViewerChanged(ctx, [list.accountId]);
		return json({});
	});

	router.get("/api/v1/accounts/:id/lists", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:lists");
		const target = await requireAccount(ctx, request.params.id ?? "");
		return json((await listsContaining(ctx.db, account.id, target.id)).map(serializeList));
	});

	router.get("/api/v1/timelines/list/:id", async (request, ctx) => {
		const { account, list } = await ownedList(request, ctx, "read:lists");
		const query = pageQuery(await readParams(request));
		const page = await listTimeline(ctx.db, list, query);
		return statusPageResponse(request, ctx, account.id, query, page, { hideMutedAuthors: true, filterContext: "home" });
	});
}
