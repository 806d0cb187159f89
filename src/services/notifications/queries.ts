import { and, count, eq, gt, inArray, notInArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { PageQuery } from "../../db/queries/page";
import { newestFirst, pageWindow } from "../../db/queries/page";
import { markers, type Notification, type NotificationType, notifications } from "../../db/schema";
import { GROUPABLE_TYPES } from "./group-keys";

export interface NotificationFilter {
	types?: NotificationType[];
	excludeTypes?: NotificationType[];
	fromAccountId?: string;
}

export function notificationFilterWhere(accountId: string, filter: NotificationFilter) {
	return [
		eq(notifications.accountId, accountId),
		// Asking only for types Tern does not know matches nothing rather than everything.
		filter.types ? (filter.types.length > 0 ? inArray(notifications.type, filter.types) : sql`0`) : undefined,
		filter.excludeTypes && filter.excludeTypes.length > 0
			? notInArray(notifications.type, filter.excludeTypes)
			: undefined,
		filter.fromAccountId ? eq(notifications.fromAccountId, filter.fromAccountId) : undefined,
	];
}

export async function listNotifications(
	db: Db,
	accountId: string,
	filter: NotificationFilter,
	query: PageQuery,
): Promise<Notification[]> {
	const window = pageWindow(notifications.id, query);
	const rows = await db
		.select()
		.from(notifications)
		.where(and(...notificationFilterWhere(accountId, filter), ...window.where))
		.orderBy(window.orderBy)
		.limit(query.limit);
	return newestFirst(rows, query);
}

export async function findNotification(db: Db, accountId: string, id: string): Promise<Notification | undefined> {
	const [row] = await db
		.select()
		.from(notifications)
		.where(and(eq(notifications.accountId, accountId), eq(notifications.id, id)))
		.limit(1);
	return row;
}

export async function dismissNotification(db: Db, accountId: string, id: string): Promise<boolean> {
	const removed = await db
		.delete(notifications)
		.where(and(eq(notifications.accountId, accountId), eq(notifications.id, id)))
		.returning({ id: notifications.id });
	return removed.length > 0;
}

export async function clearNotifications(db: Db, accountId: string): Promise<void> {
	await db.delete(notifications).where(eq(notifications.accountId, accountId));
}

/** Unread: newer than the `notifications` marker. Counting stops at `limit`, as in Mastodon. */
export async function unreadNotificationCount(
	db: Db,
	accountId: string,
	filter: NotificationFilter,
	limit: number,
	grouped: boolean,
): Promise<number> {
	const lastRead = db
		.select({ id: markers.lastReadId })
		.from(markers)
		.where(and(eq(markers.accountId, accountId), eq(markers.timeline, "notifications")));
	const unread = db
		.select({ key: grouped ? groupKeyExpression(GROUPABLE_TYPES) : notifications.id })
		.from(notifications)
		.where(and(...notificationFilterWhere(accountId, filter), gt(notifications.id, sql`coalesce((${lastRead}), '0')`)))
		.orderBy(sql`${notifications.id} desc`)
		.limit(grouped ? limit * 8 : limit)
		.as("unread");
	const [row] = await db.select({ n: grouped ? sql<number>`count(distinct ${unread.key})` : count() }).from(unread);
	return Math.min(row?.n ?? 0, limit);
}

/** The group key as served: types not grouped by the client's choice stand alone. */
export function groupKeyExpression(groupedTypes: readonly NotificationType[]) {
	if (groupedTypes.length === 0) return sql<string>`'ungrouped-' || ${notifications.id}`.as("key");
	return sql<string>`case when ${notifications.type} in (${sql.join(
		groupedTypes.map((t) => sql`${t}`),
		sql`, `,
	)}) then ${notifications.groupKey} else 'ungrouped-' || ${notifications.id} end`.as("key");
}
