import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { DomainBlockSeverity } from "../../db/schema";

/**
 * The instance's policy towards other servers, as every door checks it:
 * domain blocks (a subdomain follows its parent's block, as on Mastodon) and,
 * in limited federation mode, the allow-list. Read at most every 30 seconds
 * per isolate and per database, and at once after this isolate changed it,
 * so the checks at the inbox, fetch and delivery doors cost no query.
 */
export interface DomainRule {
	id: string;
	domain: string;
	severity: DomainBlockSeverity;
	rejectMedia: boolean;
	rejectReports: boolean;
	createdAt: Date;
}

export interface DomainPolicy {
	rules: ReadonlyMap<string, DomainRule>;
	allowed: ReadonlySet<string>;
	/** Limited federation mode: only allowed domains federate. */
	limited: boolean;
}

const CACHE_MS = 30_000;
const cache = new WeakMap<object, { readAt: number; policy: DomainPolicy }>();

/** The host part of an account domain or URL host: `example.com:8443` → `example.com`. */
export function hostWithoutPort(domain: string): string {
	const lowered = domain.trim().toLowerCase();
	if (lowered.startsWith("[")) return lowered.slice(0, lowered.indexOf("]") + 1);
	const colon = lowered.lastIndexOf(":");
	return colon >= 0 && /^\d+$/.test(lowered.slice(colon + 1)) ? lowered.slice(0, colon) : lowered;
}

/**
 * A domain as blocks store it: a lowercased host name in punycode, without
 * scheme, port, path or trailing dot. Null when it is not a host name.
 */
export function normalizeDomain(input: string): string | null {
	let text = input.trim().toLowerCase();
	if (!text) return null;
	text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//, "").replace(/[/?#].*$/, "");
	text = hostWithoutPort(text).replace(/\.$/, "");
	if (!text || text.length > 253 || /[\s@*]/.test(text)) return null;
	let host: string;
	try {
		host = new URL(`http://${text}`).hostname;
	} catch {
		return null;
	}
	if (!/^[a-z0-9_.-]+$/.test(host) || host.startsWith(".") || host.includes("..")) return null;
	return host;
}

/** The host and each parent domain, most specific first: `a.b.example` → a.b.example, b.example, example. */
export function domainAndParents(host: string): string[] {
	const labels = hostWithoutPort(host).split(".");
	const out: string[] = [];
	for (let i = 0; i < labels.length; i++) out.push(labels.slice(i).join("."));
	return out;
}

/** The block that applies to a host (its own or its closest parent's). */
export function ruleFor(policy: DomainPolicy, host: string): DomainRule | undefined {
	for (const candidate of domainAndParents(host)) {
		const rule = policy.rules.get(candidate);
		if (rule) return rule;
	}
	return undefined;
}

function isAllowed(policy: DomainPolicy, host: string): boolean {
	return domainAndParents(host).some((candidate) => policy.allowed.has(candidate));
}

/** Whether nothing may be received from, fetched from or delivered to this host. */
export function refusesHost(policy: DomainPolicy, host: string, localDomain?: string): boolean {
	if (localDomain && hostWithoutPort(host) === hostWithoutPort(localDomain)) return false;
	if (policy.limited && !isAllowed(policy, host)) return true;
	return ruleFor(policy, host)?.severity === "suspend";
}

/**
 * One statement, not a batch: the policy is read on the way into work that
 * saves itself with a batch (a delivery run, an inbound activity), and a
 * single read keeps it one round trip wherever it is asked.
 */
export async function readDomainPolicy(db: Db): Promise<DomainPolicy> {
	const rows = await db.all<{
		kind: "block" | "allow" | "limited";
		id: string | null;
		domain: string;
		severity: DomainBlockSeverity | null;
		rejectMedia: number | null;
		rejectReports: number | null;
		createdAt: number | null;
	}>(sql`select 'block' as kind, id, domain, severity, reject_media as rejectMedia, reject_reports as rejectReports,
			created_at as createdAt from domain_blocks
		union all select 'allow', null, domain, null, null, null, null from domain_allows
		union all select 'limited', null, value, null, null, null, null from instance_settings where key = 'limitedFederation'`);
	const rules = new Map<string, DomainRule>();
	const allowed = new Set<string>();
	let limited = false;
	for (const row of rows) {
		if (row.kind === "block") {
			rules.set(row.domain, {
				id: row.id as string,
				domain: row.domain,
				severity: row.severity as DomainBlockSeverity,
				rejectMedia: row.rejectMedia === 1,
				rejectReports: row.rejectReports === 1,
				createdAt: new Date(Number(row.createdAt)),
			});
		} else if (row.kind === "allow") allowed.add(row.domain);
		else limited = row.domain === "true";
	}
	return { rules, allowed, limited };
}

/** Where the policy is cached: the D1 binding, which outlives requests in an isolate. */
export interface PolicyContext {
	env: Partial<Pick<Env, "DB">>;
	db: Db;
}

/** The policy for this database, from the isolate's copy while it is fresh. */
export async function domainPolicy(ctx: PolicyContext, now = Date.now()): Promise<DomainPolicy> {
	const key = ctx.env.DB ?? ctx.db;
	const entry = cache.get(key);
	if (entry && now - entry.readAt <= CACHE_MS) return entry.policy;
	const policy = await readDomainPolicy(ctx.db);
	cache.set(key, { readAt: now, policy });
	return policy;
}

/** After a block, an allow or the federation mode changed here, the next check reads them again. */
export function forgetDomainPolicy(env: Partial<Pick<Env, "DB">>): void {
	if (env.DB) cache.delete(env.DB);
}

/** Whether an account on `domain` (as accounts store it) comes from a server whose media is rejected. */
export function rejectsMedia(policy: DomainPolicy, domain: string | null): boolean {
	if (domain === null) return false;
	const rule = ruleFor(policy, domain);
	return rule !== undefined && (rule.rejectMedia || rule.severity === "suspend");
}
