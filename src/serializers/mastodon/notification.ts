import type { InstanceConfig } from "../../config";
import type { Account, Notification } from "../../db/schema";
import type { NotificationGroupRow } from "../../services/notifications/groups";
import { NO_SUBJECTS, type NotificationSubjects } from "../../services/notifications/subjects";
import { serializeAccount } from "./account";
import type { MastodonNotification, MastodonNotificationGroup, MastodonStatus } from "./entities";
import { serializeAccountWarning, serializeReport, serializeSeveranceEvent } from "./moderation";
import type { MastodonAccountWarning, MastodonRelationshipSeveranceEvent, MastodonReport } from "./moderation-entities";

/** Types whose notification is about a status and is shown with it. */
export const STATUS_NOTIFICATION_TYPES = new Set(["mention", "status", "reblog", "favourite", "poll", "update"]);

/** What a moderation notification carries besides its account: the report, warning or severance event. */
export interface NotificationSubjectFields {
	report?: MastodonReport;
	moderation_warning?: MastodonAccountWarning;
	event?: MastodonRelationshipSeveranceEvent;
}

/** The subject's field for a notification of a moderation type; null when the subject is gone. */
export function subjectFields(
	notification: Pick<Notification, "type" | "subjectId">,
	subjects: NotificationSubjects,
	config: InstanceConfig,
): NotificationSubjectFields | null {
	const id = notification.subjectId ?? "";
	switch (notification.type) {
		case "admin.report": {
			const found = subjects.reports.get(id);
			return found ? { report: serializeReport(found.report, found.target, config) } : null;
		}
		case "moderation_warning": {
			const found = subjects.warnings.get(id);
			return found ? { moderation_warning: serializeAccountWarning(found.warning, found.target, config) } : null;
		}
		case "severed_relationships": {
			const found = subjects.events.get(id);
			return found ? { event: serializeSeveranceEvent(found) } : null;
		}
		default:
			return {};
	}
}

/**
 * A notification with its actor and status (or moderation subject), or null
 * when one of them can no longer be shown (the status was deleted or is
 * hidden from the recipient, the sender was suspended).
 */
export function serializeNotification(
	notification: Notification,
	groupKey: string,
	accounts: ReadonlyMap<string, Account>,
	statuses: ReadonlyMap<string, MastodonStatus>,
	config: InstanceConfig,
	subjects: NotificationSubjects = NO_SUBJECTS,
): MastodonNotification | null {
	const account = accounts.get(notification.fromAccountId);
	if (!account) return null;
	// Suspended accounts' notifications are hidden, as their posts are; one's own moderation notices are not.
	if (account.suspendedAt && notification.fromAccountId !== notification.accountId) return null;
	const subject = subjectFields(notification, subjects, config);
	if (!subject) return null;
	const result: MastodonNotification = {
		id: notification.id,
		type: notification.type,
		group_key: groupKey,
		created_at: notification.createdAt.toISOString(),
		account: serializeAccount(account, config),
		...subject,
	};
	if (STATUS_NOTIFICATION_TYPES.has(notification.type)) {
		const status = notification.statusId ? statuses.get(notification.statusId) : undefined;
		if (!status) return null;
		result.status = status;
	}
	return result;
}

export function serializeNotificationGroup(group: NotificationGroupRow): MastodonNotificationGroup {
	return {
		group_key: group.groupKey,
		notifications_count: group.count,
		type: group.type,
		// Mastodon documents this one id as a number.
		most_recent_notification_id: Number(group.mostRecentId),
		page_min_id: group.pageMinId,
		page_max_id: group.pageMaxId,
		latest_page_notification_at: group.latestAt.toISOString(),
		sample_account_ids: group.sampleAccountIds,
		...(group.statusId ? { status_id: group.statusId } : {}),
	};
}
