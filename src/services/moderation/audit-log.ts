import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import { type Account, type AdminActionLog, accounts, adminActionLogs } from "../../db/schema";
import { newId } from "../../lib/ids";

/**
 * Who takes a moderation action: a moderator's account, or the server's
 * operator at the command line (no account; the log says "CLI").
 */
export interface Moderator {
	accountId: string | null;
}

export const CLI_MODERATOR: Moderator = { accountId: null };

export interface LoggedAction {
	/** Mastodon's action names: suspend, unsuspend, silence, resolve, create, destroy, replay… */
	action: string;
	/** What it acted on: Account, User, Report, DomainBlock, DomainAllow, EmailDomainBlock, Setting, DeadLetter… */
	targetType: string;
	targetId: string | null;
	/** How the target reads to a person (a handle, a domain), kept after the target is gone. */
	humanIdentifier: string;
	/** Why: the note or text the moderator gave. */
	note?: string;
}

/** An audit log entry, as a statement to put in the batch that makes the change it records. */
export function logActionStatement(db: Db, moderator: Moderator, entry: LoggedAction, at = new Date()) {
	return db.insert(adminActionLogs).values({
		id: newId(at),
		accountId: moderator.accountId,
		action: entry.action,
		targetType: entry.targetType,
		targetId: entry.targetId,
		humanIdentifier: entry.humanIdentifier.slice(0, 500),
		note: (entry.note ?? "").slice(0, 5000),
		createdAt: at,
	});
}

/** Many entries in one statement (a whole imported blocklist), bound as one JSON parameter. */
export function logActionsStatement(db: Db, moderator: Moderator, entries: LoggedAction[], at = new Date()) {
	const rows = entries.map((entry) => ({
		id: newId(at),
		action: entry.action,
		targetType: entry.targetType,
		targetId: entry.targetId,
		humanIdentifier: entry.humanIdentifier.slice(0, 500),
		note: (entry.note ?? "").slice(0, 5000),
	}));
	return sqlRun(
		db,
		sql`insert into admin_action_logs (id, account_id, action, target_type, target_id, human_identifier, note, created_at)
		select json_extract(value, '$.id'), ${moderator.accountId}, json_extract(value, '$.action'),
			json_extract(value, '$.targetType'), json_extract(value, '$.targetId'), json_extract(value, '$.humanIdentifier'),
			json_extract(value, '$.note'), ${at.getTime()}
		from json_each(${JSON.stringify(rows)})`,
	);
}

export interface AuditLogEntry {
	log: AdminActionLog;
	moderator: Account | null;
}

/** A page of the audit log, newest first, with who acted, in one query. */
export async function listAuditLog(
	db: Db,
	options: { maxId?: string; limit: number; accountId?: string },
): Promise<AuditLogEntry[]> {
	const rows = await db
		.select({ log: adminActionLogs, moderator: accounts })
		.from(adminActionLogs)
		.leftJoin(accounts, eq(accounts.id, adminActionLogs.accountId))
		.where(
			and(
				options.maxId ? lt(adminActionLogs.id, options.maxId) : undefined,
				options.accountId ? eq(adminActionLogs.accountId, options.accountId) : undefined,
			),
		)
		.orderBy(desc(adminActionLogs.id))
		.limit(options.limit);
	return rows;
}

/** Account handle as moderators read it: `name` for local accounts, `name@domain` for remote ones. */
export function handleOf(account: Pick<Account, "username" | "domain">): string {
	return account.domain ? `${account.username}@${account.domain}` : account.username;
}

/** How many entries the log holds (the dashboard shows it). */
export async function auditLogSize(db: Db): Promise<number> {
	const [row] = await db.select({ n: sql<number>`count(*)` }).from(adminActionLogs);
	return Number(row?.n ?? 0);
}
