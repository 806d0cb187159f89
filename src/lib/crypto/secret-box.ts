import { base64ToBytes, bytesToBase64 } from "../base64";

/**
 * Encrypts small secrets (account private keys) at rest with AES-256-GCM under
 * a key derived by HKDF from the instance's KEY_ENCRYPTION_SECRET. The `info`
 * label binds each ciphertext to its purpose, so a value cannot be moved to
 * another column and still decrypt. Output: `v1.<iv>.<ciphertext>` in base64.
 */
const VERSION = "v1";
export const MIN_SECRET_LENGTH = 32;

export class MissingSecretError extends Error {}

async function deriveKey(secret: string, info: string): Promise<CryptoKey> {
	if (!secret || secret.length < MIN_SECRET_LENGTH) {
		throw new MissingSecretError(`KEY_ENCRYPTION_SECRET must be set to at least ${MIN_SECRET_LENGTH} characters`);
	}
	const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, ["deriveKey"]);
	return crypto.subtle.deriveKey(
		{ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode(info) },
		base,
		{ name: "AES-GCM", length: 256 },
		false,
		["encrypt", "decrypt"],
	);
}

export async function seal(secret: string, info: string, plaintext: Uint8Array<ArrayBuffer>): Promise<string> {
	const key = await deriveKey(secret, info);
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, plaintext));
	return `${VERSION}.${bytesToBase64(iv)}.${bytesToBase64(ciphertext)}`;
}

export async function open(secret: string, info: string, sealed: string): Promise<Uint8Array<ArrayBuffer>> {
	const [version, ivText, dataText] = sealed.split(".");
	if (version !== VERSION || !ivText || !dataText) throw new Error("Unknown sealed value format");
	const key = await deriveKey(secret, info);
	const plaintext = await crypto.subtle.decrypt(
		{ name: "AES-GCM", iv: base64ToBytes(ivText) },
		key,
		base64ToBytes(dataText),
	);
	return new Uint8Array(plaintext);
}

/** A value carried between requests (work in progress), sealed as JSON. */
export function sealJson(secret: string, info: string, value: unknown): Promise<string> {
	return seal(secret, info, new Uint8Array(new TextEncoder().encode(JSON.stringify(value))));
}

/** The value `sealJson` sealed; throws on a forged, foreign or malformed token. */
export async function openJson<T>(secret: string, info: string, sealed: string): Promise<T> {
	return JSON.parse(new TextDecoder().decode(await open(secret, info, sealed))) as T;
}
