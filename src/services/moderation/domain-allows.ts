import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type DomainAllow, domainAllows } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { writeInstanceSettings } from "../instance/settings";
import { logActionStatement, type Moderator } from "./audit-log";
import type { ModerationContext } from "./context";
import { forgetDomainPolicy, normalizeDomain } from "./domain-policy";

/**
 * The allow-list of limited federation mode (Mastodon's DomainAllow): with
 * the mode on, only these domains (and their subdomains) federate at all.
 * With it off the list is kept but changes nothing.
 */
export async function listDomainAllows(db: Db): Promise<DomainAllow[]> {
	return db.select().from(domainAllows).orderBy(asc(domainAllows.domain));
}

export async function findDomainAllow(db: Db, id: string): Promise<DomainAllow | undefined> {
	const [row] = await db.select().from(domainAllows).where(eq(domainAllows.id, id)).limit(1);
	return row;
}

/** Allows a domain; allowing one already allowed returns the existing entry, as Mastodon does. */
export async function createDomainAllow(
	ctx: ModerationContext,
	moderator: Moderator,
	input: string,
): Promise<DomainAllow> {
	const domain = normalizeDomain(input);
	if (!domain) throw new ValidationError("domain", "Domain is not a valid host name");
	const [existing] = await ctx.db.select().from(domainAllows).where(eq(domainAllows.domain, domain)).limit(1);
	if (existing) return existing;
	const now = new Date();
	const allow: DomainAllow = { id: newId(now), domain, createdAt: now };
	await ctx.db.batch([
		ctx.db.insert(domainAllows).values(allow),
		logActionStatement(ctx.db, moderator, {
			action: "create",
			targetType: "DomainAllow",
			targetId: allow.id,
			humanIdentifier: domain,
		}),
	]);
	forgetDomainPolicy(ctx.env);
	return allow;
}

export async function removeDomainAllow(
	ctx: ModerationContext,
	moderator: Moderator,
	allow: DomainAllow,
): Promise<void> {
	await ctx.db.batch([
		ctx.db.delete(domainAllows).where(eq(domainAllows.id, allow.id)),
		logActionStatement(ctx.db, moderator, {
			action: "destroy",
			targetType: "DomainAllow",
			targetId: allow.id,
			humanIdentifier: allow.domain,
		}),
	]);
	forgetDomainPolicy(ctx.env);
}

/** Turns limited federation mode on or off. */
export async function setLimitedFederation(ctx: ModerationContext, moderator: Moderator, on: boolean): Promise<void> {
	await writeInstanceSettings(ctx.db, { limitedFederation: on ? "true" : "" });
	await logActionStatement(ctx.db, moderator, {
		action: "update",
		targetType: "Setting",
		targetId: "limitedFederation",
		humanIdentifier: "limited federation mode",
		note: on ? "on" : "off",
	});
	forgetDomainPolicy(ctx.env);
}
