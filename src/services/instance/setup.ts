import { and, count, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { type InstanceConfig, REGISTRATION_MODES } from "../../config";
import type { Db } from "../../db/client";
import { instanceRules, instanceSettings, signInFailures, users } from "../../db/schema";
import { bytesToBase64Url } from "../../lib/base64";
import { sha256Hex, timingSafeEqual } from "../../lib/crypto/digest";
import { MIN_SECRET_LENGTH } from "../../lib/crypto/secret-box";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { JobMessage } from "../../queues/messages";
import { type CreatedAccount, localAccountWrites, prepareLocalAccount, takenError } from "../accounts/local-accounts";
import { forgetCachedSettings, settingsWrites } from "./settings";

/**
 * Setup in the browser: while no admin exists, whoever proves they hold the
 * deployment's KEY_ENCRYPTION_SECRET makes the first admin and the instance's
 * settings. Once it is done (or an admin was made another way) it never opens
 * again: the marker row stays even if that admin is later removed.
 */
export const SETUP_COMPLETED_KEY = "setup_completed_at";

/** Failed secret attempts allowed per client address, and from everyone together, per window. */
export const SETUP_FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const SETUP_MAX_FAILURES_PER_ADDRESS = 10;
export const SETUP_MAX_FAILURES = 50;
/** How long a proven secret lets the second step of the form be sent. */
const PROOF_LIFETIME_MS = 60 * 60 * 1000;
const MAX_RULES = 20;

export class SetupClosedError extends Error {
	constructor() {
		super("This server is already set up");
	}
}

/** Setup is closed for good once seen closed, so an isolate asks D1 only while it is open. */
const closed = new WeakSet<D1Database>();

export async function setupOpen(db: Db, binding: D1Database, now = new Date()): Promise<boolean> {
	if (closed.has(binding)) return false;
	const [marker, admins] = await db.batch([
		db
			.select({ key: instanceSettings.key })
			.from(instanceSettings)
			.where(eq(instanceSettings.key, SETUP_COMPLETED_KEY))
			.limit(1),
		db.select({ id: users.id }).from(users).where(eq(users.role, "admin")).limit(1),
	]);
	if (marker.length === 0 && admins.length === 0) return true;
	// An admin made by the CLI closes setup too; the marker keeps it closed if that admin goes.
	if (marker.length === 0) {
		await db
			.insert(instanceSettings)
			.values({ key: SETUP_COMPLETED_KEY, value: now.toISOString(), updatedAt: now })
			.onConflictDoNothing();
	}
	closed.add(binding);
	return false;
}

/** For tests that reopen setup on a cleared database. */
export function forgetSetupState(binding: D1Database): void {
	closed.delete(binding);
}

/** The example value in `.dev.vars.example` and anything short is no secret to prove or seal with. */
export function secretUsable(secret: string | undefined): secret is string {
	return typeof secret === "string" && secret.trim().length >= MIN_SECRET_LENGTH && !/^replace-with/i.test(secret);
}

export type SecretCheck = "ok" | "wrong" | "throttled" | "unusable";

async function failureKeys(address: string | null): Promise<string[]> {
	const keys = [await sha256Hex("setup:any")];
	if (address) keys.push(await sha256Hex(`setup:address:${address}`));
	return keys;
}

/**
 * Compares the secret typed into the setup page with the deployment's, in
 * constant time (both hashed first, so lengths leak nothing either), after
 * checking the failure counts; a wrong one is counted.
 */
export async function checkSetupSecret(
	db: Db,
	secret: string | undefined,
	given: string,
	address: string | null,
	now = new Date(),
): Promise<SecretCheck> {
	if (!secretUsable(secret)) return "unusable";
	const keys = await failureKeys(address);
	const since = new Date(now.getTime() - SETUP_FAILURE_WINDOW_MS);
	const rows = await db
		.select({ key: signInFailures.key, failures: count() })
		.from(signInFailures)
		.where(and(inArray(signInFailures.key, keys), gt(signInFailures.createdAt, since)))
		.groupBy(signInFailures.key);
	const failures = new Map(rows.map((row) => [row.key, row.failures]));
	const [anyKey, addressKey] = keys as [string, string | undefined];
	if ((failures.get(anyKey) ?? 0) >= SETUP_MAX_FAILURES) return "throttled";
	if (addressKey && (failures.get(addressKey) ?? 0) >= SETUP_MAX_FAILURES_PER_ADDRESS) return "throttled";
	if (timingSafeEqual(await sha256Hex(given), await sha256Hex(secret))) return "ok";
	await db.batch([
		db.insert(signInFailures).values(keys.map((key) => ({ id: newId(now), key, createdAt: now }))),
		db.delete(signInFailures).where(lt(signInFailures.createdAt, since)),
	]);
	return "wrong";
}

async function proofMac(secret: string, binding: string, expires: number): Promise<string> {
	const key = await crypto.subtle.importKey(
		"raw",
		new TextEncoder().encode(secret),
		{ name: "HMAC", hash: "SHA-256" },
		false,
		["sign"],
	);
	const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`tern-setup:${binding}:${expires}`));
	return bytesToBase64Url(new Uint8Array(mac));
}

/**
 * What the second step of the form carries instead of the secret itself: a
 * MAC under the secret over the browser's form cookie and an expiry, so it
 * is worthless in another browser or after an hour.
 */
export async function setupProof(secret: string, binding: string, now = new Date()): Promise<string> {
	const expires = now.getTime() + PROOF_LIFETIME_MS;
	return `${expires}.${await proofMac(secret, binding, expires)}`;
}

export async function setupProofValid(
	secret: string | undefined,
	binding: string | undefined,
	proof: string | undefined,
	now = new Date(),
): Promise<boolean> {
	if (!secretUsable(secret) || !binding || !proof) return false;
	const [expiresText, mac] = proof.split(".");
	const expires = Number(expiresText);
	if (!mac || !Number.isSafeInteger(expires) || expires < now.getTime()) return false;
	return timingSafeEqual(await proofMac(secret, binding, expires), mac);
}

export interface SetupInput {
	username: string;
	email: string;
	password: string;
	title: string;
	description: string;
	/** One rule per line, as typed. */
	rules: string;
	registrationMode: string;
}

function parseRules(text: string): string[] {
	const rules = text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line !== "");
	if (rules.length > MAX_RULES) throw new ValidationError("rules", `At most ${MAX_RULES} rules, one per line`);
	for (const rule of rules) {
		if (rule.length > 300) throw new ValidationError("rules", "A rule is too long (maximum is 300 characters)");
	}
	return rules;
}

/**
 * Makes the first admin and saves the instance's settings and rules in one
 * batch, with the domain `config` carries (the vars', or the address setup was
 * opened at) stored alongside. The marker row is inserted without a conflict
 * clause, so of two setups racing only one commits. The admin's keys are made
 * by the jobs queue, as for every account made in a request.
 */
export async function completeSetup(
	db: Db,
	env: Pick<Env, "DB" | "JOBS_QUEUE">,
	config: InstanceConfig,
	input: SetupInput,
	now = new Date(),
): Promise<CreatedAccount> {
	if (!(await setupOpen(db, env.DB, now))) throw new SetupClosedError();
	const title = input.title.trim();
	if (!title) throw new ValidationError("title", "The server needs a name");
	if (!(REGISTRATION_MODES as readonly string[]).includes(input.registrationMode)) {
		throw new ValidationError("registrationMode", "Registration mode must be open, approval or closed");
	}
	const rules = parseRules(input.rules);
	const prepared = await prepareLocalAccount(db, config, {
		username: input.username,
		email: input.email,
		password: input.password,
		role: "admin",
		confirmed: true,
		approved: true,
	});
	const settings = settingsWrites(
		db,
		{
			title,
			description: input.description.trim(),
			contactEmail: prepared.user.email,
			registrationMode: input.registrationMode,
		},
		now,
	);
	const [last] = await db
		.select({ position: sql<number>`coalesce(max(${instanceRules.position}), 0)` })
		.from(instanceRules);
	const firstPosition = Number(last?.position ?? 0) + 1;
	const ruleRows = rules.map((text, i) => ({
		id: newId(now),
		text,
		hint: "",
		position: firstPosition + i,
		createdAt: now,
	}));
	const { insertAccount, insertUser, rest } = localAccountWrites(db, prepared);
	let created: CreatedAccount;
	try {
		const [[account], [user]] = await db.batch([
			insertAccount,
			insertUser,
			...rest,
			...settings,
			...(ruleRows.length > 0 ? [db.insert(instanceRules).values(ruleRows)] : []),
			db.insert(instanceSettings).values({ key: SETUP_COMPLETED_KEY, value: now.toISOString(), updatedAt: now }),
		]);
		created = { account, user } as CreatedAccount;
	} catch (error) {
		if (/instance_settings\.key/.test(`${(error as Error)?.message} ${((error as Error)?.cause as Error)?.message}`)) {
			throw new SetupClosedError();
		}
		throw takenError(error) ?? error;
	}
	closed.add(env.DB);
	forgetCachedSettings(env);
	await env.JOBS_QUEUE.send({ type: "account.generate_keys", accountId: created.account.id } satisfies JobMessage);
	return created;
}
