import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlAll, sqlRun } from "../../db/queries/raw";
import type { NotificationType } from "../../db/schema";
import { newId } from "../../lib/ids";
import { type JobMessage, SEND_BATCH_LIMIT } from "../../queues/messages";
import { LIVE_NOTIFICATION_COLUMN } from "../streaming/audience";
import { streamNotifications } from "../streaming/publish";

export interface NotificationInput {
	type: NotificationType;
	/** The recipients; only local accounts get a row (the statement checks). */
	accountIds: string[];
	fromAccountId: string;
	statusId: string | null;
	/** Notifications sharing a key are grouped by /api/v2/notifications. */
	groupKey?: string;
}

/**
 * What a notify statement returns per notification written: `push` is 1 when
 * the recipient has a push subscription, `live` when it has a stream open.
 */
interface NotifiedRow {
	id: string;
	account_id: string;
	push: number;
	live: number;
}

/** Statements made by notifyStatement, recognised after their batch by queueNotificationPushes. */
const notifyStatements = new WeakSet<object>();

/**
 * A statement (for db.batch) that notifies LOCAL accounts, except the
 * sender itself or blocks or mutes (with notifications hidden) the sender, or
 * muted the conversation of the status. Moderation filters too, as on
 * Mastodon: nothing from suspended accounts or from servers the recipient
 * blocked, and from limited (silenced) accounts only to their followers.
 */
export function notifyStatement(db: Db, input: NotificationInput) {
	const recipients = input.accountIds.map((accountId) => ({ id: newId(), accountId }));
	const groupKey = input.groupKey ?? `${input.type}-${input.statusId ?? recipients[0]?.id ?? ""}`;
	const statement = sqlAll<NotifiedRow>(
		db,
		sql`
		insert into notifications (id, account_id, from_account_id, type, status_id, group_key, created_at)
		select json_extract(r.value, '$.id'), a.id, ${input.fromAccountId}, ${input.type}, ${input.statusId},
			${groupKey}, ${Date.now()}
		from json_each(${JSON.stringify(recipients)}) r join accounts a on a.id = json_extract(r.value, '$.accountId')
		where a.domain is null and a.id <> ${input.fromAccountId}
			and not exists (select 1 from blocks b where b.account_id = a.id and b.target_account_id = ${input.fromAccountId})
			and not exists (select 1 from mutes m where m.account_id = a.id and m.target_account_id = ${input.fromAccountId}
				and m.hide_notifications = 1 and (m.expires_at is null or m.expires_at > ${Date.now()}))
			and not exists (select 1 from conversation_mutes c join statuses s on s.conversation_id = c.conversation_id
				where c.account_id = a.id and s.id = ${input.statusId})
			and not exists (select 1 from accounts f where f.id = ${input.fromAccountId} and (f.suspended_at is not null
				or (f.silenced_at is not null and not exists (select 1 from follows ff
					where ff.account_id = a.id and ff.target_account_id = f.id))
				or (f.domain is not null and exists (select 1 from account_domain_blocks adb
					where adb.account_id = a.id and adb.domain = f.domain))))
		returning id, account_id, exists (select 1 from push_subscriptions p where p.account_id = notifications.account_id) as push,
			${LIVE_NOTIFICATION_COLUMN}`,
	);
	notifyStatements.add(statement);
	return statement;
}

/**
 * Run after the db.batch that held notify statements: queues one push job per
 * new notification whose recipient has a Web Push subscription, and streams
 * it to recipients who are connected. Both checks rode along in the insert,
 * so nothing is queued or sent (and no query added) for accounts without
 * either. A failure here is logged, not thrown: the action itself is done.
 */
export async function queueNotificationPushes(
	env: Pick<Env, "JOBS_QUEUE" | "ACCOUNT_STREAMS">,
	statements: readonly object[],
	results: readonly unknown[],
): Promise<void> {
	const ids: string[] = [];
	const live: { id: string; accountId: string }[] = [];
	statements.forEach((statement, index) => {
		if (!notifyStatements.has(statement)) return;
		for (const row of (results[index] as NotifiedRow[] | undefined) ?? []) {
			if (row.push) ids.push(row.id);
			if (row.live) live.push({ id: row.id, accountId: row.account_id });
		}
	});
	await streamNotifications(env, live);
	try {
		for (let start = 0; start < ids.length; start += SEND_BATCH_LIMIT) {
			await env.JOBS_QUEUE.sendBatch(
				ids.slice(start, start + SEND_BATCH_LIMIT).map((notificationId) => ({
					body: { type: "push.notification", notificationId } satisfies JobMessage,
				})),
			);
		}
	} catch (error) {
		console.error("Queueing push notifications failed", error);
	}
}

/** Removes the notifications an undone action (unfavourite, unreblog) had caused. */
export function retractNotificationStatement(
	db: Db,
	input: { type: NotificationType; fromAccountId: string; statusId: string },
) {
	return sqlRun(
		db,
		sql`
		delete from notifications
		where type = ${input.type} and from_account_id = ${input.fromAccountId} and status_id = ${input.statusId}`,
	);
}

/** Local followers who asked to be told of the author's new posts (the "bell"), at most `limit`. */
export function subscribersQuery(db: Db, authorId: string, limit = 5000) {
	return sqlAll<{ id: string }>(
		db,
		sql`select f.account_id as id from follows f join accounts a on a.id = f.account_id
		where f.target_account_id = ${authorId} and f.notify = 1 and a.domain is null limit ${limit}`,
	);
}
