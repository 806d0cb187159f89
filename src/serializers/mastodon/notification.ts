import type { InstanceConfig } from "../../config";
import type { Account, Notification } from "../../db/schema";
import type { NotificationGroupRow } from "../../services/notifications/groups";
import { serializeAccount } from "./account";
import type { MastodonNotification, MastodonNotificationGroup, MastodonStatus } from "./entities";

/** Types whose notification is about a status and is shown with it. */
export const STATUS_NOTIFICATION_TYPES = new Set(["mention", "status", "reblog", "favourite", "poll", "update"]);

/**
 * A notification with its actor and status, or null when either can no
 * longer be shown (the status was deleted or is hidden from the recipient).
 */
export function serializeNotification(
	notification: Notification,
	groupKey: string,
	accounts: ReadonlyMap<string, Account>,
	statuses: ReadonlyMap<string, MastodonStatus>,
	config: InstanceConfig,
): MastodonNotification | null {
	const account = accounts.get(notification.fromAccountId);
	if (!account) return null;
	const result: MastodonNotification = {
		id: notification.id,
		type: notification.type,
		group_key: groupKey,
		created_at: notification.createdAt.toISOString(),
		account: serializeAccount(account, config),
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
