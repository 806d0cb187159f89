import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { PUSH_POLICIES, type PushPolicy, type PushSubscription, pushSubscriptions } from "../../db/schema";
import { urlRefusal } from "../../federation/federator";
import { seal } from "../../lib/crypto/secret-box";
import { validatePushTarget } from "../../lib/crypto/web-push-ece";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";

/** HKDF label of the sealed access token a subscription carries. */
export const PUSH_TOKEN_SEAL_INFO = "tern/push/access-token";

/** The alert names Mastodon accepts in `data[alerts]`; the entity lists every one. */
export const PUSH_ALERT_TYPES = [
	"mention",
	"status",
	"reblog",
	"follow",
	"follow_request",
	"favourite",
	"poll",
	"update",
	"admin.sign_up",
	"admin.report",
	"quote",
	"quoted_update",
] as const;

export interface PushData {
	/** Only the alerts that were sent; the rest count as off. */
	alerts: Record<string, boolean>;
	policy: PushPolicy;
}

export interface NewPushSubscription {
	endpoint: string;
	p256dh: string;
	auth: string;
	standard: boolean;
	data: PushData;
}

export interface TokenContext {
	accountId: string;
	tokenId: string;
	/** The bearer token the request came with; sealed into the row for push payloads. */
	accessToken: string;
}

const MAX_ENDPOINT_LENGTH = 2048;

export function parsePolicy(value: string | undefined): PushPolicy {
	if (value === undefined || value === "") return "all";
	if ((PUSH_POLICIES as readonly string[]).includes(value)) return value as PushPolicy;
	throw new ValidationError("policy", `Policy must be one of ${PUSH_POLICIES.join(", ")}`);
}

/**
 * Endpoints are https URLs on public hosts. Plain http and private addresses
 * pass only where ALLOW_PRIVATE_ADDRESSES is set (local test setups); the fetch
 * module checks again on every delivery.
 */
export function checkEndpoint(endpoint: string, allowPrivateAddresses: boolean): void {
	let url: URL;
	try {
		url = new URL(endpoint);
	} catch {
		throw new ValidationError("endpoint", "Endpoint is not a valid URL");
	}
	if (endpoint.length > MAX_ENDPOINT_LENGTH) throw new ValidationError("endpoint", "Endpoint is too long");
	if (url.protocol !== "https:" && !(allowPrivateAddresses && url.protocol === "http:")) {
		throw new ValidationError("endpoint", "Endpoint must be an https URL");
	}
	const refusal = urlRefusal(url, allowPrivateAddresses);
	if (refusal) throw new ValidationError("endpoint", `Endpoint is not allowed: ${refusal}`);
}

/** Replaces the token's subscription (Mastodon keeps one per token) after checking keys and endpoint. */
export async function createPushSubscription(
	db: Db,
	options: { secret: string; allowPrivateAddresses: boolean },
	owner: TokenContext,
	input: NewPushSubscription,
): Promise<PushSubscription> {
	checkEndpoint(input.endpoint, options.allowPrivateAddresses);
	const problem = await validatePushTarget({ p256dh: input.p256dh, auth: input.auth });
	if (problem) throw new ValidationError("keys", `Invalid subscription keys: ${problem}`);
	const now = new Date();
	const row: PushSubscription = {
		id: newId(),
		accountId: owner.accountId,
		accessTokenId: owner.tokenId,
		accessTokenSealed: await seal(
			options.secret,
			PUSH_TOKEN_SEAL_INFO,
			new TextEncoder().encode(owner.accessToken) as Uint8Array<ArrayBuffer>,
		),
		endpoint: input.endpoint,
		keyP256dh: input.p256dh,
		keyAuth: input.auth,
		standard: input.standard,
		alerts: input.data.alerts,
		policy: input.data.policy,
		createdAt: now,
		updatedAt: now,
	};
	await db.batch([deleteTokenSubscriptionStatement(db, owner.tokenId), db.insert(pushSubscriptions).values(row)]);
	return row;
}

export async function findPushSubscription(db: Db, tokenId: string): Promise<PushSubscription | undefined> {
	const rows = await db.select().from(pushSubscriptions).where(eq(pushSubscriptions.accessTokenId, tokenId)).limit(1);
	return rows[0];
}

/** Replaces alerts and policy, as Mastodon does: what is not sent is reset. */
export async function updatePushSubscription(
	db: Db,
	tokenId: string,
	data: PushData,
): Promise<PushSubscription | undefined> {
	const rows = await db
		.update(pushSubscriptions)
		.set({ alerts: data.alerts, policy: data.policy, updatedAt: new Date() })
		.where(eq(pushSubscriptions.accessTokenId, tokenId))
		.returning();
	return rows[0];
}

export async function deletePushSubscription(db: Db, tokenId: string): Promise<void> {
	await deleteTokenSubscriptionStatement(db, tokenId);
}

/** The statement that ends a token's subscription, for the batches that revoke tokens. */
export function deleteTokenSubscriptionStatement(db: Db, tokenId: string) {
	return db.delete(pushSubscriptions).where(eq(pushSubscriptions.accessTokenId, tokenId));
}
