/**
 * VAPID (RFC 8292): the instance proves to push services that it is the
 * server a subscription was made for, with an ES256 JWT signed by the key
 * whose public half clients got as `vapid_key` / `server_key`.
 */
import { bytesToBase64Url } from "../base64";

type Bytes = Uint8Array<ArrayBuffer>;

const ECDSA_P256 = { name: "ECDSA", namedCurve: "P-256" } as const;
/** Push services refuse tokens valid for more than 24 hours; Mastodon signs for 12. */
export const VAPID_TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

export interface VapidKeyPair {
	/** Uncompressed P-256 point, base64url without padding (65 bytes decoded). */
	publicKey: string;
	/** PKCS#8 DER. */
	privateKey: Bytes;
}

export async function generateVapidKeyPair(): Promise<VapidKeyPair> {
	const pair = (await crypto.subtle.generateKey(ECDSA_P256, true, ["sign", "verify"])) as CryptoKeyPair;
	const raw = (await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer;
	const pkcs8 = (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer;
	return { publicKey: bytesToBase64Url(new Uint8Array(raw)), privateKey: new Uint8Array(pkcs8) };
}

export function importVapidPrivateKey(pkcs8: Bytes): Promise<CryptoKey> {
	return crypto.subtle.importKey("pkcs8", pkcs8, ECDSA_P256, false, ["sign"]);
}

function encodeJson(value: unknown): string {
	return bytesToBase64Url(new TextEncoder().encode(JSON.stringify(value)));
}

/** An ES256 JWT for `endpoint`'s origin; WebCrypto's ECDSA output is already JOSE's r || s. */
export async function signVapidToken(
	privateKey: CryptoKey,
	endpoint: string,
	subject: string,
	now = new Date(),
): Promise<string> {
	const claims = {
		aud: new URL(endpoint).origin,
		exp: Math.floor(now.getTime() / 1000) + VAPID_TOKEN_LIFETIME_SECONDS,
		sub: subject,
	};
	const signingInput = `${encodeJson({ typ: "JWT", alg: "ES256" })}.${encodeJson(claims)}`;
	const signature = await crypto.subtle.sign(
		{ name: "ECDSA", hash: "SHA-256" },
		privateKey,
		new TextEncoder().encode(signingInput),
	);
	return `${signingInput}.${bytesToBase64Url(new Uint8Array(signature))}`;
}
