import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, accounts, follows } from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { NotPermittedError, ValidationError } from "../../lib/errors";
import type { JobMessage } from "../../queues/messages";
import { notifyStatement, queueNotificationPushes } from "../notifications/write";
import { follow, unfollow } from "./following";

/** Local followers moved per step; the rest go on in the jobs queue (Mastodon also moves them in batches). */
export const MOVE_FOLLOWERS_BATCH = 100;

export interface MoveContext {
	db: Db;
	env: Env;
}

/**
 * Moves up to `limit` local followers of `from` to `to`: each follows the new
 * account (a request when it is locked or remote) and stops following the
 * old one, and is told with a `moved` notification. Followers who block the
 * new account, or are blocked by it, just stay where they were and are skipped
 * by the next batch. Returns how many were looked at; fewer than `limit`
 * means none are left.
 */
export async function moveLocalFollowers(ctx: MoveContext, from: Account, to: Account, limit: number): Promise<number> {
	const { db, env } = ctx;
	const followers = await db
		.select()
		.from(accounts)
		.where(
			sql`${accounts.id} in (select f.account_id from follows f join accounts a on a.id = f.account_id
				where f.target_account_id = ${from.id} and a.domain is null and a.id <> ${to.id}
				order by f.id limit ${limit})`,
		);
	for (const follower of followers) {
		const [existing] = await db
			.select({
				id: follows.id,
				showReblogs: follows.showReblogs,
				notify: follows.notify,
				languages: follows.languages,
			})
			.from(follows)
			.where(and(eq(follows.accountId, follower.id), eq(follows.targetAccountId, from.id)))
			.limit(1);
		try {
			await follow(db, env, follower, to, {
				reblogs: existing?.showReblogs,
				notify: existing?.notify,
				languages: existing?.languages ?? null,
			});
		} catch (error) {
			if (!(error instanceof NotPermittedError)) throw error;
		}
		await unfollow(db, env, follower, from);
		const statement = notifyStatement(db, {
			type: "moved",
			accountIds: [follower.id],
			fromAccountId: from.id,
			statusId: null,
		});
		await queueNotificationPushes(env, [statement], await db.batch([statement]));
	}
	return followers.length;
}

/** One step of moving followers; queues the next while any are left. */
export async function runMoveFollowersJob(ctx: MoveContext, fromId: string, toId: string): Promise<void> {
	const rows = await ctx.db.select().from(accounts).where(sql`${accounts.id} in (${fromId}, ${toId})`);
	const from = rows.find((row) => row.id === fromId);
	const to = rows.find((row) => row.id === toId);
	if (!from || !to || from.movedToAccountId !== to.id) return;
	const moved = await moveLocalFollowers(ctx, from, to, MOVE_FOLLOWERS_BATCH);
	if (moved >= MOVE_FOLLOWERS_BATCH) {
		await ctx.env.JOBS_QUEUE.send({ type: "account.move_followers", fromId, toId } satisfies JobMessage);
	}
}

/**
 * Records that `from` moved to `to` and moves its local followers: the first
 * `inline` of them at once (already in a queue job, the inbox does a batch),
 * the rest from the jobs queue. Used for a local account moving away and for
 * a remote one whose Move arrived; the caller has checked that `to` lists
 * `from` as an alias.
 */
export async function markMoved(ctx: MoveContext, from: Account, to: Account, inline = 0): Promise<Account> {
	const [updated] = await ctx.db
		.update(accounts)
		.set({ movedToAccountId: to.id, updatedAt: new Date() })
		.where(eq(accounts.id, from.id))
		.returning();
	const moved = inline > 0 ? await moveLocalFollowers(ctx, updated as Account, to, inline) : 0;
	if (inline === 0 || moved >= inline) {
		await ctx.env.JOBS_QUEUE.send({
			type: "account.move_followers",
			fromId: from.id,
			toId: to.id,
		} satisfies JobMessage);
	}
	return updated as Account;
}

/**
 * A local account moves to `target`, an account here or elsewhere whose
 * current actor document (fetched fresh by the caller) lists this account
 * in `alsoKnownAs`. The account is marked moved, stops posting, its remote
 * followers get a Move (their servers re-follow) and its local ones are moved
 * here by the jobs queue.
 */
export async function moveAccount(ctx: MoveContext, account: Account, target: Account): Promise<Account> {
	if (account.domain !== null) throw new NotPermittedError("Only local accounts move from here");
	if (target.id === account.id) throw new ValidationError("acct", "An account cannot move to itself");
	if (account.movedToAccountId === target.id) return account;
	if (target.movedToAccountId) throw new ValidationError("acct", "That account has itself moved");
	if (target.suspendedAt) throw new ValidationError("acct", "That account is suspended");
	if (!target.alsoKnownAs.includes(account.uri)) {
		throw new ValidationError(
			"acct",
			`The new account must list this one as an alias first (add ${account.uri} to its aliases)`,
		);
	}
	const updated = await markMoved(ctx, account, target);
	const at = Date.now();
	await ctx.db.batch([
		publishOutboxEvent(ctx.db, { type: "account.updated", accountId: account.id }),
		publishOutboxEvent(ctx.db, { type: "account.moved", accountId: account.id, targetAccountId: target.id, at }),
	]);
	return updated;
}
