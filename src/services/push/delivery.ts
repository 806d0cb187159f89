import { and, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { type ServiceContext, serviceContext } from "../../context";
import type { Db } from "../../db/client";
import {
	accounts,
	type NotificationType,
	notifications,
	oauthAccessTokens,
	type PushSubscription,
	pushSubscriptions,
	statuses,
	users,
} from "../../db/schema";
import { open } from "../../lib/crypto/secret-box";
import { MAX_RETRY_DELAY_SECONDS, retryDelaySeconds } from "../../queues/backoff";
import type { JobMessage, QueueContext } from "../../queues/messages";
import { RetryLater } from "../../queues/retry";
import { MISSING_AVATAR_PATH } from "../../serializers/mastodon/account";
import { buildPushPayload, encodePushPayload, type PushSource } from "./payload";
import { buildPushRequest, PUSH_TTL_SECONDS, sendPush, vapidSubject } from "./send";
import { PUSH_TOKEN_SEAL_INFO } from "./subscriptions";
import { vapidSigner } from "./vapid-key";

export type PushJob = Extract<JobMessage, { type: "push.notification" }>;

interface LoadedNotification {
	source: PushSource;
	createdAt: Date;
	locale: string;
	/** The recipient follows the sender / the sender follows the recipient. */
	followed: boolean;
	follower: boolean;
}

/** The notification with what its payload and the policies need, and the recipient's live subscriptions: one round trip. */
async function loadPush(ctx: ServiceContext, job: PushJob) {
	const { db } = ctx;
	const recipient: SQL = sql`(select account_id from notifications where id = ${job.notificationId})`;
	const [rows, subscriptions] = await db.batch([
		db
			.select({
				id: notifications.id,
				type: notifications.type,
				createdAt: notifications.createdAt,
				fromName: sql<string>`coalesce(nullif(${accounts.displayName}, ''), ${accounts.username})`,
				fromAvatar: accounts.avatarUrl,
				fromNote: accounts.note,
				statusText: sql<string | null>`coalesce(${statuses.text}, ${statuses.content})`,
				spoilerText: statuses.spoilerText,
				locale: users.locale,
				// A disabled login or a suspended account gets no pushes, as its tokens no longer work.
				blocked: sql<number>`coalesce(${users.disabled}, 1) or ${notifications.accountId} in
					(select id from accounts where suspended_at is not null)`,
				followed: sql<number>`exists (select 1 from follows f
					where f.account_id = ${notifications.accountId} and f.target_account_id = ${notifications.fromAccountId})`,
				follower: sql<number>`exists (select 1 from follows f
					where f.account_id = ${notifications.fromAccountId} and f.target_account_id = ${notifications.accountId})`,
			})
			.from(notifications)
			.innerJoin(accounts, eq(accounts.id, notifications.fromAccountId))
			.leftJoin(statuses, and(eq(statuses.id, notifications.statusId), isNull(statuses.deletedAt)))
			.leftJoin(users, eq(users.accountId, notifications.accountId))
			.where(eq(notifications.id, job.notificationId))
			.limit(1),
		db
			.select({ subscription: pushSubscriptions })
			.from(pushSubscriptions)
			.innerJoin(oauthAccessTokens, eq(oauthAccessTokens.id, pushSubscriptions.accessTokenId))
			.where(
				and(
					eq(pushSubscriptions.accountId, recipient),
					isNull(oauthAccessTokens.revokedAt),
					job.subscriptionIds ? inArray(pushSubscriptions.id, job.subscriptionIds) : undefined,
				),
			),
	]);
	const row = rows[0];
	if (!row || row.blocked) return { notification: undefined, subscriptions: [] };
	const notification: LoadedNotification = {
		source: {
			notificationId: row.id,
			type: row.type,
			fromName: row.fromName,
			fromAvatar: row.fromAvatar ?? `${ctx.config.origin}${MISSING_AVATAR_PATH}`,
			fromNote: row.fromNote,
			statusText: row.statusText,
			spoilerText: row.spoilerText,
		},
		createdAt: row.createdAt,
		locale: row.locale ?? "en",
		followed: Boolean(row.followed),
		follower: Boolean(row.follower),
	};
	return { notification, subscriptions: subscriptions.map((s) => s.subscription) };
}

/** Mastodon's `pushable?`: the alert for the type is on and the policy lets the sender through. */
export function wantsPush(
	subscription: PushSubscription,
	type: NotificationType,
	relation: LoadedNotification,
): boolean {
	if (subscription.alerts[type] !== true) return false;
	switch (subscription.policy) {
		case "all":
			return true;
		case "none":
			return false;
		case "followed":
			return relation.followed;
		case "follower":
			return relation.follower;
	}
}

async function deleteSubscription(db: Db, id: string): Promise<void> {
	await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
}

/** The subscription's bearer token; null (logged) when it no longer opens, e.g. after the secret changed. */
async function openToken(secret: string, subscription: PushSubscription): Promise<string | null> {
	try {
		return new TextDecoder().decode(await open(secret, PUSH_TOKEN_SEAL_INFO, subscription.accessTokenSealed));
	} catch (error) {
		console.warn(`Push subscription ${subscription.id} skipped: its token cannot be unsealed`, error);
		return null;
	}
}

/**
 * Sends one notification to each of its recipient's subscriptions that want
 * it. A subscription the push service no longer knows is deleted. When some
 * sends must be retried, the message is retried if nothing went out yet;
 * otherwise a new message names just the subscriptions still owed the push,
 * so no device gets it twice.
 */
export async function runPushJob(queue: QueueContext, job: PushJob, attempts: number): Promise<void> {
	const ctx = serviceContext(queue.env, queue.db);
	const { notification, subscriptions } = await loadPush(ctx, job);
	if (!notification) return;
	// Past the push services' own TTL a notification is no longer news.
	if (Date.now() - notification.createdAt.getTime() > PUSH_TTL_SECONDS * 1000) return;
	const wanted = subscriptions.filter((s) => wantsPush(s, notification.source.type, notification));
	if (wanted.length === 0) return;
	const secret = queue.env.KEY_ENCRYPTION_SECRET;
	const signer = await vapidSigner(ctx.db, secret);
	const subject = vapidSubject(ctx);
	const owed: string[] = [];
	let delay = retryDelaySeconds(attempts);
	for (const subscription of wanted) {
		const token = await openToken(secret, subscription);
		if (token === null) continue;
		const payload = buildPushPayload(notification.source, token, notification.locale);
		const plaintext = new TextEncoder().encode(encodePushPayload(payload)) as Uint8Array<ArrayBuffer>;
		const outcome = await sendPush(ctx, subscription, await buildPushRequest(subscription, signer, subject, plaintext));
		if (outcome.kind === "gone") {
			await deleteSubscription(ctx.db, subscription.id);
			console.log(`Push subscription ${subscription.id} removed: the push service answered ${outcome.status}`);
		} else if (outcome.kind === "dropped") {
			console.warn(`Push to subscription ${subscription.id} dropped: ${outcome.reason}`);
		} else if (outcome.kind === "retry") {
			owed.push(subscription.id);
			delay = Math.max(delay, Math.min(outcome.retryAfterSeconds ?? 0, MAX_RETRY_DELAY_SECONDS));
		}
	}
	if (owed.length === 0) return;
	if (owed.length === wanted.length) throw new RetryLater(delay, `push of notification ${job.notificationId} failed`);
	await queue.env.JOBS_QUEUE.send(
		{ type: "push.notification", notificationId: job.notificationId, subscriptionIds: owed } satisfies JobMessage,
		{ delaySeconds: delay },
	);
}
