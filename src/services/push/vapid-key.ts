import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type VapidKeyRow, vapidKeys } from "../../db/schema";
import { open, seal } from "../../lib/crypto/secret-box";
import { generateVapidKeyPair, importVapidPrivateKey } from "../../lib/crypto/vapid";

/** HKDF label of the sealed VAPID private key (see lib/crypto/secret-box.ts). */
export const VAPID_SEAL_INFO = "tern/vapid/private";
const ROW_ID = 1;

/**
 * The instance's VAPID key row, created on first use. P-256 key generation is
 * cheap, so a request may do it; two first requests racing both insert-or-ignore
 * and then read back the one row that won.
 */
async function vapidKeyRow(db: Db, secret: string): Promise<VapidKeyRow> {
	const found = await db.select().from(vapidKeys).where(eq(vapidKeys.id, ROW_ID)).limit(1);
	if (found[0]) return found[0];
	const pair = await generateVapidKeyPair();
	const row = {
		id: ROW_ID,
		publicKey: pair.publicKey,
		privateKeySealed: await seal(secret, VAPID_SEAL_INFO, pair.privateKey),
		createdAt: new Date(),
	};
	const [, stored] = await db.batch([
		db.insert(vapidKeys).values(row).onConflictDoNothing(),
		db.select().from(vapidKeys).where(eq(vapidKeys.id, ROW_ID)).limit(1),
	]);
	if (!stored[0]) throw new Error("The VAPID key could not be stored");
	return stored[0];
}

/** What clients get as `vapid_key`, `server_key` and `configuration.vapid.public_key`. */
export async function vapidPublicKey(db: Db, secret: string): Promise<string> {
	return (await vapidKeyRow(db, secret)).publicKey;
}

export interface VapidSigner {
	publicKey: string;
	privateKey: CryptoKey;
}

export async function vapidSigner(db: Db, secret: string): Promise<VapidSigner> {
	const row = await vapidKeyRow(db, secret);
	const pkcs8 = await open(secret, VAPID_SEAL_INFO, row.privateKeySealed);
	return { publicKey: row.publicKey, privateKey: await importVapidPrivateKey(pkcs8) };
}
