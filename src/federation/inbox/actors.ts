import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { sqlRun } from "../../db/queries/raw";
import type { Account } from "../../db/schema";
import { releaseCounterStatements } from "../../services/accounts/deletion";
import { unindexAccountStatement } from "../../services/search/indexing";
import { findAccountByUri, ResolveError, resolveActorByUri } from "../actors";

/** The account of a remote actor, fetched when unknown or stale; null when it cannot be resolved. */
export async function resolveRemoteAccount(
	ctx: ServiceContext,
	uri: string,
	options: { fetch?: boolean } = {},
): Promise<Account | null> {
	if (options.fetch === false) return (await findAccountByUri(ctx, uri)) ?? null;
	try {
		return await resolveActorByUri(ctx, uri);
	} catch (error) {
		if (error instanceof ResolveError) return null;
		throw error;
	}
}

/** Refetches an actor from its origin (Update of a profile, target of a Move). */
export async function refreshRemoteActor(ctx: ServiceContext, uri: string): Promise<Account | null> {
	try {
		return await resolveActorByUri(ctx, uri, { refresh: true });
	} catch (error) {
		if (error instanceof ResolveError) return null;
		throw error;
	}
}

/**
 * A remote actor deleted itself: its posts, follows and interactions go
 * (the rows cascade from the account), and the counters of local accounts
 * and posts that counted them are corrected first.
 */
export async function deleteRemoteAccount(ctx: ServiceContext, account: Account): Promise<void> {
	if (account.domain === null) return;
	const id = account.id;
	const { db } = ctx;
	await db.batch([
		...releaseCounterStatements(db, id),
		sqlRun(
			db,
			sql`update statuses set replies_count = max(0, replies_count - 1)
			where id in (select in_reply_to_id from statuses where account_id = ${id} and in_reply_to_id is not null
				and deleted_at is null)`,
		),
		sqlRun(db, sql`delete from home_feed where status_id in (select id from statuses where account_id = ${id})`),
		unindexAccountStatement(db, id),
		sqlRun(db, sql`delete from accounts where id = ${id}`),
	]);
}
