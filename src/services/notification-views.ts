import type { InstanceConfig } from "../config";
import type { Db } from "../db/client";
import type { Notification } from "../db/schema";
import type { MastodonNotification, MastodonStatus } from "../serializers/mastodon/entities";
import { STATUS_NOTIFICATION_TYPES, serializeNotification } from "../serializers/mastodon/notification";
import { findAccounts } from "./account-queries";
import { GROUPABLE_TYPES, servedGroupKey } from "./notifications";
import { loadStatusViews } from "./status-views";

/** The statuses notifications point at, as the recipient may see them (filters of the notifications context applied). */
export async function loadNotificationStatuses(
	db: Db,
	config: InstanceConfig,
	viewerId: string,
	statusIds: string[],
): Promise<Map<string, MastodonStatus>> {
	const views = await loadStatusViews(db, config, viewerId, [...new Set(statusIds)], {
		filterContext: "notifications",
	});
	return new Map(views.map((view) => [view.id, view]));
}

/** Notifications rendered with their actors and statuses in two loads, dropping those that can no longer be shown. */
export async function loadNotificationViews(
	db: Db,
	config: InstanceConfig,
	viewerId: string,
	rows: Notification[],
	groupKeyOf: (row: Notification) => string = (row) => servedGroupKey(row, GROUPABLE_TYPES),
): Promise<MastodonNotification[]> {
	const statusIds = rows.flatMap((row) =>
		row.statusId && STATUS_NOTIFICATION_TYPES.has(row.type) ? [row.statusId] : [],
	);
	const [accounts, statuses] = await Promise.all([
		findAccounts(
			db,
			rows.map((row) => row.fromAccountId),
		),
		loadNotificationStatuses(db, config, viewerId, statusIds),
	]);
	return rows.flatMap((row) => serializeNotification(row, groupKeyOf(row), accounts, statuses, config) ?? []);
}
