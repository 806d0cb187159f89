import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, accountDomainBlocks, accounts, follows } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { removeFollower, unfollow } from "./following";

const DOMAIN = /^[a-z0-9.-]+(:\d{1,5})?$/;

export function normalizeDomain(input: string): string {
	const domain = input
		.trim()
		.toLowerCase()
		.replace(/^https?:\/\//, "")
		.replace(/\/.*$/, "");
	if (!domain || !DOMAIN.test(domain)) throw new ValidationError("domain", `"${input}" is not a domain`);
	return domain;
}

/**
 * `account` hides a whole domain, as Mastodon's per-account domain block
 * does on the relationship side: it stops following that domain's accounts
 * and they stop following it. Returns false when it was already blocked.
 */
export async function blockDomain(db: Db, env: Env, account: Account, input: string): Promise<boolean> {
	const domain = normalizeDomain(input);
	const inserted = await db
		.insert(accountDomainBlocks)
		.values({ accountId: account.id, domain, createdAt: new Date() })
		.onConflictDoNothing()
		.returning({ domain: accountDomainBlocks.domain });
	const [following, followers] = await db.batch([
		db
			.select({ account: accounts })
			.from(follows)
			.innerJoin(accounts, eq(accounts.id, follows.targetAccountId))
			.where(and(eq(follows.accountId, account.id), eq(accounts.domain, domain))),
		db
			.select({ account: accounts })
			.from(follows)
			.innerJoin(accounts, eq(accounts.id, follows.accountId))
			.where(and(eq(follows.targetAccountId, account.id), eq(accounts.domain, domain))),
	]);
	for (const row of following) await unfollow(db, env, account, row.account);
	for (const row of followers) await removeFollower(db, env, account, row.account);
	return inserted.length > 0;
}

export async function unblockDomain(db: Db, account: Account, input: string): Promise<void> {
	const domain = normalizeDomain(input);
	await db
		.delete(accountDomainBlocks)
		.where(and(eq(accountDomainBlocks.accountId, account.id), eq(accountDomainBlocks.domain, domain)));
}

export async function blockedDomains(db: Db, accountId: string): Promise<string[]> {
	const rows = await db
		.select({ domain: accountDomainBlocks.domain })
		.from(accountDomainBlocks)
		.where(eq(accountDomainBlocks.accountId, accountId))
		.orderBy(asc(accountDomainBlocks.domain));
	return rows.map((row) => row.domain);
}

export async function isDomainBlocked(db: Db, accountId: string, domain: string): Promise<boolean> {
	const rows = await db.all<{ n: number }>(
		sql`select 1 as n from account_domain_blocks where account_id = ${accountId} and domain = ${domain.toLowerCase()}`,
	);
	return rows.length > 0;
}
