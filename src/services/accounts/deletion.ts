import { eq, is, sql } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import * as schema from "../../db/schema";
import { type Account, accountDeletions, accounts, type User, users } from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import type { JobMessage } from "../../queues/messages";
import { unindexAccountStatement } from "../search/indexing";

/** Posts and media removed per purge step: each post cascades to its mentions, tags, favourites… */
const STATUSES_PER_STEP = 200;
const MEDIA_PER_STEP = 100;
const ROWS_PER_STATEMENT = 500;

/** Kept when the rest goes: the row reserves the name, the keys sign the Delete, the deletion marks it gone. */
const KEPT_TABLES = new Set(["accounts", "account_keys", "account_deletions", "users"]);

export interface DeletionContext {
	db: Db;
	env: Env;
}

/** Every (table, column) holding an account id, from the schema's foreign keys, plus the home feed which has none. */
interface AccountColumn {
	table: string;
	column: string;
	/** The primary key, to delete a bounded number of rows (some tables are WITHOUT ROWID). */
	key: string[];
}

function primaryKeyOf(config: ReturnType<typeof getTableConfig>): string[] {
	const composite = config.primaryKeys[0];
	if (composite) return composite.columns.map((column) => column.name);
	return config.columns.filter((column) => column.primary).map((column) => column.name);
}

function accountColumns(): AccountColumn[] {
	// The account's own feed; others' entries for its posts went with the posts (by status_id).
	const found: AccountColumn[] = [{ table: "home_feed", column: "account_id", key: ["account_id", "status_id"] }];
	for (const value of Object.values(schema)) {
		if (!is(value, SQLiteTable)) continue;
		const config = getTableConfig(value);
		if (KEPT_TABLES.has(config.name) || config.name === "statuses") continue;
		for (const fk of config.foreignKeys) {
			const reference = fk.reference();
			if (getTableConfig(reference.foreignTable).name !== "accounts") continue;
			for (const column of reference.columns) {
				found.push({ table: config.name, column: column.name, key: primaryKeyOf(config) });
			}
		}
	}
	return found;
}

export function isAccountDeleted(db: Db, accountId: string) {
	return db.select().from(accountDeletions).where(eq(accountDeletions.accountId, accountId)).limit(1);
}

/**
 * The owner deletes their account (the settings page checked their password
 * first). At once:
 * they can no longer sign in, the account is hidden everywhere, and a Delete
 * of the actor goes to every server this one knows. The jobs queue then
 * removes posts, media and relationships a bounded amount at a time; the
 * account row stays so the name is never given to someone else and the
 * actor answers 410 Gone.
 */
export async function deleteOwnAccount(ctx: DeletionContext, current: { account: Account; user: User }): Promise<void> {
	const { db, env } = ctx;
	const now = new Date();
	await db.batch([
		db
			.insert(accountDeletions)
			.values({ accountId: current.account.id, state: "running", requestedAt: now })
			.onConflictDoNothing(),
		db.update(accounts).set({ suspendedAt: now, updatedAt: now }).where(eq(accounts.id, current.account.id)),
		// Sessions and tokens go with the user row.
		db.delete(users).where(eq(users.id, current.user.id)),
		publishOutboxEvent(db, { type: "account.deleted", accountId: current.account.id }),
	]);
	await env.JOBS_QUEUE.send({ type: "account.purge", accountId: current.account.id } satisfies JobMessage);
}

/** One purge step of a deleted account; queues the next until nothing is left. */
export async function runPurgeStep(ctx: DeletionContext, accountId: string): Promise<void> {
	const { db, env } = ctx;
	const [deletion] = await isAccountDeleted(db, accountId);
	if (!deletion || deletion.state === "done") return;
	const again = () => env.JOBS_QUEUE.send({ type: "account.purge", accountId } satisfies JobMessage);

	// Counters elsewhere that counted this account's follows and interactions, once, before they go.
	const [{ n: counted } = { n: 0 }] = await db.all<{ n: number }>(
		sql`select count(*) as n from follows where account_id = ${accountId} or target_account_id = ${accountId}`,
	);
	if (counted > 0) await fixCounters(db, accountId);

	const media = await db
		.select({
			id: schema.mediaAttachments.id,
			file: schema.mediaAttachments.fileKey,
			thumb: schema.mediaAttachments.thumbnailKey,
		})
		.from(schema.mediaAttachments)
		.where(eq(schema.mediaAttachments.accountId, accountId))
		.limit(MEDIA_PER_STEP);
	if (media.length > 0) {
		const keys = media.flatMap((m) => [m.file, m.thumb]).filter((key): key is string => !!key);
		if (keys.length > 0) await env.MEDIA.delete(keys);
		await db.run(
			sql`delete from media_attachments where id in (select value from json_each(${JSON.stringify(media.map((m) => m.id))}))`,
		);
		await again();
		return;
	}

	const posts = await db.all<{ id: string }>(
		sql`select id from statuses where account_id = ${accountId} limit ${STATUSES_PER_STEP}`,
	);
	if (posts.length > 0) {
		const ids = JSON.stringify(posts.map((p) => p.id));
		await db.batch([
			unindexAccountStatement(db, accountId),
			sqlRun(db, sql`delete from home_feed where status_id in (select value from json_each(${ids}))`),
			sqlRun(db, sql`delete from statuses where id in (select value from json_each(${ids}))`),
		]);
		await again();
		return;
	}

	const statements = accountColumns().map(({ table, column, key }) => {
		const keys =
			key.length > 0
				? sql.join(
						key.map((name) => sql.identifier(name)),
						sql`, `,
					)
				: sql`rowid`;
		return sqlRun(
			db,
			sql`delete from ${sql.identifier(table)} where (${keys}) in (select ${keys} from ${sql.identifier(table)}
				where ${sql.identifier(column)} = ${accountId} limit ${ROWS_PER_STATEMENT})`,
		);
	});
	const results = (await db.batch(statements as [ReturnType<typeof sqlRun>, ...ReturnType<typeof sqlRun>[]])) as {
		meta?: { changes?: number };
	}[];
	const left = results.some((result) => (result.meta?.changes ?? 0) >= ROWS_PER_STATEMENT);
	if (left) {
		await again();
		return;
	}
	const [account] = await db.select().from(accounts).where(eq(accounts.id, accountId)).limit(1);
	const profileKeys = [account?.avatarUrl, account?.headerUrl]
		.map((url) => (url ? /\/media\/((?:avatars|headers)\/.+)$/.exec(url)?.[1] : undefined))
		.filter((key): key is string => !!key);
	if (profileKeys.length > 0) await env.MEDIA.delete(profileKeys);
	await db.batch([
		db
			.update(accounts)
			.set({
				displayName: "",
				note: "",
				noteHtml: "",
				avatarUrl: null,
				headerUrl: null,
				fields: [],
				alsoKnownAs: [],
				followersCount: 0,
				followingCount: 0,
				statusesCount: 0,
				updatedAt: new Date(),
			})
			.where(eq(accounts.id, accountId)),
		db
			.update(accountDeletions)
			.set({ state: "done", finishedAt: new Date() })
			.where(eq(accountDeletions.accountId, accountId)),
	]);
}

/**
 * The counters an account's follows, favourites, boosts and replies added to
 * others, taken back before those rows go (a deleted local account here, a
 * deleted remote actor in the inbox).
 */
export function releaseCounterStatements(db: Db, id: string) {
	return [
		sqlRun(
			db,
			sql`update accounts set followers_count = max(0, followers_count - 1)
			where id in (select target_account_id from follows where account_id = ${id})`,
		),
		sqlRun(
			db,
			sql`update accounts set following_count = max(0, following_count - 1)
			where id in (select account_id from follows where target_account_id = ${id})`,
		),
		sqlRun(
			db,
			sql`update statuses set favourites_count = max(0, favourites_count - 1)
			where id in (select status_id from favourites where account_id = ${id})`,
		),
		sqlRun(
			db,
			sql`update statuses set reblogs_count = max(0, reblogs_count - 1)
			where id in (select reblog_of_id from statuses where account_id = ${id} and reblog_of_id is not null
				and deleted_at is null)`,
		),
	] as const;
}

async function fixCounters(db: Db, id: string): Promise<void> {
	await db.batch([
		...releaseCounterStatements(db, id),
		sqlRun(db, sql`delete from follows where account_id = ${id} or target_account_id = ${id}`),
	]);
}
