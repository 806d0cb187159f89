import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import type { Report } from "../../db/schema";
import { serializeAdminAccount, serializeAdminReport } from "../../serializers/mastodon/admin";
import type { MastodonStatus } from "../../serializers/mastodon/entities";
import type { MastodonAdminAccount, MastodonAdminReport } from "../../serializers/mastodon/moderation-entities";
import { serializeRule } from "../../serializers/mastodon/rule";
import { listRules } from "../instance/facts";
import { loadStatusViews } from "../statuses/views";
import { loadAdminAccounts } from "./admin-accounts";

/**
 * Admin::Report entities for a page of reports, in three queries whatever
 * its length: the accounts involved, the reported posts (as moderators see
 * them: whoever could see them, deleted ones too), and the rules.
 */
export async function adminReportViews(db: Db, config: InstanceConfig, list: Report[]): Promise<MastodonAdminReport[]> {
	if (list.length === 0) return [];
	const accountIds = list.flatMap((r) =>
		[r.accountId, r.targetAccountId, r.assignedAccountId, r.actionTakenByAccountId].filter((id): id is string => !!id),
	);
	const statusIds = [...new Set(list.flatMap((r) => r.statusIds))];
	const [accounts, statuses, rules] = await Promise.all([
		loadAdminAccounts(db, accountIds),
		statusIds.length > 0 ? loadStatusViews(db, config, null, statusIds, { moderator: true }) : Promise.resolve([]),
		list.some((r) => r.ruleIds.length > 0) ? listRules(db) : Promise.resolve([]),
	]);
	const statusById = new Map<string, MastodonStatus>(statuses.map((s) => [s.id, s]));
	const admin = (id: string | null): MastodonAdminAccount | null => {
		const row = id ? accounts.get(id) : undefined;
		return row ? serializeAdminAccount(row.account, row.user, config) : null;
	};
	return list.flatMap((report) => {
		const account = admin(report.accountId);
		const targetAccount = admin(report.targetAccountId);
		if (!account || !targetAccount) return [];
		return [
			serializeAdminReport({
				report,
				account,
				targetAccount,
				assignedAccount: admin(report.assignedAccountId),
				actionTakenByAccount: admin(report.actionTakenByAccountId),
				statuses: report.statusIds.flatMap((id) => statusById.get(id) ?? []),
				rules: rules.filter((rule) => report.ruleIds.includes(rule.id)).map(serializeRule),
			}),
		];
	});
}
