import type { Notification, NotificationType } from "../../db/schema";

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
