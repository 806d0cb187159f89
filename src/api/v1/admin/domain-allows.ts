import type { DomainAllow } from "../../../db/schema";
import type { AppContext, AppRequest } from "../../../http/context";
import { notFound } from "../../../http/errors";
import { pagedJson } from "../../../http/paged-json";
import { pageQuery } from "../../../http/pagination";
import { readParams } from "../../../http/params";
import { json } from "../../../http/responses";
import type { AppRouter } from "../../../http/router";
import { adminScopes, requireStaff } from "../../../http/staff-auth";
import { isId } from "../../../lib/ids";
import { serializeAdminDomainAllow } from "../../../serializers/mastodon/admin";
import {
	createDomainAllow,
	findDomainAllow,
	listDomainAllows,
	removeDomainAllow,
} from "../../../services/moderation/domain-allows";

const SCOPES = adminScopes("domain_allows");

async function target(request: AppRequest, ctx: AppContext): Promise<DomainAllow> {
	const id = request.params.id ?? "";
	const allow = isId(id) ? await findDomainAllow(ctx.db, id) : undefined;
	if (!allow) throw notFound();
	return allow;
}

/** Mastodon's admin domain allows API (the allow-list of limited federation mode). */
export function adminDomainAllowRoutes(router: AppRouter): void {
	router.get("/api/v1/admin/domain_allows", async (request, ctx) => {
		await requireStaff(request, ctx, "manageFederation", ...SCOPES.read);
		const query = pageQuery(await readParams(request), { defaultLimit: 100, maxLimit: 200 });
		const page = (await listDomainAllows(ctx.db))
			.sort((a, b) => (a.id < b.id ? 1 : -1))
			.filter((a) => !query.maxId || a.id < query.maxId)
			.slice(0, query.limit);
		return pagedJson(
			request.url,
			query,
			page.map(serializeAdminDomainAllow),
			page.map((a) => a.id),
		);
	});

	router.get("/api/v1/admin/domain_allows/:id", async (request, ctx) => {
		await requireStaff(request, ctx, "manageFederation", ...SCOPES.read);
		return json(serializeAdminDomainAllow(await target(request, ctx)));
	});

	router.post("/api/v1/admin/domain_allows", async (request, ctx) => {
		const { moderator } = await requireStaff(request, ctx, "manageFederation", ...SCOPES.write);
		const params = await readParams(request);
		const allow = await createDomainAllow(ctx, moderator, params.requiredString("domain", { maxLength: 300 }));
		return json(serializeAdminDomainAllow(allow));
	});

	router.delete("/api/v1/admin/domain_allows/:id", async (request, ctx) => {
		const { moderator } = await requireStaff(request, ctx, "manageFederation", ...SCOPES.write);
		await removeDomainAllow(ctx, moderator, await target(request, ctx));
		return json({});
	});
}
