import type { Report } from "../../../db/schema";
import type { AppContext, AppRequest } from "../../../http/context";
import { notFound } from "../../../http/errors";
import { pagedJson } from "../../../http/paged-json";
import { pageQuery } from "../../../http/pagination";
import { readParams } from "../../../http/params";
import { json } from "../../../http/responses";
import type { AppRouter } from "../../../http/router";
import { adminScopes, requireStaff } from "../../../http/staff-auth";
import { isId } from "../../../lib/ids";
import { adminReportViews } from "../../../services/moderation/report-views";
import {
	assignReport,
	findReport,
	listReports,
	recategorizeReport,
	reopenReport,
	resolveReport,
	unassignReport,
} from "../../../services/moderation/reports";

const SCOPES = adminScopes("reports");

async function target(request: AppRequest, ctx: AppContext): Promise<Report> {
	const id = request.params.id ?? "";
	const report = isId(id) ? await findReport(ctx.db, id) : undefined;
	if (!report) throw notFound();
	return report;
}

async function answer(ctx: AppContext, report: Report): Promise<Response> {
	const [view] = await adminReportViews(ctx.db, ctx.config, [report]);
	if (!view) throw notFound();
	return json(view);
}

/** Mastodon's admin reports API: list, view, re-file, assign, resolve and reopen. */
export function adminReportRoutes(router: AppRouter): void {
	router.get("/api/v1/admin/reports", async (request, ctx) => {
		await requireStaff(request, ctx, "manageReports", ...SCOPES.read);
		const params = await readParams(request);
		const query = pageQuery(params, { defaultLimit: 100, maxLimit: 200 });
		const list = await listReports(ctx.db, {
			resolved: params.boolean("resolved") ?? false,
			accountId: params.string("account_id") || undefined,
			targetAccountId: params.string("target_account_id") || undefined,
			maxId: query.maxId,
			limit: query.limit,
		});
		const views = await adminReportViews(ctx.db, ctx.config, list);
		return pagedJson(
			request.url,
			query,
			views,
			list.map((r) => r.id),
		);
	});

	router.get("/api/v1/admin/reports/:id", async (request, ctx) => {
		await requireStaff(request, ctx, "manageReports", ...SCOPES.read);
		return answer(ctx, await target(request, ctx));
	});

	router.put("/api/v1/admin/reports/:id", async (request, ctx) => {
		const { moderator } = await requireStaff(request, ctx, "manageReports", ...SCOPES.write);
		const report = await target(request, ctx);
		const params = await readParams(request);
		const updated = await recategorizeReport(ctx, moderator, report, {
			category: params.string("category"),
			ruleIds: params.stringArray("rule_ids"),
		});
		return answer(ctx, updated);
	});

	const changes = {
		assign_to_self: assignReport,
		unassign: unassignReport,
		resolve: resolveReport,
		reopen: reopenReport,
	} as const;
	for (const [path, change] of Object.entries(changes)) {
		router.post(`/api/v1/admin/reports/:id/${path}`, async (request, ctx) => {
			const { moderator } = await requireStaff(request, ctx, "manageReports", ...SCOPES.write);
			const report = await target(request, ctx);
			return answer(ctx, await change(ctx, moderator, report));
		});
	}
}
