import type { InstanceConfig } from "../../config";
import { requireUser } from "../../http/auth";
import { notFound } from "../../http/errors";
import { optionalUser } from "../../http/optional-auth";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeFeaturedTag } from "../../serializers/mastodon/featured-tag";
import { serializeTag } from "../../serializers/mastodon/tag";
import { findAccount } from "../../services/accounts/queries";
import {
	type FeaturedTagRow,
	featuredTagSuggestions,
	featureTag,
	listFeaturedTags,
	unfeatureTag,
} from "../../services/tags/featured";
import { tagHistories } from "../../services/tags/followed";

/** Hashtags featured on profiles: one's own (managed) and anyone's (read). */
export function featuredTagRoutes(router: AppRouter): void {
	const render = (rows: FeaturedTagRow[], owner: { username: string }, config: InstanceConfig) =>
		rows.map((row) => serializeFeaturedTag(row.featured, row.tag, owner, config));

	router.get("/api/v1/featured_tags", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:accounts");
		return json(render(await listFeaturedTags(ctx.db, account.id), account, ctx.config));
	});

	router.post("/api/v1/featured_tags", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:accounts");
		const params = await readParams(request);
		const row = await featureTag(ctx.db, account.id, params.string("name", { maxLength: 200 }) ?? "");
		return json(serializeFeaturedTag(row.featured, row.tag, account, ctx.config));
	});

	router.get("/api/v1/featured_tags/suggestions", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:accounts");
		const suggested = await featuredTagSuggestions(ctx.db, account.id);
		const histories = await tagHistories(
			ctx.db,
			suggested.map((tag) => tag.id),
		);
		return json(
			suggested.map((tag) =>
				serializeTag(tag, ctx.config, { history: histories.get(tag.id), following: tag.following }),
			),
		);
	});

	router.delete("/api/v1/featured_tags/:id", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:accounts");
		if (!(await unfeatureTag(ctx.db, account.id, request.params.id ?? ""))) throw notFound();
		return json({});
	});

	router.get("/api/v1/accounts/:id/featured_tags", async (request, ctx) => {
		await optionalUser(request, ctx, "read:accounts");
		const account = await findAccount(ctx.db, request.params.id ?? "");
		if (!account) throw notFound();
		// Remote accounts' featured tags are not fetched, and a suspended account shows none (as in Mastodon).
		if (account.domain !== null || account.suspendedAt) return json([]);
		return json(render(await listFeaturedTags(ctx.db, account.id), account, ctx.config));
	});
}
