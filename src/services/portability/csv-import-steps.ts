import { and, asc, eq, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import type { Db } from "../../db/client";
import { sqlAll, sqlRun } from "../../db/queries/raw";
import {
	type Account,
	accounts,
	type DataImport,
	dataImportRows,
	dataImports,
	lists,
	type Status,
} from "../../db/schema";
import { NotPermittedError, ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { JobMessage } from "../../queues/messages";
import { block, unblock } from "../accounts/blocks";
import { follow, unfollow } from "../accounts/following";
import { mute, unmute } from "../accounts/mutes";
import { blockDomainForMember, unblockDomainForMember } from "../moderation/member-domain-blocks";
import { bookmarkStatus } from "../statuses/interactions";
import { addListMembers } from "../timelines/lists";
import type { CsvRowData } from "./csv-import-files";

/**
 * Runs a CSV import a few rows per queue message, so each message stays
 * within a Worker's limits whatever the file's size: resolving an unknown
 * account costs WebFinger and an actor fetch. Every row is processed with
 * the same idempotent action as the API's (following again only updates
 * the options), so a retried step or a second import adds nothing.
 */

/** Rows per step: each may take a WebFinger lookup and an actor fetch plus a few queries. */
export const ROWS_PER_STEP = 5;
/** Relations removed per step in overwrite mode before the rows are read. */
export const PRUNE_PER_STEP = 20;
/** A list member whose follow waits for an Accept is looked at again this many times. */
const MAX_DEFERRALS = 20;
const DEFER_SECONDS = 15;

/** What the queue layer gives the importer: federation's lookups, which services may not call themselves. */
export interface ImportResolvers {
	/** `user@domain` (or a local name) to an account, through WebFinger when unknown; null when not found. */
	account(acct: string): Promise<Account | null>;
	/** A post by its URI or URL, fetched when unknown; null when not found. */
	status(uri: string): Promise<Status | null>;
}

type RowOutcome =
	| { state: "imported" }
	| { state: "failed" | "skipped"; reason: string }
	| { state: "deferred"; reason: string };

interface PendingRow {
	position: number;
	data: CsvRowData & { attempts?: number };
}

async function resolveTarget(
	resolvers: ImportResolvers,
	me: Account,
	acct: string,
): Promise<Account | { failed: string }> {
	const target = await resolvers.account(acct);
	if (!target) return { failed: "Account not found" };
	if (target.id === me.id) return { failed: "This is your own account" };
	if (target.suspendedAt) return { failed: "This account is suspended" };
	return target;
}

async function processRow(
	ctx: ServiceContext,
	job: DataImport,
	me: Account,
	row: PendingRow,
	resolvers: ImportResolvers,
): Promise<RowOutcome> {
	const { db, env } = ctx;
	const data = row.data;
	try {
		switch (job.type) {
			case "following": {
				const target = await resolveTarget(resolvers, me, String(data.acct));
				if ("failed" in target) return { state: "failed", reason: target.failed };
				if (target.movedToAccountId) return { state: "failed", reason: "This account has moved" };
				await follow(db, env, me, target, {
					reblogs: typeof data.show_reblogs === "boolean" ? data.show_reblogs : undefined,
					notify: typeof data.notify === "boolean" ? data.notify : undefined,
					languages: Array.isArray(data.languages) ? data.languages : undefined,
				});
				return { state: "imported" };
			}
			case "blocking": {
				const target = await resolveTarget(resolvers, me, String(data.acct));
				if ("failed" in target) return { state: "failed", reason: target.failed };
				await block(db, env, me, target);
				return { state: "imported" };
			}
			case "muting": {
				const target = await resolveTarget(resolvers, me, String(data.acct));
				if ("failed" in target) return { state: "failed", reason: target.failed };
				await mute(db, me, target, {
					notifications: typeof data.hide_notifications === "boolean" ? data.hide_notifications : true,
				});
				return { state: "imported" };
			}
			case "domain_blocking":
				await blockDomainForMember(ctx, me, String(data.domain));
				return { state: "imported" };
			case "bookmarks": {
				const status = await resolvers.status(String(data.uri));
				if (!status || status.deletedAt) return { state: "failed", reason: "Post not found" };
				await bookmarkStatus(db, me, status);
				return { state: "imported" };
			}
			case "lists":
				return await importListRow(ctx, me, data, resolvers);
			default:
				return { state: "skipped", reason: `Not a CSV import (${job.type})` };
		}
	} catch (error) {
		if (error instanceof NotPermittedError) return { state: "failed", reason: "Blocked or not allowed" };
		if (error instanceof ValidationError) return { state: "failed", reason: error.message };
		throw error;
	}
}

/** Mastodon's list import: the list is made if missing, its member followed if not yet, then added. */
async function importListRow(
	ctx: ServiceContext,
	me: Account,
	data: CsvRowData,
	resolvers: ImportResolvers,
): Promise<RowOutcome> {
	const { db, env } = ctx;
	const title = String(data.list_name ?? "").trim();
	if (!title) return { state: "failed", reason: "The list has no name" };
	const target = await resolveTarget(resolvers, me, String(data.acct));
	if ("failed" in target) return { state: "failed", reason: target.failed };
	const list = await findOrCreateList(db, me.id, title);
	const outcome = await follow(db, env, me, target);
	if (outcome === "requested") {
		return { state: "deferred", reason: "The follow request has not been accepted, so the account is not in the list" };
	}
	await addListMembers(db, list, [target.id]);
	return { state: "imported" };
}

async function findOrCreateList(db: Db, ownerId: string, title: string) {
	const [existing] = await db
		.select()
		.from(lists)
		.where(and(eq(lists.accountId, ownerId), eq(lists.title, title)))
		.orderBy(asc(lists.id))
		.limit(1);
	if (existing) return existing;
	const [created] = await db
		.insert(lists)
		.values({ id: newId(), accountId: ownerId, title, createdAt: new Date() })
		.returning();
	return created as NonNullable<typeof existing>;
}

/** Overwrite mode: what the member has that the file does not list goes, a few at a time. Returns true when done. */
async function pruneStep(ctx: ServiceContext, job: DataImport, me: Account): Promise<boolean> {
	const { db, env, config } = ctx;
	const keys = sql`select json_extract(data, '$.key') from data_import_rows where import_id = ${job.id}`;
	const acctExpr = sql`lower(a.username) || '@' || coalesce(a.domain, ${config.domain.toLowerCase()})`;
	const relation = async (table: "follows" | "blocks" | "mutes") => {
		const rows = await db.all<{ id: string }>(sql`select a.id as id from ${sql.raw(table)} r
			join accounts a on a.id = r.target_account_id
			where r.account_id = ${me.id} and ${acctExpr} not in (${keys}) limit ${PRUNE_PER_STEP}`);
		if (rows.length === 0) return [];
		return db
			.select()
			.from(accounts)
			.where(sql`id in (select value from json_each(${JSON.stringify(rows.map((r) => r.id))}))`);
	};
	switch (job.type) {
		case "following": {
			const targets = await relation("follows");
			for (const target of targets) await unfollow(db, env, me, target);
			return targets.length < PRUNE_PER_STEP;
		}
		case "blocking": {
			const targets = await relation("blocks");
			for (const target of targets) await unblock(db, env, me, target);
			return targets.length < PRUNE_PER_STEP;
		}
		case "muting": {
			const targets = await relation("mutes");
			for (const target of targets) await unmute(db, me, target);
			return targets.length < PRUNE_PER_STEP;
		}
		case "domain_blocking": {
			const rows = await db.all<{ domain: string }>(sql`select domain from account_domain_blocks
				where account_id = ${me.id} and domain not in
				(select json_extract(data, '$.domain') from data_import_rows where import_id = ${job.id})`);
			for (const row of rows) await unblockDomainForMember(ctx, me, row.domain);
			return true;
		}
		case "bookmarks":
			await db.run(sql`delete from bookmarks where account_id = ${me.id} and status_id not in
				(select s.id from statuses s where s.uri in
					(select json_extract(data, '$.uri') from data_import_rows where import_id = ${job.id}))`);
			return true;
		case "lists":
			// As Mastodon: lists the file does not name go; the others are emptied and refilled from the file.
			await db.batch([
				db.run(sql`delete from lists where account_id = ${me.id} and title not in
					(select json_extract(data, '$.list_name') from data_import_rows where import_id = ${job.id})`),
				db.run(sql`delete from list_accounts where list_id in (select id from lists where account_id = ${me.id})`),
			]);
			return true;
		default:
			return true;
	}
}

async function loadStep(db: Db, importId: string) {
	const [job] = await db.select().from(dataImports).where(eq(dataImports.id, importId)).limit(1);
	if (!job) return null;
	const [me] = await db.select().from(accounts).where(eq(accounts.id, job.accountId)).limit(1);
	return me ? { job, me } : null;
}

/** One step of a CSV import; queues the next while rows are left. */
export async function runCsvImportStep(
	ctx: ServiceContext,
	importId: string,
	resolvers: ImportResolvers,
): Promise<void> {
	const { db, env } = ctx;
	const loaded = await loadStep(db, importId);
	if (!loaded) return;
	const { job, me } = loaded;
	if (job.state !== "queued" && job.state !== "running") return;
	const next = (delaySeconds?: number) =>
		env.JOBS_QUEUE.send({ type: "import.step", importId } satisfies JobMessage, delaySeconds ? { delaySeconds } : {});

	if (job.progress.phase === "prune") {
		const pruned = await pruneStep(ctx, job, me);
		await db
			.update(dataImports)
			.set({ state: "running", progress: { phase: pruned ? "rows" : "prune" }, updatedAt: new Date() })
			.where(eq(dataImports.id, job.id));
		await next();
		return;
	}

	const pending = await db
		.select({ position: dataImportRows.position, data: dataImportRows.data })
		.from(dataImportRows)
		.where(and(eq(dataImportRows.importId, job.id), eq(dataImportRows.state, "pending")))
		.orderBy(asc(dataImportRows.position))
		.limit(ROWS_PER_STEP);
	if (pending.length === 0) {
		await db
			.update(dataImports)
			.set({ state: "done", updatedAt: new Date(), finishedAt: new Date() })
			.where(eq(dataImports.id, job.id));
		return;
	}
	let processed = 0;
	let imported = 0;
	let progressed = false;
	const writes = [];
	for (const row of pending as PendingRow[]) {
		const outcome = await processRow(ctx, job, me, row, resolvers);
		if (outcome.state === "deferred") {
			const attempts = (row.data.attempts ?? 0) + 1;
			if (attempts < MAX_DEFERRALS) {
				writes.push(
					sqlRun(
						db,
						sql`update data_import_rows set data = json_set(data, '$.attempts', ${attempts}), reason = ${outcome.reason}
						where import_id = ${job.id} and position = ${row.position}`,
					),
				);
				continue;
			}
			writes.push(rowUpdate(db, job.id, row.position, "failed", outcome.reason));
			processed++;
			progressed = true;
			continue;
		}
		progressed = true;
		processed++;
		if (outcome.state === "imported") imported++;
		writes.push(rowUpdate(db, job.id, row.position, outcome.state, "reason" in outcome ? outcome.reason : null));
	}
	writes.push(
		sqlAll(
			db,
			sql`update data_imports set state = 'running', processed_items = processed_items + ${processed},
			imported_items = imported_items + ${imported}, updated_at = ${Date.now()} where id = ${job.id} returning id`,
		),
	);
	await db.batch(writes as [ReturnType<typeof sqlRun>, ...ReturnType<typeof sqlRun>[]]);
	// Rows that only wait on a remote Accept: look again a little later rather than spin.
	await next(progressed ? undefined : DEFER_SECONDS);
}

function rowUpdate(db: Db, importId: string, position: number, state: string, reason: string | null) {
	return sqlRun(
		db,
		sql`update data_import_rows set state = ${state}, reason = ${reason}
		where import_id = ${importId} and position = ${position} and state = 'pending'`,
	);
}
