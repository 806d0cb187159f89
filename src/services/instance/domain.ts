import { and, eq, getTableColumns, is, isNotNull, isNull, sql } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { DOMAIN_PATTERN, isPlaceholderDomain } from "../../config";
import type { Db } from "../../db/client";
import * as schema from "../../db/schema";
import { accounts, inboxActivities, instanceSettings, outboxActivities, outboxEvents } from "../../db/schema";
import { ValidationError } from "../../lib/errors";

/** The `instance_settings` key the domain is stored under (also an admin-editable setting). */
export const DOMAIN_KEY = "domain";

/**
 * The domain is part of every local handle and of every id other servers
 * store (`https://<domain>/users/alice`), so once accounts exist it cannot
 * change through settings or vars: only `tern domain set` on an instance that
 * has not federated yet moves it.
 */
export class DomainLockedError extends ValidationError {
	constructor(
		readonly stored: string,
		readonly requested: string,
	) {
		super("domain", `This server's domain is ${stored}; it cannot change to ${requested || "nothing"}`);
	}
}

export class PlaceholderDomainError extends ValidationError {
	constructor(readonly domain: string) {
		super(
			"domain",
			`${domain} is a placeholder, not this server's domain: set INSTANCE_DOMAIN to the real one, or leave it empty so setup takes the address the server is opened at`,
		);
	}
}

export interface DomainState {
	/** INSTANCE_DOMAIN as the Worker's vars set it ("" when left empty, as the Deploy button does). */
	configured: string;
	/** The domain stored in D1 when setup finished or the first account was made. */
	stored: string | undefined;
	/** What the instance serves under: the vars' domain, else the stored one; none before setup. */
	effective: string | undefined;
	/** The vars name a domain other than the one the accounts were made under. */
	conflict: boolean;
	placeholder: boolean;
}

export function domainState(env: Pick<Env, "INSTANCE_DOMAIN">, stored: string | undefined): DomainState {
	const configured = env.INSTANCE_DOMAIN?.trim().toLowerCase() ?? "";
	const effective = configured || stored;
	return {
		configured,
		stored,
		effective,
		conflict: configured !== "" && stored !== undefined && configured !== stored,
		placeholder: effective !== undefined && isPlaceholderDomain(effective),
	};
}

/** Statement reading the stored domain, for callers that batch it with their own reads. */
export function storedDomainQuery(db: Db) {
	return db
		.select({ value: instanceSettings.value })
		.from(instanceSettings)
		.where(eq(instanceSettings.key, DOMAIN_KEY))
		.limit(1);
}

/**
 * Statement storing `domain` unless one is stored already: run in the same
 * batch as the first write that puts the domain into a URI, so the domain
 * every account was made under is always on record.
 */
export function pinDomain(db: Db, domain: string, now = new Date()) {
	return db.insert(instanceSettings).values({ key: DOMAIN_KEY, value: domain, updatedAt: now }).onConflictDoNothing();
}

/** Refuses a domain that must not appear in a URI: a placeholder, or another than the stored one. */
export function checkDomainForUris(domain: string, stored: string | undefined): void {
	if (isPlaceholderDomain(domain)) throw new PlaceholderDomainError(domain);
	if (stored !== undefined && stored !== domain) throw new DomainLockedError(stored, domain);
}

/**
 * Whether other servers may know this one: a remote account was fetched, an
 * activity was received or one was sent. Only before that can the domain
 * still move without breaking anyone's follows or links.
 */
export async function hasFederated(db: Db): Promise<boolean> {
	const [remote, received, sent, pending] = await db.batch([
		db.select({ id: accounts.id }).from(accounts).where(isNotNull(accounts.domain)).limit(1),
		db.select({ uri: inboxActivities.uri }).from(inboxActivities).limit(1),
		db.select({ id: outboxActivities.id }).from(outboxActivities).limit(1),
		// An event not relayed yet is an activity about to be sent under this domain.
		db.select({ id: outboxEvents.id }).from(outboxEvents).limit(1),
	]);
	return remote.length > 0 || received.length > 0 || sent.length > 0 || pending.length > 0;
}

export interface DomainChange {
	from: string;
	to: string;
	/** Values rewritten: URIs and links under the old origin, the instance actor's name. */
	changed: number;
}

/**
 * Moves an instance that has not federated to another domain: every text
 * value starting a URL with the old origin is rewritten (ids, links inside
 * post HTML, collection URLs), the instance actor is renamed, and the new
 * domain is stored, all in one batch. Every table of the schema is covered,
 * so columns added later are too.
 */
export async function changeDomain(db: Db, scheme: "http" | "https", to: string): Promise<DomainChange> {
	const target = to.trim().toLowerCase();
	if (!DOMAIN_PATTERN.test(target)) {
		throw new ValidationError("domain", "Domain must be a host name, with a port only when it is not the default");
	}
	if (isPlaceholderDomain(target)) throw new PlaceholderDomainError(target);
	const [stored] = await storedDomainQuery(db);
	if (!stored) throw new ValidationError("domain", "This server has no domain yet: setup stores the first one");
	const from = stored.value;
	if (from === target) return { from, to: target, changed: 0 };
	if (await hasFederated(db)) {
		throw new ValidationError(
			"domain",
			`This server has already federated as ${from}: other servers keep its accounts' ids, so the domain cannot change any more`,
		);
	}
	const oldPrefix = `${scheme}://${from}/`;
	const newPrefix = `${scheme}://${target}/`;
	const now = new Date();
	const tables: SQLiteTable[] = [];
	for (const value of Object.values(schema) as unknown[]) if (is(value, SQLiteTable)) tables.push(value);
	const rewrites = tables.flatMap((table) =>
		Object.entries(getTableColumns(table))
			.filter(([, column]) => column.getSQLType() === "text" && !column.generated)
			.map(([key, column]) =>
				db
					.update(table)
					.set({ [key]: sql`replace(${column}, ${oldPrefix}, ${newPrefix})` })
					.where(sql`instr(${column}, ${oldPrefix}) > 0`),
			),
	);
	const results = await db.batch([
		// The instance actor is named after the domain (as on Mastodon).
		db
			.update(accounts)
			.set({ username: target, displayName: target, updatedAt: now })
			.where(and(isNull(accounts.domain), eq(accounts.actorType, "Application"), eq(accounts.username, from))),
		db.update(instanceSettings).set({ value: target, updatedAt: now }).where(eq(instanceSettings.key, DOMAIN_KEY)),
		...rewrites,
	]);
	// The second statement only records the new domain; the others are the rewritten values.
	const changed = results.reduce((sum: number, result, i) => (i === 1 ? sum : sum + changesOf(result)), 0);
	return { from, to: target, changed };
}

function changesOf(result: unknown): number {
	const meta = (result as { meta?: { changes?: number } } | undefined)?.meta;
	return typeof meta?.changes === "number" ? meta.changes : 0;
}
