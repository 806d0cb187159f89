import { requireUser } from "../../http/auth";
import { notFound } from "../../http/errors";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeReport } from "../../serializers/mastodon/moderation";
import { findAccount } from "../../services/accounts/queries";
import { createReport, REPORT_COMMENT_MAX, ReportedStatusNotFound } from "../../services/moderation/reports";

/** A member reports an account (and some of its posts) to this server's moderators. */
export function reportRoutes(router: AppRouter): void {
	router.post("/api/v1/reports", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:reports");
		const params = await readParams(request);
		const target = await findAccount(ctx.db, params.requiredString("account_id"));
		if (!target) throw notFound();
		try {
			const report = await createReport(ctx, account, {
				targetAccount: target,
				statusIds: params.stringArray("status_ids"),
				comment: params.string("comment", { maxLength: REPORT_COMMENT_MAX }),
				category: params.string("category"),
				ruleIds: params.stringArray("rule_ids"),
				forward: params.boolean("forward") ?? false,
				forwardToDomains: params.stringArray("forward_to_domains"),
			});
			return json(serializeReport(report, target, ctx.config));
		} catch (error) {
			if (error instanceof ReportedStatusNotFound) throw notFound();
			throw error;
		}
	});
}
