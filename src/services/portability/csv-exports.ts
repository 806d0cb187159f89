import { asc, desc, eq, sql } from "drizzle-orm";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import {
	type Account,
	accountDomainBlocks,
	accounts,
	blocks,
	bookmarks,
	follows,
	listAccounts,
	lists,
	mutes,
	statuses,
} from "../../db/schema";
import { formatCsv } from "./csv";

/**
 * The CSV exports of Mastodon's data page, with its file names, columns and
 * order (newest first where Mastodon orders them), so a file made here
 * imports into Mastodon and a Mastodon file imports here.
 */
export const CSV_EXPORTS = {
	follows: "following_accounts.csv",
	lists: "lists.csv",
	blocks: "blocked_accounts.csv",
	mutes: "muted_accounts.csv",
	domain_blocks: "blocked_domains.csv",
	bookmarks: "bookmarks.csv",
} as const;

export type CsvExportKind = keyof typeof CSV_EXPORTS;

export function isCsvExportKind(value: string): value is CsvExportKind {
	return Object.hasOwn(CSV_EXPORTS, value);
}

/** `user@domain` for everyone, local accounts included (Mastodon's local_username_and_domain). */
export function acctOf(account: Pick<Account, "username" | "domain">, config: InstanceConfig): string {
	return `${account.username}@${account.domain ?? config.domain}`;
}

const bool = (value: boolean) => (value ? "true" : "false");

export async function exportCsv(
	db: Db,
	config: InstanceConfig,
	accountId: string,
	kind: CsvExportKind,
): Promise<string> {
	switch (kind) {
		case "follows": {
			const rows = await db
				.select({ account: accounts, follow: follows })
				.from(follows)
				.innerJoin(accounts, eq(accounts.id, follows.targetAccountId))
				.where(eq(follows.accountId, accountId))
				.orderBy(desc(follows.id));
			return formatCsv([
				["Account address", "Show boosts", "Notify on new posts", "Languages"],
				...rows.map(({ account, follow }) => [
					acctOf(account, config),
					bool(follow.showReblogs),
					bool(follow.notify),
					(follow.languages ?? []).join(", "),
				]),
			]);
		}
		case "lists": {
			const rows = await db
				.select({ title: lists.title, account: accounts })
				.from(lists)
				.innerJoin(listAccounts, eq(listAccounts.listId, lists.id))
				.innerJoin(accounts, eq(accounts.id, listAccounts.accountId))
				.where(eq(lists.accountId, accountId))
				.orderBy(asc(lists.id), asc(accounts.id));
			return formatCsv(rows.map((row) => [row.title, acctOf(row.account, config)]));
		}
		case "blocks": {
			const rows = await db
				.select({ account: accounts })
				.from(blocks)
				.innerJoin(accounts, eq(accounts.id, blocks.targetAccountId))
				.where(eq(blocks.accountId, accountId))
				.orderBy(desc(blocks.id));
			return formatCsv(rows.map((row) => [acctOf(row.account, config)]));
		}
		case "mutes": {
			const rows = await db
				.select({ account: accounts, hide: mutes.hideNotifications })
				.from(mutes)
				.innerJoin(accounts, eq(accounts.id, mutes.targetAccountId))
				.where(eq(mutes.accountId, accountId))
				.orderBy(desc(mutes.id));
			return formatCsv([
				["Account address", "Hide notifications"],
				...rows.map((row) => [acctOf(row.account, config), bool(row.hide)]),
			]);
		}
		case "domain_blocks": {
			const rows = await db
				.select({ domain: accountDomainBlocks.domain })
				.from(accountDomainBlocks)
				.where(eq(accountDomainBlocks.accountId, accountId))
				.orderBy(asc(accountDomainBlocks.domain));
			return formatCsv(rows.map((row) => [row.domain]));
		}
		case "bookmarks": {
			const rows = await db
				.select({ uri: statuses.uri })
				.from(bookmarks)
				.innerJoin(statuses, eq(statuses.id, bookmarks.statusId))
				.where(sql`${bookmarks.accountId} = ${accountId} and ${statuses.deletedAt} is null`)
				.orderBy(desc(bookmarks.id));
			return formatCsv(rows.map((row) => [row.uri]));
		}
	}
}

/** How many of each thing the data page shows next to its export link. */
export async function exportCounts(db: Db, accountId: string) {
	const [row] = await db.all<Record<CsvExportKind | "statuses" | "media_bytes", number>>(sql`select
		(select count(*) from follows where account_id = ${accountId}) as follows,
		(select count(*) from lists where account_id = ${accountId}) as lists,
		(select count(*) from blocks where account_id = ${accountId}) as blocks,
		(select count(*) from mutes where account_id = ${accountId}) as mutes,
		(select count(*) from account_domain_blocks where account_id = ${accountId}) as domain_blocks,
		(select count(*) from bookmarks where account_id = ${accountId}) as bookmarks,
		(select count(*) from statuses where account_id = ${accountId} and deleted_at is null) as statuses,
		(select coalesce(sum(file_size), 0) from media_attachments where account_id = ${accountId}) as media_bytes`);
	return row as Record<CsvExportKind | "statuses" | "media_bytes", number>;
}
