import { and, eq, isNull, or, sql } from "drizzle-orm";
import { accounts, statuses } from "../db/schema";
import {
	ActorParseError,
	parseActor,
	ResolveError,
	resolveActorByUri,
	upsertRemoteAccount,
} from "../federation/actors";
import type { FederationContext } from "../federation/context";
import { FetchError, fetchActivityPubDocument } from "../federation/fetch";
import { ParseError, parseObject } from "../federation/parse";
import { originOf } from "../federation/parse/values";
import type { PostingContext } from "./posting";
import { createRemoteStatus } from "./remote-statuses";

/**
 * What a URL typed into search names: a status or an account. Local URLs
 * (`/@user/id`, `/users/user/statuses/id`, `/@user`, `/users/user`) and
 * anything already stored are answered from D1; with `fetch`, an unknown
 * remote URL is fetched once (through the remote-fetch module) and stored
 * the way the inbox stores what it receives. Whether the viewer may see a
 * status is for the caller to check, as for any other status.
 */
export type UrlTarget = { kind: "status"; id: string } | { kind: "account"; id: string };

/** Federation needs (fetching) and posting needs (storing) in one; an AppContext is both. */
export type UrlLookupContext = FederationContext & PostingContext;

const LOCAL_STATUS = /^\/(?:@([^/]+)|users\/([^/]+)\/statuses)\/(\d+)\/?$/;
const LOCAL_ACCOUNT = /^\/(?:@([^/]+)|users\/([^/]+))\/?$/;

async function localTarget(ctx: UrlLookupContext, url: URL): Promise<UrlTarget | null> {
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
async function storedTarget(ctx: UrlLookupContext, url: string): Promise<UrlTarget | null> {
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

async function fetchedTarget(ctx: UrlLookupContext, url: string): Promise<UrlTarget | null> {
	const { document } = await fetchActivityPubDocument(ctx, url);
	if (document.id !== url) {
		const known = await storedTarget(ctx, document.id);
		if (known) return known;
	}
	const object = parseObject(document);
	if (object.kind === "actor") {
		const actor = parseActor(document);
		if (originOf(actor.uri) === originOf(ctx.config.origin)) return null;
		return { kind: "account", id: (await upsertRemoteAccount(ctx, actor)).id };
	}
	if (object.kind !== "post" || !object.attributedTo) return null;
	// A server speaks only for its own actors' posts.
	if (originOf(object.attributedTo) !== originOf(object.id)) return null;
	const author = await resolveActorByUri(ctx, object.attributedTo);
	if (author.domain === null || author.suspendedAt) return null;
	const status = await createRemoteStatus(ctx, author, object);
	return status.deletedAt ? null : { kind: "status", id: status.id };
}

export async function lookUpUrl(
	ctx: UrlLookupContext,
	input: string,
	options: { fetch: boolean },
): Promise<UrlTarget | null> {
	let url: URL;
	try {
		url = new URL(input.trim());
	} catch {
		return null;
	}
	if (url.protocol !== "https:" && url.protocol !== "http:") return null;
	if (url.origin === originOf(ctx.config.origin)) return localTarget(ctx, url);
	const known =
		(await storedTarget(ctx, url.href)) ?? (input.trim() !== url.href ? await storedTarget(ctx, input.trim()) : null);
	if (known || !options.fetch) return known;
	try {
		return await fetchedTarget(ctx, url.href);
	} catch (error) {
		if (
			error instanceof FetchError ||
			error instanceof ParseError ||
			error instanceof ActorParseError ||
			error instanceof ResolveError
		) {
			return null;
		}
		throw error;
	}
}
