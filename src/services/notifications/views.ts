import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import type { Notification } from "../../db/schema";
import { serializeAccount } from "../../serializers/mastodon/account";
import type {
	MastodonGroupedNotifications,
	MastodonNotification,
	MastodonStatus,
} from "../../serializers/mastodon/entities";
import {
	STATUS_NOTIFICATION_TYPES,
	serializeNotification,
	serializeNotificationGroup,
	subjectFields,
} from "../../serializers/mastodon/notification";
import { findAccounts } from "../accounts/queries";
import { loadStatusViews } from "../statuses/views";
import { GROUPABLE_TYPES, servedGroupKey } from "./group-keys";
import type { NotificationGroupRow } from "./groups";
import { loadNotificationSubjects } from "./subjects";

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
	const [accounts, statuses, subjects] = await Promise.all([
		findAccounts(
			db,
			rows.map((row) => row.fromAccountId),
		),
		loadNotificationStatuses(db, config, viewerId, statusIds),
		loadNotificationSubjects(db, rows),
	]);
	return rows.flatMap((row) => serializeNotification(row, groupKeyOf(row), accounts, statuses, config, subjects) ?? []);
}

/** The groups with their sample accounts and statuses, each listed once; groups whose status is gone are dropped. */
export async function loadGroupedNotificationViews(
	db: Db,
	config: InstanceConfig,
	viewerId: string,
	groups: NotificationGroupRow[],
): Promise<MastodonGroupedNotifications> {
	const statusIds = groups.flatMap((g) => (g.statusId && STATUS_NOTIFICATION_TYPES.has(g.type) ? [g.statusId] : []));
	const [accounts, statuses, subjects] = await Promise.all([
		findAccounts(
			db,
			groups.flatMap((g) => g.sampleAccountIds),
		),
		loadNotificationStatuses(db, config, viewerId, statusIds),
		loadNotificationSubjects(
			db,
			groups.map((g) => g.latest),
		),
	]);
	const withSubject = new Map(groups.map((g) => [g.groupKey, subjectFields(g.latest, subjects, config)]));
	const shown = groups.filter(
		(g) =>
			(!STATUS_NOTIFICATION_TYPES.has(g.type) || (g.statusId !== null && statuses.has(g.statusId))) &&
			withSubject.get(g.groupKey) !== null,
	);
	const accountIds = [...new Set(shown.flatMap((g) => g.sampleAccountIds))];
	return {
		accounts: accountIds.flatMap((id) => {
			const account = accounts.get(id);
			return account ? [serializeAccount(account, config)] : [];
		}),
		statuses: [...new Set(shown.flatMap((g) => (g.statusId && statuses.has(g.statusId) ? [g.statusId] : [])))].flatMap(
			(id) => statuses.get(id) ?? [],
		),
		notification_groups: shown.map((g) => ({
			...serializeNotificationGroup(g),
			...withSubject.get(g.groupKey),
			sample_account_ids: g.sampleAccountIds.filter((id) => accounts.has(id)),
		})),
	};
}
