import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { accounts, statuses } from "../../db/schema";

/**
 * What a URL typed into search names: a status or an account. Local URLs
 * (`/@user/id`, `/users/user/statuses/id`, `/@user`, `/users/user`) and
 * anything already stored are answered from D1; an unknown remote URL is
 * handed to `fetchRemote` when the caller gives one (federation fetches and
 * stores it the way the inbox stores what it receives). Whether the viewer
 * may see a status is for the caller to check, as for any other status.
 */
export type UrlTarget = { kind: "status"; id: string } | { kind: "account"; id: string };

/** Fetches an unknown remote URL and stores what it names; null when it cannot. */
export type FetchRemoteUrl = (url: string) => Promise<UrlTarget | null>;

const LOCAL_STATUS = /^\/(?:@([^/]+)|users\/([^/]+)\/statuses)\/(\d+)\/?$/;
const LOCAL_ACCOUNT = /^\/(?:@([^/]+)|users\/([^/]+))\/?$/;

async function localTarget(ctx: ServiceContext, url: URL): Promise<UrlTarget | null> {
	const path = decodeURIComponent(url.pathname);
	const status = LOCAL_STATUS.exec(path);
	if (status) {
		const username = (status[1] ?? status[2] ?? "").toLowerCase();
		const rows = await ctx.db
			.select({ id: statuses.id })
			.from(statuses)
			.innerJoin(accounts, eq(accounts.id, statuses.accountId))
			.where(
				and(
					eq(statuses.id, status[3] as string),
					isNull(statuses.deletedAt),
					isNull(statuses.reblogOfId),
					isNull(accounts.domain),
					sql`lower(${accounts.username}) = ${username}`,
				),
			)
			.limit(1);
		return rows[0] ? { kind: "status", id: rows[0].id } : null;
	}
	const account = LOCAL_ACCOUNT.exec(path);
	if (account) {
		const acctKey = `${(account[1] ?? account[2] ?? "").toLowerCase()}@`;
		const rows = await ctx.db
			.select({ id: accounts.id })
			.from(accounts)
			.where(and(eq(accounts.acctKey, acctKey), isNull(accounts.suspendedAt)))
			.limit(1);
		return rows[0] ? { kind: "account", id: rows[0].id } : null;
	}
	return null;
}

/** A stored status or account with this id or URL. */
export async function storedTarget(ctx: ServiceContext, url: string): Promise<UrlTarget | null> {
	const [foundStatuses, foundAccounts] = await ctx.db.batch([
		ctx.db
			.select({ id: statuses.id })
			.from(statuses)
			.where(
				and(isNull(statuses.deletedAt), isNull(statuses.reblogOfId), or(eq(statuses.uri, url), eq(statuses.url, url))),
			)
			.limit(1),
		ctx.db
			.select({ id: accounts.id })
			.from(accounts)
			.where(and(isNull(accounts.suspendedAt), or(eq(accounts.uri, url), eq(accounts.url, url))))
			.limit(1),
	]);
	if (foundStatuses[0]) return { kind: "status", id: foundStatuses[0].id };
	if (foundAccounts[0]) return { kind: "account", id: foundAccounts[0].id };
	return null;
}

export async function lookUpUrl(
	ctx: ServiceContext,
	input: string,
	fetchRemote?: FetchRemoteUrl,
): Promise<UrlTarget | null> {
	let url: URL;
	try {
		url = new URL(input.trim());
	} catch {
		return null;
	}
	if (url.protocol !== "https:" && url.protocol !== "http:") return null;
	if (url.origin === new URL(ctx.config.origin).origin) return localTarget(ctx, url);
	const known =
		(await storedTarget(ctx, url.href)) ?? (input.trim() !== url.href ? await storedTarget(ctx, input.trim()) : null);
	if (known || !fetchRemote) return known;
	return fetchRemote(url.href);
}
