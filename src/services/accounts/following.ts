import { and, eq, inArray, or, sql } from "drizzle-orm";
import { instanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { type Account, accounts, blocks, followRequests, follows, listAccounts, notifications } from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { NotPermittedError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { groupKeyFor } from "../notifications/group-keys";
import { notifyStatement, queueNotificationPushes } from "../notifications/write";
import { asBatch, type Statement } from "../statuses/writes";
import { backfillStatement, removeAuthorStatement } from "../timelines/home-feed";
import { findFollowRequest } from "./follow-requests";

export interface FollowOptions {
	/** Show the target's boosts in the home timeline (default true). */
	reblogs?: boolean;
	/** Notify on each of the target's posts (default false). */
	notify?: boolean;
	/** Only these languages in the home timeline; null for all. */
	languages?: string[] | null;
	/** Inbound follows: the remote Follow activity's id, which the Accept or Reject must name. */
	uri?: string;
}

export type FollowOutcome = "following" | "requested";

/** The target's `follow` notification, written in the same batch as the follow. */
function followNotification(db: Db, followerId: string, targetId: string, at: Date) {
	return notifyStatement(db, {
		type: "follow",
		accountIds: [targetId],
		fromAccountId: followerId,
		statusId: null,
		groupKey: groupKeyFor("follow", "", null, at),
	});
}

/** A request answered or withdrawn no longer needs its notification. */
function withdrawRequestNotification(db: Db, followerId: string, targetId: string) {
	return db
		.delete(notifications)
		.where(
			and(
				eq(notifications.accountId, targetId),
				eq(notifications.fromAccountId, followerId),
				eq(notifications.type, "follow_request"),
			),
		);
}

const counter = (column: "followers_count" | "following_count", id: string, delta: 1 | -1, db: Db) =>
	db
		.update(accounts)
		.set(
			column === "followers_count"
				? { followersCount: sql`max(0, ${accounts.followersCount} + ${delta})` }
				: { followingCount: sql`max(0, ${accounts.followingCount} + ${delta})` },
		)
		.where(eq(accounts.id, id));

function changedOptions(options: FollowOptions) {
	return {
		...(options.reblogs === undefined ? {} : { showReblogs: options.reblogs }),
		...(options.notify === undefined ? {} : { notify: options.notify }),
		...(options.languages === undefined ? {} : { languages: options.languages }),
	};
}

/**
 * `follower` follows `target`: at once when the target is local and
 * unlocked; otherwise a request waits for the target's approval (locked
 * local accounts) or for the remote server's Accept. Following again only
 * updates the options, as in Mastodon. For an inbound remote follow that
 * succeeds at once, the inbox handler sends the Accept itself.
 */
export async function follow(
	db: Db,
	env: Env,
	follower: Account,
	target: Account,
	options: FollowOptions = {},
): Promise<FollowOutcome> {
	if (follower.id === target.id) throw new NotPermittedError("Following your own account is not allowed");
	const [blocking, existingFollow, existingRequest] = await db.batch([
		db
			.select({ id: blocks.id })
			.from(blocks)
			.where(
				or(
					and(eq(blocks.accountId, follower.id), eq(blocks.targetAccountId, target.id)),
					and(eq(blocks.accountId, target.id), eq(blocks.targetAccountId, follower.id)),
				),
			)
			.limit(1),
		db
			.select()
			.from(follows)
			.where(and(eq(follows.accountId, follower.id), eq(follows.targetAccountId, target.id))),
		db
			.select()
			.from(followRequests)
			.where(and(eq(followRequests.accountId, follower.id), eq(followRequests.targetAccountId, target.id))),
	]);
	if (blocking.length > 0 || target.suspendedAt || target.movedToAccountId) throw new NotPermittedError();
	const changes = changedOptions(options);
	if (existingFollow[0]) {
		if (Object.keys(changes).length > 0) {
			await db.update(follows).set(changes).where(eq(follows.id, existingFollow[0].id));
		}
		return "following";
	}
	if (existingRequest[0]) {
		if (Object.keys(changes).length > 0) {
			await db.update(followRequests).set(changes).where(eq(followRequests.id, existingRequest[0].id));
		}
		return "requested";
	}

	const now = new Date();
	const id = newId(now);
	const row = {
		id,
		accountId: follower.id,
		targetAccountId: target.id,
		showReblogs: options.reblogs ?? true,
		notify: options.notify ?? false,
		languages: options.languages ?? null,
		createdAt: now,
	};
	if (target.domain === null && !target.locked) {
		const statements = [
			db
				.insert(follows)
				.values({ ...row, uri: options.uri ?? null })
				.onConflictDoNothing(),
			counter("following_count", follower.id, 1, db),
			counter("followers_count", target.id, 1, db),
			...(follower.domain === null ? [backfillStatement(db, follower.id, target.id, row.showReblogs)] : []),
			followNotification(db, follower.id, target.id, now),
		] as const;
		await queueNotificationPushes(env, statements, await db.batch(statements));
		return "following";
	}
	// A remote server matches its Accept to this id; local requests never leave the instance.
	const uri = options.uri ?? (target.domain === null ? null : `${instanceConfig(env).origin}/follows/${id}`);
	const insert = db
		.insert(followRequests)
		.values({ ...row, uri })
		.onConflictDoNothing();
	if (target.domain === null) {
		const statements = [
			insert,
			notifyStatement(db, {
				type: "follow_request",
				accountIds: [target.id],
				fromAccountId: follower.id,
				statusId: null,
			}),
		] as const;
		await queueNotificationPushes(env, statements, await db.batch(statements));
	} else {
		// The Follow goes out only if this request is the one stored (a concurrent one may have won).
		await db.batch([
			insert,
			publishOutboxEvent(
				db,
				{ type: "follow.requested", followRequestId: id },
				{ when: sql`exists (select 1 from follow_requests where id = ${id})` },
			),
		]);
	}
	return "requested";
}

async function accountLocality(db: Db, ids: string[]): Promise<Map<string, boolean>> {
	const rows = await db
		.select({ id: accounts.id, local: sql<number>`${accounts.domain} is null` })
		.from(accounts)
		.where(inArray(accounts.id, ids));
	return new Map(rows.map((r) => [r.id, Boolean(r.local)]));
}

/**
 * Turns a pending request into a follow. Called when a local account
 * authorizes a request, and by the inbox when a remote Accept arrives.
 * Returns false when there was no such request.
 */
export async function acceptFollowRequest(db: Db, env: Env, requestId: string): Promise<boolean> {
	const request = await findFollowRequest(db, requestId);
	if (!request) return false;
	const local = await accountLocality(db, [request.accountId, request.targetAccountId]);
	const followerLocal = local.get(request.accountId) ?? false;
	const targetLocal = local.get(request.targetAccountId) ?? false;
	const followId = newId();
	const [, inserted] = await db.batch([
		db.delete(followRequests).where(eq(followRequests.id, request.id)),
		db
			.insert(follows)
			.values({ ...request, id: followId, createdAt: new Date() })
			.onConflictDoNothing()
			.returning({ id: follows.id }),
		// A remote follower gets an Accept, if this call made the follow.
		...(followerLocal
			? []
			: [
					publishOutboxEvent(
						db,
						{ type: "follow.accepted", followId },
						{ when: sql`exists (select 1 from follows where id = ${followId})` },
					),
				]),
	]);
	if (inserted.length === 0) return true;
	const statements = [
		counter("following_count", request.accountId, 1, db),
		counter("followers_count", request.targetAccountId, 1, db),
		...(followerLocal ? [backfillStatement(db, request.accountId, request.targetAccountId, request.showReblogs)] : []),
		...(targetLocal
			? [
					withdrawRequestNotification(db, request.accountId, request.targetAccountId),
					followNotification(db, request.accountId, request.targetAccountId, new Date()),
				]
			: []),
	] as const;
	await queueNotificationPushes(env, statements, await db.batch(statements));
	return true;
}

/** Refuses a pending request (a local authorize refused, or a remote Reject). Returns false without one. */
export async function rejectFollowRequest(db: Db, _env: Env, requestId: string): Promise<boolean> {
	const request = await findFollowRequest(db, requestId);
	if (!request) return false;
	const local = await accountLocality(db, [request.accountId, request.targetAccountId]);
	await db.batch(
		asBatch([
			// A remote follower gets a Reject, if this call is the one that removes the request.
			...(local.get(request.accountId)
				? []
				: [
						publishOutboxEvent(
							db,
							{
								type: "follow.rejected",
								accountId: request.accountId,
								targetAccountId: request.targetAccountId,
								uri: request.uri,
							},
							{ when: sql`exists (select 1 from follow_requests where id = ${request.id})` },
						),
					]),
			db.delete(followRequests).where(eq(followRequests.id, request.id)),
			withdrawRequestNotification(db, request.accountId, request.targetAccountId),
		]),
	);
	return true;
}

/**
 * Ends `followerId` following `targetId` (or withdraws the request), with
 * what hangs off it: counters, the target's posts in the follower's home
 * feed, list memberships. Returns what was removed.
 */
export async function removeFollow(
	db: Db,
	followerId: string,
	targetId: string,
	/** Statements for the same batch as the removal, ahead of it (the outbox event telling the other side). */
	alongside: Statement[] = [],
): Promise<{ follow?: { uri: string | null }; request?: { uri: string | null } }> {
	const results = await db.batch(
		asBatch([
			...alongside,
			db
				.delete(follows)
				.where(and(eq(follows.accountId, followerId), eq(follows.targetAccountId, targetId)))
				.returning({ uri: follows.uri }),
			db
				.delete(followRequests)
				.where(and(eq(followRequests.accountId, followerId), eq(followRequests.targetAccountId, targetId)))
				.returning({ uri: followRequests.uri }),
		]),
	);
	const [removedFollow, removedRequest] = results.slice(alongside.length) as [
		{ uri: string | null }[],
		{ uri: string | null }[],
	];
	if (removedFollow[0]) {
		await db.batch([
			counter("following_count", followerId, -1, db),
			counter("followers_count", targetId, -1, db),
			removeAuthorStatement(db, followerId, targetId),
			db
				.delete(listAccounts)
				.where(
					and(
						eq(listAccounts.accountId, targetId),
						sql`${listAccounts.listId} in (select id from lists where account_id = ${followerId})`,
					),
				),
		]);
	}
	if (removedRequest[0]) {
		await withdrawRequestNotification(db, followerId, targetId);
	}
	return { follow: removedFollow[0], request: removedRequest[0] };
}

/** The ids of the follow (or pending request) of `followerId` to `targetId`: what an Undo or Reject names. */
async function followOrRequest(db: Db, followerId: string, targetId: string) {
	const [follow, request] = await db.batch([
		db
			.select({ id: follows.id, uri: follows.uri })
			.from(follows)
			.where(and(eq(follows.accountId, followerId), eq(follows.targetAccountId, targetId)))
			.limit(1),
		db
			.select({ id: followRequests.id, uri: followRequests.uri })
			.from(followRequests)
			.where(and(eq(followRequests.accountId, followerId), eq(followRequests.targetAccountId, targetId)))
			.limit(1),
	]);
	return { follow: follow[0], request: request[0] };
}

/**
 * A local account stops following `target`; a remote target is told with an
 * Undo, recorded with the removal (and only by the call that removes it).
 */
export async function unfollow(db: Db, _env: Env, follower: Account, target: Account): Promise<void> {
	const alongside: Statement[] = [];
	if (target.domain !== null) {
		const found = await followOrRequest(db, follower.id, target.id);
		const uri = found.follow?.uri ?? found.request?.uri;
		if (uri) {
			alongside.push(
				publishOutboxEvent(
					db,
					{ type: "follow.undone", accountId: follower.id, targetAccountId: target.id, uri },
					{
						when: found.follow
							? sql`exists (select 1 from follows where id = ${found.follow.id})`
							: sql`exists (select 1 from follow_requests where id = ${found.request?.id ?? ""})`,
					},
				),
			);
		}
	}
	await removeFollow(db, follower.id, target.id, alongside);
}

/** `owner` makes `follower` stop following them; a remote follower is sent a Reject, recorded with the removal. */
export async function removeFollower(db: Db, _env: Env, owner: Account, follower: Account): Promise<void> {
	const alongside: Statement[] = [];
	if (follower.domain !== null) {
		const { follow } = await followOrRequest(db, follower.id, owner.id);
		if (follow) {
			alongside.push(
				publishOutboxEvent(
					db,
					{ type: "follow.rejected", accountId: follower.id, targetAccountId: owner.id, uri: follow.uri },
					{ when: sql`exists (select 1 from follows where id = ${follow.id})` },
				),
			);
		}
	}
	await removeFollow(db, follower.id, owner.id, alongside);
}
