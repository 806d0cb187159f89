import { requireUser } from "../../http/auth";
import type { AppContext } from "../../http/context";
import { notFound } from "../../http/errors";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeFilter, serializeFilterKeyword, serializeFilterStatus } from "../../serializers/mastodon/filter";
import {
	addFilterStatus,
	addKeyword,
	createFilter,
	deleteFilter,
	deleteFilterStatus,
	deleteKeyword,
	type FilterWithChildren,
	findFilter,
	findFilterStatus,
	findKeyword,
	listFilters,
	updateFilter,
	updateKeyword,
} from "../../services/filters/filters";
import { filterInput } from "../shared/filter-params";
import { announcingFilterChanges } from "../shared/filter-streams";
import { requireVisibleStatus } from "../shared/status-responses";

const READ = ["read:filters"];
const WRITE = ["write:filters"];

async function ownFilter(ctx: AppContext, accountId: string, id: string): Promise<FilterWithChildren> {
	const found = await findFilter(ctx.db, accountId, id);
	if (!found) throw notFound();
	return found;
}

const render = (f: FilterWithChildren) => serializeFilter(f.filter, f);

export function filterV2Routes(router: AppRouter): void {
	router.get("/api/v2/filters", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, ...READ);
		return json((await listFilters(ctx.db, account.id)).map(render));
	});

	router.post(
		"/api/v2/filters",
		announcingFilterChanges(async (request, ctx) => {
			const { account } = await requireUser(request, ctx, ...WRITE);
			const id = await createFilter(ctx.db, account.id, filterInput(await readParams(request)));
			return json(render(await ownFilter(ctx, account.id, id)));
		}),
	);

	router.get("/api/v2/filters/keywords/:id", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, ...READ);
		const found = await findKeyword(ctx.db, account.id, request.params.id ?? "");
		if (!found) throw notFound();
		return json(serializeFilterKeyword(found.keyword));
	});

	router.put(
		"/api/v2/filters/keywords/:id",
		announcingFilterChanges(async (request, ctx) => {
			const { account } = await requireUser(request, ctx, ...WRITE);
			const found = await findKeyword(ctx.db, account.id, request.params.id ?? "");
			if (!found) throw notFound();
			const params = await readParams(request);
			await updateKeyword(ctx.db, found.keyword.id, {
				keyword: params.string("keyword"),
				wholeWord: params.boolean("whole_word"),
			});
			const updated = await findKeyword(ctx.db, account.id, found.keyword.id);
			if (!updated) throw notFound();
			return json(serializeFilterKeyword(updated.keyword));
		}),
	);

	router.delete(
		"/api/v2/filters/keywords/:id",
		announcingFilterChanges(async (request, ctx) => {
			const { account } = await requireUser(request, ctx, ...WRITE);
			const found = await findKeyword(ctx.db, account.id, request.params.id ?? "");
			if (!found) throw notFound();
			await deleteKeyword(ctx.db, found.keyword.id);
			return json({});
		}),
	);

	router.get("/api/v2/filters/statuses/:id", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, ...READ);
		const found = await findFilterStatus(ctx.db, account.id, request.params.id ?? "");
		if (!found) throw notFound();
		return json(serializeFilterStatus(found.status));
	});

	router.delete(
		"/api/v2/filters/statuses/:id",
		announcingFilterChanges(async (request, ctx) => {
			const { account } = await requireUser(request, ctx, ...WRITE);
			const found = await findFilterStatus(ctx.db, account.id, request.params.id ?? "");
			if (!found) throw notFound();
			await deleteFilterStatus(ctx.db, found.status.id);
			return json({});
		}),
	);

	router.get("/api/v2/filters/:id", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, ...READ);
		return json(render(await ownFilter(ctx, account.id, request.params.id ?? "")));
	});

	router.put(
		"/api/v2/filters/:id",
		announcingFilterChanges(async (request, ctx) => {
			const { account } = await requireUser(request, ctx, ...WRITE);
			const current = await ownFilter(ctx, account.id, request.params.id ?? "");
			await updateFilter(ctx.db, current, filterInput(await readParams(request)));
			return json(render(await ownFilter(ctx, account.id, current.filter.id)));
		}),
	);

	router.delete(
		"/api/v2/filters/:id",
		announcingFilterChanges(async (request, ctx) => {
			const { account } = await requireUser(request, ctx, ...WRITE);
			const current = await ownFilter(ctx, account.id, request.params.id ?? "");
			await deleteFilter(ctx.db, account.id, current.filter.id);
			return json({});
		}),
	);

	router.get("/api/v2/filters/:id/keywords", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, ...READ);
		const current = await ownFilter(ctx, account.id, request.params.id ?? "");
		return json(current.keywords.map(serializeFilterKeyword));
	});

	router.post(
		"/api/v2/filters/:id/keywords",
		announcingFilterChanges(async (request, ctx) => {
			const { account } = await requireUser(request, ctx, ...WRITE);
			const current = await ownFilter(ctx, account.id, request.params.id ?? "");
			const params = await readParams(request);
			const keyword = await addKeyword(
				ctx.db,
				current.filter.id,
				params.string("keyword") ?? "",
				params.boolean("whole_word") ?? true,
			);
			return json(serializeFilterKeyword(keyword));
		}),
	);

	router.get("/api/v2/filters/:id/statuses", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, ...READ);
		const current = await ownFilter(ctx, account.id, request.params.id ?? "");
		return json(current.statuses.map(serializeFilterStatus));
	});

	router.post(
		"/api/v2/filters/:id/statuses",
		announcingFilterChanges(async (request, ctx) => {
			const { account } = await requireUser(request, ctx, ...WRITE);
			const current = await ownFilter(ctx, account.id, request.params.id ?? "");
			const params = await readParams(request);
			const status = await requireVisibleStatus(ctx, account.id, params.requiredString("status_id"));
			return json(serializeFilterStatus(await addFilterStatus(ctx.db, current.filter.id, status.id)));
		}),
	);
}
