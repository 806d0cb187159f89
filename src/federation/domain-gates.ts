/**
 * The instance's domain blocks at each federation door, one named check per
 * door so the doors can move without the rules moving with them:
 * - fetches and WebFinger (`fetchRefusedByPolicy`, called by outboundFetch):
 *   nothing is requested from a suspended domain;
 * - the inbox (`inboxRefuses`, called by receiveActivity): activities from a
 *   suspended domain are answered 202 and dropped unread, never stored;
 * - delivery (`deliverableInboxes`, called by the outbox relay where an
 *   event becomes stored deliveries, and `refusedHosts`, called by each
 *   delivery run for what was planned before a block): no inbox on a
 *   suspended domain, and no suspended account, is sent anything;
 * - processing (`inboxRefuses` again, in dispatchActivity): an activity
 *   stored before its domain was suspended has no effect when it is
 *   processed after the 202, from the queue or by the sweep.
 * In limited federation mode, "suspended" means "not on the allow-list".
 */
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../context";
import { domainPolicy, type PolicyContext, refusesHost, ruleFor } from "../services/moderation/domain-policy";
import { type Audience, resolveInboxes } from "./delivery/recipients";
import { hostOf } from "./parse/values";

type GateContext = Pick<ServiceContext, "env" | "db" | "config">;

export async function fetchRefusedByPolicy(ctx: GateContext, host: string): Promise<boolean> {
	return refusesHost(await domainPolicy(ctx), host, ctx.config.domain);
}

export async function inboxRefuses(ctx: GateContext, actorUri: string): Promise<boolean> {
	const host = hostOf(actorUri);
	if (!host) return false;
	return refusesHost(await domainPolicy(ctx), host, ctx.config.domain);
}

export async function deliverableInboxes(ctx: GateContext, audience: Audience): Promise<string[]> {
	const policy = await domainPolicy(ctx);
	let accountIds = audience.accountIds;
	if (accountIds && accountIds.length > 0) {
		const rows = await ctx.db.all<{ id: string }>(sql`select id from accounts
			where id in (select value from json_each(${JSON.stringify(accountIds)})) and suspended_at is null`);
		accountIds = rows.map((row) => row.id);
	}
	const inboxes = await resolveInboxes(ctx.db, { ...audience, accountIds });
	return inboxes.filter((inbox) => {
		const host = hostOf(inbox);
		return host !== null && !refusesHost(policy, host, ctx.config.domain);
	});
}

/** Hosts among `hosts` that a delivery run must not send to any more (suspended since it was planned). */
export async function refusedHosts(ctx: GateContext, hosts: string[]): Promise<Set<string>> {
	const policy = await domainPolicy(ctx);
	return new Set(hosts.filter((host) => refusesHost(policy, host, ctx.config.domain)));
}

export interface StoredAccountLimits {
	/** Set on a new account from a silenced or suspended domain, with the block's own time (so lifting it undoes it). */
	limits: { silencedAt?: Date; suspendedAt?: Date; suspensionOrigin?: "local" };
	/** Avatars, headers and attachments from this domain are not shown. */
	rejectMedia: boolean;
}

/** The remote-content door: what a block means for an account (and its posts) as it is stored. */
export async function storedAccountLimits(ctx: PolicyContext, domain: string): Promise<StoredAccountLimits> {
	const rule = domain ? ruleFor(await domainPolicy(ctx), domain) : undefined;
	if (!rule) return { limits: {}, rejectMedia: false };
	const limits =
		rule.severity === "silence"
			? { silencedAt: rule.createdAt }
			: rule.severity === "suspend"
				? { suspendedAt: rule.createdAt, suspensionOrigin: "local" as const }
				: {};
	return { limits, rejectMedia: rule.rejectMedia || rule.severity === "suspend" };
}
