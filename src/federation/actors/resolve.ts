import { eq } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { type Account, accounts } from "../../db/schema";
import { FetchError, fetchActivityPubDocument, outboundFetch } from "../fetch";
import { isObject } from "../parse/values";
import { ActorParseError, parseActor } from "./parse";
import { findAccountByUri, upsertRemoteAccount } from "./store";

/** Remote profiles older than this are refetched when next resolved. */
export const ACTOR_REFRESH_MS = 24 * 60 * 60 * 1000;
const JRD_ACCEPT = "application/jrd+json, application/json";
const MAX_WEBFINGER_BYTES = 64 * 1024;

export class ResolveError extends Error {}

export interface ResolveOptions {
	/** Refetch even when the stored copy is fresh (e.g. after a signature failure). */
	refresh?: boolean;
	/** The acct domain, when WebFinger on both sides confirmed it (see hostVouchesForDomain). */
	domain?: string;
}

function isLocalUri(ctx: ServiceContext, uri: string): boolean {
	return uri.startsWith(`${ctx.config.origin}/`);
}

function isFresh(account: Account): boolean {
	return account.fetchedAt !== null && Date.now() - account.fetchedAt.getTime() < ACTOR_REFRESH_MS;
}

/**
 * The account behind an actor URI: local accounts as they are, remote ones
 * from D1 while fresh (a day), otherwise fetched (signed by the instance
 * actor), parsed and stored with their keys. A failed refresh of a known
 * account returns the stored copy; an unknown one throws ResolveError.
 */
export async function resolveActorByUri(
	ctx: ServiceContext,
	uri: string,
	options: ResolveOptions = {},
): Promise<Account> {
	const existing = await findAccountByUri(ctx, uri);
	if (isLocalUri(ctx, uri)) {
		if (!existing) throw new ResolveError(`No local actor ${uri}`);
		return existing;
	}
	if (existing && !options.refresh && isFresh(existing)) return existing;
	try {
		const { document } = await fetchActivityPubDocument(ctx, uri);
		const actor = parseActor(document);
		if (isLocalUri(ctx, actor.uri)) throw new ResolveError("A remote document claims a local id");
		return await upsertRemoteAccount(ctx, actor, options.domain ?? existing?.domain ?? undefined);
	} catch (error) {
		if (existing && (error instanceof FetchError || error instanceof ActorParseError)) return existing;
		if (error instanceof FetchError || error instanceof ActorParseError) {
			throw new ResolveError(`Could not resolve ${uri}: ${error.message}`);
		}
		throw error;
	}
}

/** Splits `user@domain`, `@user@domain` or `acct:user@domain`; null when it is not of that shape. */
export function parseAcct(input: string): { username: string; domain: string } | null {
	const match = /^(?:acct:)?@?([^@\s/]+)@([^@\s/]+)$/i.exec(input.trim());
	if (!match) return null;
	return { username: match[1] as string, domain: (match[2] as string).toLowerCase() };
}

/** The ActivityPub actor URL a JRD document points to, if any. */
export function actorUrlFromJrd(jrd: unknown): string | null {
	if (!isObject(jrd) || !Array.isArray(jrd.links)) return null;
	for (const link of jrd.links) {
		if (!isObject(link) || link.rel !== "self" || typeof link.href !== "string") continue;
		const type = typeof link.type === "string" ? link.type.split(";")[0]?.trim() : "";
		if (type === "application/activity+json" || type === "application/ld+json") return link.href;
	}
	return null;
}

export interface WebfingerResult {
	subject: string | null;
	actorUrl: string;
}

/** Asks `domain` where `username`'s actor lives. */
export async function webfingerLookup(ctx: ServiceContext, username: string, domain: string): Promise<WebfingerResult> {
	const resource = `acct:${username}@${domain}`;
	// An instance served over plain http (local development) asks its peers over http too.
	const scheme = ctx.config.origin.startsWith("http:") ? "http" : "https";
	const url = `${scheme}://${domain}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`;
	let response: Awaited<ReturnType<typeof outboundFetch>>;
	try {
		response = await outboundFetch(ctx, url, {
			signAs: false,
			headers: { Accept: JRD_ACCEPT },
			maxBytes: MAX_WEBFINGER_BYTES,
		});
	} catch (error) {
		throw new ResolveError(`WebFinger for ${resource} failed: ${(error as Error).message}`);
	}
	if (response.status !== 200) throw new ResolveError(`WebFinger for ${resource} answered ${response.status}`);
	let jrd: unknown;
	try {
		jrd = JSON.parse(response.text());
	} catch {
		throw new ResolveError(`WebFinger for ${resource} returned malformed JSON`);
	}
	const href = actorUrlFromJrd(jrd);
	if (!href) throw new ResolveError(`WebFinger for ${resource} has no ActivityPub actor`);
	const subject = isObject(jrd) && typeof jrd.subject === "string" ? jrd.subject : null;
	return { subject, actorUrl: href };
}

/**
 * A handle's domain may differ from its actor's host (split-domain setups),
 * but only if the actor's host says so too: its own WebFinger must name the
 * same actor under the handle's domain. Otherwise any domain could claim
 * anyone's actor.
 */
async function hostVouchesForDomain(
	ctx: ServiceContext,
	username: string,
	domain: string,
	actorUrl: string,
): Promise<boolean> {
	const host = new URL(actorUrl).host.toLowerCase();
	if (host === domain) return true;
	try {
		const back = await webfingerLookup(ctx, username, host);
		return back.actorUrl === actorUrl && back.subject?.toLowerCase() === `acct:${username}@${domain}`.toLowerCase();
	} catch (error) {
		if (error instanceof ResolveError) return false;
		throw error;
	}
}

/**
 * Resolves `user@domain` to an account, asking the domain via WebFinger when
 * it is not known (or stale). Local handles resolve to local accounts. This is
 * what `/api/v2/search?resolve=true` and mentions of unknown accounts call.
 * Returns null when the account does not exist or cannot be reached.
 */
export async function resolveAccountByAcct(ctx: ServiceContext, acct: string): Promise<Account | null> {
	const parsed = parseAcct(acct);
	if (!parsed) return null;
	const local = parsed.domain === ctx.config.domain;
	const acctKey = `${parsed.username.toLowerCase()}@${local ? "" : parsed.domain}`;
	const rows = await ctx.db.select().from(accounts).where(eq(accounts.acctKey, acctKey)).limit(1);
	const existing = rows[0];
	if (local) return existing ?? null;
	if (existing && isFresh(existing)) return existing;
	try {
		const { actorUrl } = await webfingerLookup(ctx, parsed.username, parsed.domain);
		if (!(await hostVouchesForDomain(ctx, parsed.username, parsed.domain, actorUrl))) return existing ?? null;
		const account = await resolveActorByUri(ctx, actorUrl, { refresh: true, domain: parsed.domain });
		// The actor must be the one the handle names: a domain can delegate to another host,
		// but the actor's own username has to match.
		if (account.username.toLowerCase() !== parsed.username.toLowerCase()) return existing ?? null;
		return account;
	} catch (error) {
		if (error instanceof ResolveError) return existing ?? null;
		throw error;
	}
}

const REMOTE_ACCT = /^@?([\w.-]+)@([\w.-]+(?::\d{1,5})?)$/;

/**
 * `resolve=true` in a search: a query shaped like `user@remote.domain` is
 * looked up through WebFinger and stored, so the search that follows finds it
 * like any known account. Unreachable or unknown handles simply stay unfound.
 */
export async function resolveSearchedAcct(ctx: ServiceContext, query: string): Promise<void> {
	const match = REMOTE_ACCT.exec(query.trim());
	if (!match || match[2]?.toLowerCase() === ctx.config.domain) return;
	await resolveAccountByAcct(ctx, `${match[1]}@${match[2]}`);
}
