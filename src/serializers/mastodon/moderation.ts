import type { InstanceConfig } from "../../config";
import type { Account, AccountWarning, RelationshipSeveranceEvent, Report } from "../../db/schema";
import { serializeAccount } from "./account";
import type { MastodonAccountWarning, MastodonRelationshipSeveranceEvent, MastodonReport } from "./moderation-entities";

/** A report as its reporter sees it (answer to `POST /api/v1/reports`, and `admin.report` notifications). */
export function serializeReport(report: Report, target: Account, config: InstanceConfig): MastodonReport {
	return {
		id: report.id,
		action_taken: report.actionTakenAt !== null,
		action_taken_at: report.actionTakenAt?.toISOString() ?? null,
		category: report.category,
		comment: report.comment,
		forwarded: report.forwarded,
		created_at: report.createdAt.toISOString(),
		status_ids: report.statusIds.length > 0 ? report.statusIds : null,
		rule_ids: report.ruleIds.length > 0 ? report.ruleIds : null,
		target_account: serializeAccount(target, config),
	};
}

export function serializeAccountWarning(
	warning: AccountWarning,
	target: Account,
	config: InstanceConfig,
): MastodonAccountWarning {
	return {
		id: warning.id,
		action: warning.action,
		text: warning.text,
		status_ids: warning.statusIds.length > 0 ? warning.statusIds : null,
		target_account: serializeAccount(target, config),
		appeal: null,
		created_at: warning.createdAt.toISOString(),
	};
}

export function serializeSeveranceEvent(event: RelationshipSeveranceEvent): MastodonRelationshipSeveranceEvent {
	return {
		id: event.id,
		type: event.type,
		purged: false,
		target_name: event.targetName,
		followers_count: event.followersCount,
		following_count: event.followingCount,
		created_at: event.createdAt.toISOString(),
	};
}
