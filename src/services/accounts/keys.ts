import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type AccountKeys, accountKeys, accounts } from "../../db/schema";
import { generateEd25519KeyPair, generateRsaKeyPair } from "../../lib/crypto/key-pairs";
import { seal } from "../../lib/crypto/secret-box";
import type { JobMessage } from "../../queues/messages";

/** HKDF labels: each sealed column gets its own key. */
export const SEAL_INFO = {
	rsa: "tern/account-key/rsa-private",
	ed25519: "tern/account-key/ed25519-private",
} as const;

/**
 * Generates and seals both key pairs of an account. RSA generation costs about
 * 100 ms of CPU, so the Worker only calls this from the queue consumer and the
 * cron sweep, never while answering a request; the admin CLI calls it in Node.
 */
export async function generateAccountKeys(secret: string, accountId: string): Promise<AccountKeys> {
	const [rsa, ed25519] = await Promise.all([generateRsaKeyPair(), generateEd25519KeyPair()]);
	return {
		accountId,
		rsaPublicKeyPem: rsa.publicKey,
		rsaPrivateKeySealed: await seal(secret, SEAL_INFO.rsa, rsa.privateKey),
		ed25519PublicKeyMultibase: ed25519.publicKey,
		ed25519PrivateKeySealed: await seal(secret, SEAL_INFO.ed25519, ed25519.privateKey),
		createdAt: new Date(),
	};
}

/** Creates the account's keys unless it has them; safe to run twice for one account. */
export async function ensureAccountKeys(db: Db, secret: string, accountId: string): Promise<void> {
	const existing = await db
		.select({ id: accountKeys.accountId })
		.from(accountKeys)
		.where(eq(accountKeys.accountId, accountId))
		.limit(1);
	if (existing.length > 0) return;
	await db
		.insert(accountKeys)
		.values(await generateAccountKeys(secret, accountId))
		.onConflictDoNothing();
}

const KEY_SWEEP_LIMIT = 100;

/**
 * Queues key generation again for local accounts that still have none (a
 * lost queue message, a secret set late): the cron's sweep, 100 per run.
 */
export async function queueMissingKeys(db: Db, queue: Queue): Promise<void> {
	const missing = await db
		.select({ id: accounts.id })
		.from(accounts)
		.leftJoin(accountKeys, eq(accountKeys.accountId, accounts.id))
		.where(and(isNull(accounts.domain), isNull(accountKeys.accountId)))
		.limit(KEY_SWEEP_LIMIT);
	if (missing.length === 0) return;
	await queue.sendBatch(
		missing.map(({ id }) => ({ body: { type: "account.generate_keys", accountId: id } satisfies JobMessage })),
	);
}
