import { requireUser } from "../../http/auth";
import type { AppContext } from "../../http/context";
import { notFound } from "../../http/errors";
import { type Params, readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeV1Filter } from "../../serializers/mastodon/filter";
import {
	createFilter,
	deleteFilter,
	deleteKeyword,
	findFilter,
	findKeyword,
	listFilters,
	updateFilter,
} from "../../services/filters/filters";
import { expiresInParam } from "../shared/filter-params";
import { announcingFilterChanges } from "../shared/filter-streams";

/**
 * The v1 filters API: each v1 filter is one keyword of a v2 filter (its id is
 * the keyword's id), as Mastodon maps them since 4.0.
 */
async function v1Filter(ctx: AppContext, accountId: string, id: string) {
	const found = await findKeyword(ctx.db, accountId, id);
	if (!found) throw notFound();
	return found;
}

function v1Input(params: Params, requirePhrase: boolean) {
	const phrase = requirePhrase ? params.requiredString("phrase") : params.string("phrase");
	const irreversible = params.boolean("irreversible");
	return {
		phrase,
		context: params.stringArray("context"),
		action: irreversible === undefined ? undefined : irreversible ? "hide" : "warn",
		expiresIn: expiresInParam(params),
		wholeWord: params.boolean("whole_word"),
	};
}

export function filterV1Routes(router: AppRouter): void {
	router.get("/api/v1/filters", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:filters");
		const all = await listFilters(ctx.db, account.id);
		return json(all.flatMap((f) => f.keywords.map((k) => serializeV1Filter(f.filter, k))));
	});

	router.post(
		"/api/v1/filters",
		announcingFilterChanges(async (request, ctx) => {
			const { account } = await requireUser(request, ctx, "write:filters");
			const input = v1Input(await readParams(request), true);
			const filterId = await createFilter(ctx.db, account.id, {
				title: input.phrase,
				context: input.context,
				action: input.action ?? "warn",
				expiresIn: input.expiresIn,
				keywords: [{ keyword: input.phrase, wholeWord: input.wholeWord ?? true }],
			});
			const created = await findFilter(ctx.db, account.id, filterId);
			const keyword = created?.keywords[0];
			if (!created || !keyword) throw notFound();
			return json(serializeV1Filter(created.filter, keyword));
		}),
	);

	router.get("/api/v1/filters/:id", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:filters");
		const found = await v1Filter(ctx, account.id, request.params.id ?? "");
		return json(serializeV1Filter(found.filter, found.keyword));
	});

	router.put(
		"/api/v1/filters/:id",
		announcingFilterChanges(async (request, ctx) => {
			const { account } = await requireUser(request, ctx, "write:filters");
			const found = await v1Filter(ctx, account.id, request.params.id ?? "");
			const input = v1Input(await readParams(request), false);
			const current = await findFilter(ctx.db, account.id, found.filter.id);
			if (!current) throw notFound();
			await updateFilter(ctx.db, current, {
				context: input.context,
				action: input.action,
				expiresIn: input.expiresIn,
				keywords: [{ id: found.keyword.id, keyword: input.phrase, wholeWord: input.wholeWord }],
			});
			const updated = await v1Filter(ctx, account.id, found.keyword.id);
			return json(serializeV1Filter(updated.filter, updated.keyword));
		}),
	);

	router.delete(
		"/api/v1/filters/:id",
		announcingFilterChanges(async (request, ctx) => {
			const { account } = await requireUser(request, ctx, "write:filters");
			const found = await v1Filter(ctx, account.id, request.params.id ?? "");
			const current = await findFilter(ctx.db, account.id, found.filter.id);
			// The last keyword takes its filter with it, as the filter existed only for it.
			if (current && current.keywords.length <= 1 && current.statuses.length === 0) {
				await deleteFilter(ctx.db, account.id, found.filter.id);
			} else {
				await deleteKeyword(ctx.db, found.keyword.id);
			}
			return json({});
		}),
	);
}
