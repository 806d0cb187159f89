import { and, desc, eq, isNotNull, isNull, lt, or, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { inIdList } from "../../db/queries/id-list";
import { type Account, accounts, type User, users } from "../../db/schema";
import { isId } from "../../lib/ids";
import { domainInListSql } from "./domain-effects";

export interface AdminAccountRow {
	account: Account;
	user: User | null;
}

/**
 * The account filters of Mastodon's admin API, v1 and v2 alike once read:
 * where the account lives, what state it is in, who it is. Every filter
 * narrows; none given lists everyone, newest first.
 */
export interface AdminAccountFilter {
	origin?: "local" | "remote";
	status?: "active" | "pending" | "disabled" | "silenced" | "suspended" | "sensitized";
	/** Staff only (moderators and admins). */
	staff?: boolean;
	username?: string;
	displayName?: string;
	/** Accounts of this domain and its subdomains. */
	byDomain?: string;
	email?: string;
	/** SHA-256 of the sign-up address (Tern keeps no address itself). */
	ipHash?: string;
	/** Only these roles. */
	roles?: string[];
	/** A filter that can match no one here (Tern has no invites). */
	nobody?: boolean;
	maxId?: string;
	sinceId?: string;
	minId?: string;
	limit: number;
}

function like(column: SQLWrapper, text: string): SQL {
	const escaped = text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
	return sql`lower(${column}) like ${`%${escaped}%`} escape '\\'`;
}

function statusCondition(status: AdminAccountFilter["status"]): SQL | undefined {
	switch (status) {
		case "active":
			// Mastodon's "active": not suspended, and for local accounts approved and not disabled.
			return and(
				isNull(accounts.suspendedAt),
				or(isNull(users.id), and(eq(users.approved, true), eq(users.disabled, false))),
			);
		case "pending":
			return and(isNotNull(users.id), eq(users.approved, false), isNull(users.rejectedAt));
		case "disabled":
			return eq(users.disabled, true);
		case "silenced":
			return isNotNull(accounts.silencedAt);
		case "suspended":
			return isNotNull(accounts.suspendedAt);
		case "sensitized":
			return isNotNull(accounts.sensitizedAt);
		default:
			return undefined;
	}
}

export async function listAdminAccounts(db: Db, filter: AdminAccountFilter): Promise<AdminAccountRow[]> {
	const ascending = filter.minId !== undefined;
	const rows = await db
		.select({ account: accounts, user: users })
		.from(accounts)
		.leftJoin(users, eq(users.accountId, accounts.id))
		.where(
			and(
				// The instance actor is the server itself, never a member to moderate.
				sql`(${accounts.actorType} <> 'Application' or ${accounts.domain} is not null)`,
				filter.origin === "local" ? isNull(accounts.domain) : undefined,
				filter.origin === "remote" ? isNotNull(accounts.domain) : undefined,
				statusCondition(filter.status),
				filter.staff ? sql`${users.role} in ('moderator', 'admin')` : undefined,
				filter.username ? like(accounts.username, filter.username) : undefined,
				filter.displayName ? like(accounts.displayName, filter.displayName) : undefined,
				filter.byDomain ? domainInListSql(sql`${accounts.domain}`, [filter.byDomain.toLowerCase()]) : undefined,
				filter.email ? like(users.email, filter.email) : undefined,
				filter.ipHash ? eq(users.signUpAddressHash, filter.ipHash) : undefined,
				filter.roles ? sql`${users.role} in (select value from json_each(${JSON.stringify(filter.roles)}))` : undefined,
				filter.maxId ? lt(accounts.id, filter.maxId) : undefined,
				filter.minId
					? sql`${accounts.id} > ${filter.minId}`
					: filter.sinceId
						? sql`${accounts.id} > ${filter.sinceId}`
						: undefined,
			),
		)
		.orderBy(ascending ? accounts.id : desc(accounts.id))
		.limit(filter.limit);
	return ascending ? rows.reverse() : rows;
}

export async function findAdminAccount(db: Db, id: string): Promise<AdminAccountRow | undefined> {
	if (!isId(id)) return undefined;
	const [row] = await db
		.select({ account: accounts, user: users })
		.from(accounts)
		.leftJoin(users, eq(users.accountId, accounts.id))
		.where(eq(accounts.id, id))
		.limit(1);
	return row;
}

export async function loadAdminAccounts(db: Db, ids: string[]): Promise<Map<string, AdminAccountRow>> {
	const unique = [...new Set(ids)].filter(isId);
	if (unique.length === 0) return new Map();
	const rows = await db
		.select({ account: accounts, user: users })
		.from(accounts)
		.leftJoin(users, eq(users.accountId, accounts.id))
		.where(inIdList(accounts.id, unique));
	return new Map(rows.map((row) => [row.account.id, row]));
}
