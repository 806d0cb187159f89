import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { accounts, type Notification, type NotificationType, notifications } from "../db/schema";
import { newId } from "../lib/ids";

/** Types that `/api/v2/notifications` folds into one group, as Mastodon does. */
export const GROUPABLE_TYPES: readonly NotificationType[] = ["favourite", "reblog", "follow"];

/** Notifications of one group must fall within this span of each other. */
const GROUP_SPAN_MS = 12 * 60 * 60 * 1000;

/**
 * The group a notification belongs to: favourites and boosts of one status,
 * and follows, fall into one group per time slot; everything else stands alone.
 */
export function groupKeyFor(type: NotificationType, id: string, statusId: string | null, at: Date): string {
	const slot = Math.floor(at.getTime() / GROUP_SPAN_MS);
	if ((type === "favourite" || type === "reblog") && statusId) return `${type}-${statusId}-${slot}`;
	if (type === "follow") return `follow-${slot}`;
	return `ungrouped-${id}`;
}

/** The key a client sees: types it did not ask to group stand alone, whoever wrote the row. */
export function servedGroupKey(row: Notification, groupedTypes: readonly NotificationType[]): string {
	return groupedTypes.includes(row.type) ? row.groupKey : `ungrouped-${row.id}`;
}

export interface NewNotification {
	/** The recipient; only local accounts are notified. */
	accountId: string;
	fromAccountId: string;
	type: NotificationType;
	statusId?: string | null;
}

/**
 * Notifies a local account of something another account did, unless it is
 * their own doing, they block the actor, or they mute the actor with
 * notifications hidden. Returns the notification, or null when skipped.
 */
export async function createNotification(db: Db, input: NewNotification): Promise<Notification | null> {
	if (input.accountId === input.fromAccountId) return null;
	const now = new Date();
	const [state] = await db
		.select({
			local: sql<number>`${accounts.domain} is null`,
			blocked: sql<number>`exists (select 1 from blocks where account_id = ${input.accountId} and target_account_id = ${input.fromAccountId})`,
			muted: sql<number>`exists (select 1 from mutes where account_id = ${input.accountId} and target_account_id = ${input.fromAccountId} and hide_notifications = 1 and (expires_at is null or expires_at > ${now.getTime()}))`,
		})
		.from(accounts)
		.where(eq(accounts.id, input.accountId))
		.limit(1);
	if (!state?.local || state.blocked || state.muted) return null;
	const id = newId(now);
	const statusId = input.statusId ?? null;
	const row: Notification = {
		id,
		accountId: input.accountId,
		fromAccountId: input.fromAccountId,
		type: input.type,
		statusId,
		groupKey: groupKeyFor(input.type, id, statusId, now),
		createdAt: now,
	};
	await db.insert(notifications).values(row);
	return row;
}

/** Removes what a withdrawn action had notified (an unfavourite, a withdrawn follow request). */
export async function deleteNotifications(
	db: Db,
	match: { accountId: string; fromAccountId: string; type: NotificationType; statusId?: string },
): Promise<void> {
	await db
		.delete(notifications)
		.where(
			and(
				eq(notifications.accountId, match.accountId),
				eq(notifications.fromAccountId, match.fromAccountId),
				eq(notifications.type, match.type),
				match.statusId ? eq(notifications.statusId, match.statusId) : undefined,
			),
		);
}
