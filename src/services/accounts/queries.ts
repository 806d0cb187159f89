import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { inIdList } from "../../db/queries/id-list";
import { type Account, accounts, follows } from "../../db/schema";
import { isId } from "../../lib/ids";

export async function findAccount(db: Db, id: string): Promise<Account | undefined> {
	if (!isId(id)) return undefined;
	const [row] = await db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
	return row;
}

export async function findAccounts(db: Db, ids: string[]): Promise<Map<string, Account>> {
	const unique = [...new Set(ids)].filter(isId);
	if (unique.length === 0) return new Map();
	const rows = await db.select().from(accounts).where(inIdList(accounts.id, unique));
	return new Map(rows.map((row) => [row.id, row]));
}

/** `username`, `@username`, `username@domain` or `@username@domain`; this instance's domain means local. */
export function parseAcct(acct: string, config: InstanceConfig): { username: string; domain: string | null } | null {
	const match = /^@?([^@\s]+)(?:@([^@\s]+))?$/.exec(acct.trim());
	if (!match?.[1]) return null;
	const domain = match[2]?.toLowerCase() ?? null;
	return { username: match[1], domain: domain === null || domain === config.domain ? null : domain };
}

export async function findAccountByAcct(db: Db, acct: string, config: InstanceConfig): Promise<Account | undefined> {
	const parsed = parseAcct(acct, config);
	if (!parsed) return undefined;
	const key = `${parsed.username.toLowerCase()}@${parsed.domain ?? ""}`;
	const [row] = await db.select().from(accounts).where(eq(accounts.acctKey, key)).limit(1);
	return row;
}

function escapeLike(text: string): string {
	return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface AccountSearch {
	query: string;
	limit: number;
	offset: number;
	/** Only accounts this viewer follows. */
	followingOf?: string;
	/** Who searches: limited accounts they do not follow, and servers they blocked, are left out. */
	viewerId?: string | null;
}

/**
 * Known accounts (local and remote) whose username starts with the query, or
 * whose display name contains it; `user@domain` narrows to that domain.
 * Exact username matches and local accounts come first.
 */
export async function searchAccounts(db: Db, config: InstanceConfig, search: AccountSearch): Promise<Account[]> {
	const text = search.query.trim();
	// Several words can only be a display name.
	const parsed = /\s/.test(text) ? { username: text, domain: null } : parseAcct(text, config);
	if (!parsed) return [];
	const term = escapeLike(parsed.username.toLowerCase());
	const byName = sql`lower(${accounts.username}) like ${`${term}%`} escape '\\'`;
	const nameMatch = text.includes("@")
		? byName
		: or(byName, sql`lower(${accounts.displayName}) like ${`%${term}%`} escape '\\'`);
	const domainMatch = parsed.domain
		? sql`lower(${accounts.domain}) like ${`${escapeLike(parsed.domain)}%`} escape '\\'`
		: text.replace(/^@/, "").includes("@")
			? isNull(accounts.domain)
			: undefined;
	return db
		.select()
		.from(accounts)
		.where(
			and(
				nameMatch,
				domainMatch,
				isNull(accounts.suspendedAt),
				// Limited accounts are found only by their followers, as on Mastodon.
				search.viewerId
					? sql`(${accounts.silencedAt} is null or ${accounts.id} in
						(select target_account_id from follows where account_id = ${search.viewerId}))`
					: isNull(accounts.silencedAt),
				search.viewerId
					? sql`(${accounts.domain} is null or ${accounts.domain} not in
						(select domain from account_domain_blocks where account_id = ${search.viewerId}))`
					: undefined,
				search.followingOf
					? sql`${accounts.id} in (select target_account_id from follows where account_id = ${search.followingOf})`
					: undefined,
			),
		)
		.orderBy(
			sql`lower(${accounts.username}) = ${parsed.username.toLowerCase()} desc`,
			sql`${accounts.domain} is null desc`,
			sql`${accounts.followersCount} desc`,
		)
		.limit(search.limit)
		.offset(search.offset);
}

/** For each of `targetIds`, the accounts `viewerId` follows that follow it (Mastodon's familiar followers). */
export async function familiarFollowers(
	db: Db,
	viewerId: string,
	targetIds: string[],
): Promise<Map<string, Account[]>> {
	const result = new Map<string, Account[]>();
	if (targetIds.length === 0) return result;
	const rows = await db
		.select({ target: follows.targetAccountId, account: accounts })
		.from(follows)
		.innerJoin(accounts, and(eq(accounts.id, follows.accountId), isNull(accounts.suspendedAt)))
		.where(
			and(
				inIdList(follows.targetAccountId, targetIds),
				sql`${follows.accountId} in (select target_account_id from follows where account_id = ${viewerId})`,
			),
		);
	for (const row of rows) {
		const list = result.get(row.target) ?? [];
		list.push(row.account);
		result.set(row.target, list);
	}
	return result;
}
