import type { ServiceContext } from "../../context";
import type { PushSubscription } from "../../db/schema";
import { FetchError, outboundFetch } from "../../federation/federator";
import { bytesToBase64Url } from "../../lib/base64";
import { signVapidToken } from "../../lib/crypto/vapid";
import { encryptAes128gcm, encryptAesgcm } from "../../lib/crypto/web-push-ece";
import type { VapidSigner } from "./vapid-key";

/** How long a push service should hold a message for an offline device; Mastodon uses 48 hours. */
export const PUSH_TTL_SECONDS = 48 * 60 * 60;
const RESPONSE_LIMIT_BYTES = 64 * 1024;

/** `gone`: the push service no longer knows the subscription (404/410), so it is deleted. */
export type PushOutcome =
	| { kind: "delivered" }
	| { kind: "gone"; status: number }
	| { kind: "retry"; reason: string; retryAfterSeconds?: number }
	| { kind: "dropped"; reason: string };

/** RFC 8292 asks for a contact; Mastodon gives the admin e-mail, else the instance URL. */
export function vapidSubject(ctx: ServiceContext): string {
	return ctx.config.contactEmail ? `mailto:${ctx.config.contactEmail}` : ctx.config.origin;
}

/**
 * The encrypted body and headers for one subscription. Standard subscriptions
 * get RFC 8291/8292 (`aes128gcm`, `Authorization: vapid t=…,k=…`); the others
 * get what Mastodon sends by default: draft `aesgcm` with the salt and the
 * sender key in `Encryption` / `Crypto-Key`, and `Authorization: WebPush <jwt>`.
 */
export async function buildPushRequest(
	subscription: PushSubscription,
	signer: VapidSigner,
	subject: string,
	plaintext: Uint8Array<ArrayBuffer>,
): Promise<{ body: Uint8Array<ArrayBuffer>; headers: Record<string, string> }> {
	const target = { p256dh: subscription.keyP256dh, auth: subscription.keyAuth };
	const jwt = await signVapidToken(signer.privateKey, subscription.endpoint, subject);
	const common = {
		"Content-Type": "application/octet-stream",
		TTL: String(PUSH_TTL_SECONDS),
		Urgency: "normal",
	};
	if (subscription.standard) {
		return {
			body: await encryptAes128gcm(plaintext, target),
			headers: {
				...common,
				"Content-Encoding": "aes128gcm",
				Authorization: `vapid t=${jwt},k=${signer.publicKey}`,
			},
		};
	}
	const legacy = await encryptAesgcm(plaintext, target);
	return {
		body: legacy.body,
		headers: {
			...common,
			"Content-Encoding": "aesgcm",
			Encryption: `salt=${bytesToBase64Url(legacy.salt)}`,
			"Crypto-Key": `dh=${bytesToBase64Url(legacy.senderPublicKey)};p256ecdsa=${signer.publicKey}`,
			Authorization: `WebPush ${jwt}`,
		},
	};
}

function retryAfter(headers: Headers): number | undefined {
	const value = Number(headers.get("retry-after"));
	return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** POSTs one encrypted message through the fetch module (unsigned: VAPID is the authentication). */
export async function sendPush(
	ctx: ServiceContext,
	subscription: PushSubscription,
	request: { body: Uint8Array<ArrayBuffer>; headers: Record<string, string> },
): Promise<PushOutcome> {
	let status: number;
	let headers: Headers;
	try {
		const response = await outboundFetch(ctx, subscription.endpoint, {
			method: "POST",
			body: request.body,
			headers: request.headers,
			signAs: false,
			maxBytes: RESPONSE_LIMIT_BYTES,
			ignoreDomainPolicy: true,
		});
		status = response.status;
		headers = response.headers;
	} catch (error) {
		if (!(error instanceof FetchError)) throw error;
		if (error.code === "timeout" || error.code === "network") return { kind: "retry", reason: error.message };
		// The service answered with an over-long body: it took the message.
		if (error.code === "too_large") return { kind: "delivered" };
		return { kind: "dropped", reason: error.message };
	}
	if (status >= 200 && status < 300) return { kind: "delivered" };
	if (status === 404 || status === 410) return { kind: "gone", status };
	if (status === 408 || status === 429 || status >= 500) {
		return { kind: "retry", reason: `push service answered ${status}`, retryAfterSeconds: retryAfter(headers) };
	}
	return { kind: "dropped", reason: `push service answered ${status}` };
}
