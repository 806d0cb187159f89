import { and, desc, eq, or } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { PageQuery } from "../../db/queries/page";
import { pageWindow } from "../../db/queries/page";
import { type Notification, type NotificationType, notifications } from "../../db/schema";
import { isId } from "../../lib/ids";
import { groupKeyExpression, type NotificationFilter, notificationFilterWhere } from "./queries";

/** Accounts shown per group, as Mastodon samples them. */
const SAMPLE_ACCOUNTS = 8;
/** Notifications read for one group. */
const GROUP_READ_LIMIT = 200;

export interface NotificationGroupRow {
	groupKey: string;
	type: NotificationType;
	statusId: string | null;
	count: number;
	mostRecentId: string;
	pageMinId: string;
	pageMaxId: string;
	latestAt: Date;
	sampleAccountIds: string[];
	/** The newest notification of the group, for clients that want it whole. */
	latest: Notification;
}

type KeyedNotification = Notification & { key: string };

function buildGroups(rows: KeyedNotification[], samples = SAMPLE_ACCOUNTS): NotificationGroupRow[] {
	const byKey = new Map<string, KeyedNotification[]>();
	for (const row of rows) {
		const members = byKey.get(row.key) ?? [];
		members.push(row);
		byKey.set(row.key, members);
	}
	const groups: NotificationGroupRow[] = [];
	for (const [key, members] of byKey) {
		members.sort((a, b) => (a.id < b.id ? 1 : -1));
		const latest = members[0] as KeyedNotification;
		const oldest = members[members.length - 1] as KeyedNotification;
		groups.push({
			groupKey: key,
			type: latest.type,
			statusId: latest.statusId,
			count: members.length,
			mostRecentId: latest.id,
			pageMinId: oldest.id,
			pageMaxId: latest.id,
			latestAt: latest.createdAt,
			sampleAccountIds: [...new Set(members.map((m) => m.fromAccountId))].slice(0, samples),
			latest,
		});
	}
	return groups.sort((a, b) => (a.mostRecentId < b.mostRecentId ? 1 : -1));
}

export interface GroupPage {
	groups: NotificationGroupRow[];
	/** Newest and oldest notification ids the page covers: the bounds for the Link header. */
	bounds: string[];
}

/**
 * A page of `query.limit` groups. Notifications are grouped within the
 * notifications the page covers, as Mastodon does, so a long-lived group can
 * reappear further down; counts are per page.
 */
export async function listNotificationGroups(
	db: Db,
	accountId: string,
	filter: NotificationFilter,
	groupedTypes: readonly NotificationType[],
	query: PageQuery,
): Promise<GroupPage> {
	// A bounded window keeps the rows read per page near the page size even for huge groups.
	const window = Math.min(query.limit * 3, 240);
	const page = pageWindow(notifications.id, query);
	const rows = (await db
		.select({ ...notificationColumns, key: groupKeyExpression(groupedTypes) })
		.from(notifications)
		.where(and(...notificationFilterWhere(accountId, filter), ...page.where))
		.orderBy(page.orderBy)
		.limit(window)) as KeyedNotification[];
	const included: KeyedNotification[] = [];
	const keys = new Set<string>();
	for (const row of rows) {
		if (!keys.has(row.key)) {
			if (keys.size === query.limit) break;
			keys.add(row.key);
		}
		included.push(row);
	}
	const ids = included.map((row) => row.id).sort();
	const bounds = ids.length === 0 ? [] : [ids[ids.length - 1] as string, ids[0] as string];
	return { groups: buildGroups(included), bounds };
}

const notificationColumns = {
	id: notifications.id,
	accountId: notifications.accountId,
	fromAccountId: notifications.fromAccountId,
	subjectId: notifications.subjectId,
	type: notifications.type,
	statusId: notifications.statusId,
	groupKey: notifications.groupKey,
	createdAt: notifications.createdAt,
};

/** `ungrouped-<id>` names one notification whatever its stored key. */
function groupWhere(accountId: string, groupKey: string) {
	const single = /^ungrouped-(\d+)$/.exec(groupKey)?.[1];
	return and(
		eq(notifications.accountId, accountId),
		single && isId(single)
			? or(eq(notifications.id, single), eq(notifications.groupKey, groupKey))
			: eq(notifications.groupKey, groupKey),
	);
}

/**
 * One group, whole (up to a few hundred of its newest notifications);
 * `allAccounts` lists every actor rather than a sample.
 */
export async function findNotificationGroup(
	db: Db,
	accountId: string,
	groupKey: string,
	options: { allAccounts?: boolean } = {},
): Promise<NotificationGroupRow | undefined> {
	const rows = await db
		.select(notificationColumns)
		.from(notifications)
		.where(groupWhere(accountId, groupKey))
		.orderBy(desc(notifications.id))
		.limit(GROUP_READ_LIMIT);
	if (rows.length === 0) return undefined;
	return buildGroups(
		rows.map((row) => ({ ...row, key: groupKey })),
		options.allAccounts ? GROUP_READ_LIMIT : SAMPLE_ACCOUNTS,
	)[0];
}

export async function dismissNotificationGroup(db: Db, accountId: string, groupKey: string): Promise<boolean> {
	const removed = await db
		.delete(notifications)
		.where(groupWhere(accountId, groupKey))
		.returning({ id: notifications.id });
	return removed.length > 0;
}
