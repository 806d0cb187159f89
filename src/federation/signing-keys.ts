import { eq } from "drizzle-orm";
import type { ServiceContext } from "../context";
import { accountKeys, accounts } from "../db/schema";
import { importEd25519PrivateKey, importRsaPrivateKey } from "../lib/crypto/key-pairs";
import { open } from "../lib/crypto/secret-box";
import { SEAL_INFO } from "../services/accounts/keys";
import { ensureInstanceActor, instanceActorUrls } from "./instance-actor";
import type { SigningKey } from "./signatures";

/** Key ids of a local actor, as its actor document publishes them. */
export const rsaKeyId = (actorUri: string) => `${actorUri}#main-key`;
export const ed25519KeyId = (actorUri: string) => `${actorUri}#ed25519-key`;

export interface ActorSigningKeys {
	actorUri: string;
	rsa: SigningKey;
	ed25519: SigningKey;
}

async function unseal(
	ctx: ServiceContext,
	row: { uri: string; keys: typeof accountKeys.$inferSelect },
): Promise<ActorSigningKeys> {
	const secret = ctx.env.KEY_ENCRYPTION_SECRET;
	const [rsaPkcs8, edPkcs8] = await Promise.all([
		open(secret, SEAL_INFO.rsa, row.keys.rsaPrivateKeySealed),
		open(secret, SEAL_INFO.ed25519, row.keys.ed25519PrivateKeySealed),
	]);
	return {
		actorUri: row.uri,
		rsa: { keyId: rsaKeyId(row.uri), type: "rsa", privateKey: await importRsaPrivateKey(rsaPkcs8) },
		ed25519: { keyId: ed25519KeyId(row.uri), type: "ed25519", privateKey: await importEd25519PrivateKey(edPkcs8) },
	};
}

/**
 * Unsealed keys kept for a while by this isolate: unsealing costs two HKDF
 * derivations, two AES decryptions and an RSA import, and a fan-out signs
 * hundreds of requests with the same account's key. Keys are made once per
 * account and never change, so the only reason to forget one is memory.
 */
const UNSEALED_TTL_MS = 10 * 60 * 1000;
const UNSEALED_MAX = 200;
const unsealed = new Map<string, { keys: ActorSigningKeys; expires: number }>();

function remember(accountId: string, keys: ActorSigningKeys): ActorSigningKeys {
	if (unsealed.size >= UNSEALED_MAX) unsealed.delete(unsealed.keys().next().value as string);
	unsealed.set(accountId, { keys, expires: Date.now() + UNSEALED_TTL_MS });
	return keys;
}

/**
 * The signing keys of a local account, unsealed; null when the account has
 * none yet (its key job has not run). Costs one query and two AES decryptions
 * the first time in an isolate, nothing for a while after.
 */
export async function loadSigningKeys(ctx: ServiceContext, accountId: string): Promise<ActorSigningKeys | null> {
	const cached = unsealed.get(accountId);
	if (cached && cached.expires > Date.now()) return cached.keys;
	const rows = await ctx.db
		.select({ uri: accounts.uri, keys: accountKeys })
		.from(accountKeys)
		.innerJoin(accounts, eq(accounts.id, accountKeys.accountId))
		.where(eq(accountKeys.accountId, accountId))
		.limit(1);
	return rows[0] ? remember(accountId, await unseal(ctx, rows[0])) : null;
}

/**
 * The instance actor's keys (one query once they exist). Null until its key
 * job has run (queued when the actor row is created; the cron sweep re-queues
 * lost jobs): the caller then fetches unsigned rather than generating an RSA
 * key inside a request.
 */
export async function instanceSigningKeys(ctx: ServiceContext): Promise<ActorSigningKeys | null> {
	const rows = await ctx.db
		.select({ uri: accounts.uri, keys: accountKeys })
		.from(accounts)
		.innerJoin(accountKeys, eq(accountKeys.accountId, accounts.id))
		.where(eq(accounts.uri, instanceActorUrls(ctx.config).uri))
		.limit(1);
	if (rows[0]) return unseal(ctx, rows[0]);
	await ensureInstanceActor(ctx);
	return null;
}
