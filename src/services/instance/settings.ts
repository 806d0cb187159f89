import { inArray, sql } from "drizzle-orm";
import { DOMAIN_PATTERN, REGISTRATION_MODES } from "../../config";
import type { Db } from "../../db/client";
import { instanceSettings } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { DomainLockedError, pinDomain } from "./domain";

/**
 * What an admin can set from the browser, and the Worker var each one
 * overrides (null: stored only in D1). Stored values win over the vars,
 * except that an INSTANCE_DOMAIN set in the vars is never overridden.
 */
export const INSTANCE_SETTINGS = {
	domain: "INSTANCE_DOMAIN",
	title: "INSTANCE_TITLE",
	description: "INSTANCE_DESCRIPTION",
	contactEmail: "INSTANCE_CONTACT_EMAIL",
	registrationMode: "REGISTRATION_MODE",
	extendedDescription: null,
	privacyPolicy: null,
	/** "true": admins and moderators must turn on two-factor sign-in before doing anything else. */
	requireStaffTwoFactor: null,
	/** Who may read the domain blocks (`/api/v1/instance/domain_blocks`): disabled, users or all. */
	showDomainBlocks: null,
	/** Who may read the public comment given with each: disabled, users or all. */
	showDomainBlocksRationale: null,
	/** "true": federate only with the domains in domain_allows (Mastodon's limited federation mode). */
	limitedFederation: null,
} as const satisfies Record<string, keyof Env | null>;

export type InstanceSettingKey = keyof typeof INSTANCE_SETTINGS;
export type InstanceSettings = Partial<Record<InstanceSettingKey, string>>;

const KEYS = Object.keys(INSTANCE_SETTINGS) as InstanceSettingKey[];
const MAX_LENGTH: Record<InstanceSettingKey, number> = {
	domain: 253,
	title: 100,
	description: 500,
	contactEmail: 254,
	registrationMode: 16,
	extendedDescription: 20_000,
	privacyPolicy: 50_000,
	requireStaffTwoFactor: 5,
	showDomainBlocks: 8,
	showDomainBlocksRationale: 8,
	limitedFederation: 5,
};

/** Values a setting may take, where it is one of a few. */
const CHOICES: Partial<Record<InstanceSettingKey, readonly string[]>> = {
	registrationMode: REGISTRATION_MODES,
	showDomainBlocks: ["disabled", "users", "all"],
	showDomainBlocksRationale: ["disabled", "users", "all"],
	limitedFederation: ["true", "false"],
	requireStaffTwoFactor: ["true", "false"],
};

function isSettingKey(key: string): key is InstanceSettingKey {
	return (KEYS as string[]).includes(key);
}

export async function readInstanceSettings(db: Db): Promise<InstanceSettings> {
	const rows = await db.select().from(instanceSettings).where(inArray(instanceSettings.key, KEYS));
	const settings: InstanceSettings = {};
	for (const row of rows) if (isSettingKey(row.key)) settings[row.key] = row.value;
	return settings;
}

function checkSetting(key: InstanceSettingKey, value: string): void {
	if (value.length > MAX_LENGTH[key]) throw new ValidationError(key, `${key} is too long`);
	if (key === "registrationMode" && !REGISTRATION_MODES.includes(value as never)) {
		throw new ValidationError(key, "Registration mode must be open, approval or closed");
	}
	const choices = CHOICES[key];
	if (choices && !choices.includes(value)) {
		throw new ValidationError(key, `${key} must be one of ${choices.join(", ")}`);
	}
	if (key === "domain" && !DOMAIN_PATTERN.test(value)) {
		throw new ValidationError(key, "Domain must be a host name, with a port only when it is not the default");
	}
}

/**
 * Checks a patch of settings and returns the statements saving it, for a
 * `db.batch()` with other writes; an empty string removes a setting (the var
 * applies again). The domain is left out: it is stored with the first account
 * (services/instance/domain.ts).
 */
export function settingsWrites(db: Db, patch: Omit<InstanceSettings, "domain">, now = new Date()) {
	const entries = Object.entries(patch).filter(
		(entry): entry is [InstanceSettingKey, string] => isSettingKey(entry[0]) && entry[0] !== "domain",
	);
	for (const [key, value] of entries) if (value !== "") checkSetting(key, value);
	return entries.map(([key, value]) =>
		value === ""
			? db.delete(instanceSettings).where(sql`${instanceSettings.key} = ${key}`)
			: db
					.insert(instanceSettings)
					.values({ key, value, updatedAt: now })
					.onConflictDoUpdate({ target: instanceSettings.key, set: { value, updatedAt: now } }),
	);
}

/**
 * Saves the given settings together; an empty string removes one (the var
 * applies again). A stored domain is never replaced or removed here: accounts
 * were made under it (`tern domain set` moves an instance that has not federated).
 */
export async function writeInstanceSettings(db: Db, patch: InstanceSettings, now = new Date()): Promise<void> {
	const { domain, ...rest } = patch;
	const writes = settingsWrites(db, rest, now);
	if (domain !== undefined) {
		if (domain !== "") checkSetting("domain", domain);
		const stored = (await readInstanceSettings(db)).domain;
		if (stored !== undefined && stored !== domain) throw new DomainLockedError(stored, domain);
		if (stored === undefined && domain !== "") writes.push(pinDomain(db, domain, now));
	}
	const [first, ...others] = writes;
	if (first) await db.batch([first, ...others]);
}

/** The vars as the Worker should see them: stored settings laid over wrangler's. */
export function envWithSettings(env: Env, settings: InstanceSettings): Env {
	const overlay: Record<string, string> = {};
	for (const key of KEYS) {
		const name = INSTANCE_SETTINGS[key];
		const value = settings[key];
		if (name === null || value === undefined) continue;
		if (name === "INSTANCE_DOMAIN" && env.INSTANCE_DOMAIN?.trim()) continue;
		overlay[name] = value;
	}
	return Object.keys(overlay).length === 0 ? env : { ...env, ...overlay };
}

/** How long an isolate trusts its copy of the settings; an edit reaches other isolates within this. */
const CACHE_MS = 30_000;
const cache = new WeakMap<D1Database, { readAt: number; settings: InstanceSettings }>();

/**
 * The stored settings, read at most every 30 seconds per isolate (keyed by
 * the D1 binding, so two instances in one process never share them). Until
 * a domain is known (no INSTANCE_DOMAIN, setup not finished) they are read
 * every time, so the isolates that did not run setup see its domain at once.
 */
export async function cachedInstanceSettings(
	env: Pick<Env, "DB" | "INSTANCE_DOMAIN">,
	db: Db,
	now = Date.now(),
): Promise<InstanceSettings> {
	const entry = cache.get(env.DB);
	if (entry && now - entry.readAt <= CACHE_MS) return entry.settings;
	const settings = await readInstanceSettings(db);
	if (env.INSTANCE_DOMAIN?.trim() || settings.domain) cache.set(env.DB, { readAt: now, settings });
	return settings;
}

/** The env a request, queue batch or cron run works with: `envWithSettings` over the cached settings. */
export async function instanceEnv(env: Env, db: Db, now = Date.now()): Promise<Env> {
	return envWithSettings(env, await cachedInstanceSettings(env, db, now));
}

/** Reads the settings now (not from this isolate's copy) and keeps them as its copy. */
export async function refreshInstanceSettings(
	env: Pick<Env, "DB">,
	db: Db,
	now = Date.now(),
): Promise<InstanceSettings> {
	const settings = await readInstanceSettings(db);
	cache.set(env.DB, { readAt: now, settings });
	return settings;
}

/** After this isolate saved settings, its next request reads them again. */
export function forgetCachedSettings(env: Pick<Env, "DB">): void {
	cache.delete(env.DB);
}
