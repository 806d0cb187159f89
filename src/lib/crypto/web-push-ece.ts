/**
 * Web Push message encryption, both encodings Mastodon clients meet:
 * - `aes128gcm` (RFC 8291 on RFC 8188), for subscriptions created with
 *   `standard: true`;
 * - `aesgcm` (draft-ietf-webpush-encryption-04), the legacy encoding Mastodon
 *   still uses by default and that Tusky, UnifiedPush distributors and the
 *   Apple relays of iOS apps decrypt. Its salt and sender key travel in the
 *   `Encryption` and `Crypto-Key` headers instead of the body.
 */
import { base64UrlToBytes } from "../base64";

type Bytes = Uint8Array<ArrayBuffer>;

const P256 = { name: "ECDH", namedCurve: "P-256" } as const;
/** One record holds the whole message: push services accept at most 4096 bytes anyway. */
const RECORD_SIZE = 4096;

export interface PushTarget {
	/** The user agent's P-256 public key, base64url (65-byte uncompressed point). */
	p256dh: string;
	/** The user agent's 16-byte auth secret, base64url. */
	auth: string;
}

export interface SenderKeys {
	/** Uncompressed point, 65 bytes. */
	publicKey: Bytes;
	privateKey: CryptoKey;
}

/** What tests pin to reproduce published vectors; normally both are fresh per message. */
export interface EncryptOptions {
	salt?: Bytes;
	senderKeys?: SenderKeys;
}

export interface LegacyEncrypted {
	body: Bytes;
	salt: Bytes;
	senderPublicKey: Bytes;
}

const encoder = new TextEncoder();
const utf8 = (text: string) => encoder.encode(text) as Bytes;

function concat(...parts: Uint8Array[]): Bytes {
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

function uint16(value: number): Bytes {
	return new Uint8Array([value >> 8, value & 0xff]);
}

async function hkdf(salt: Bytes, ikm: Bytes, info: Bytes, length: number): Promise<Bytes> {
	const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
	const bits = await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, key, length * 8);
	return new Uint8Array(bits);
}

/** Imports a subscription's public key; throws on anything but a valid P-256 point. */
export async function importReceiverKey(raw: Bytes): Promise<CryptoKey> {
	if (raw.length !== 65 || raw[0] !== 0x04) throw new Error("Not an uncompressed P-256 point");
	return crypto.subtle.importKey("raw", raw, P256, true, []);
}

export async function ecdhSecret(privateKey: CryptoKey, peer: CryptoKey): Promise<Bytes> {
	// workerd spells the reserved word `public` as `$public` in its types only.
	const algorithm = { name: "ECDH", public: peer } as unknown as SubtleCryptoDeriveKeyAlgorithm;
	return new Uint8Array(await crypto.subtle.deriveBits(algorithm, privateKey, 256));
}

export async function generateSenderKeys(): Promise<SenderKeys> {
	const pair = (await crypto.subtle.generateKey(P256, true, ["deriveBits"])) as CryptoKeyPair;
	const publicKey = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
	return { publicKey, privateKey: pair.privateKey };
}

/** Checks what Mastodon checks before saving a subscription: a usable point and a 16-byte secret. */
export async function validatePushTarget(target: PushTarget): Promise<string | null> {
	let key: Bytes;
	let auth: Bytes;
	try {
		key = base64UrlToBytes(target.p256dh);
		auth = base64UrlToBytes(target.auth);
	} catch {
		return "keys must be base64url";
	}
	if (auth.length !== 16) return "auth must be 16 bytes";
	try {
		await importReceiverKey(key);
	} catch {
		return "p256dh is not a valid P-256 public key";
	}
	return null;
}

async function aesGcm(key: Bytes, nonce: Bytes, plaintext: Bytes): Promise<Bytes> {
	const cryptoKey = await crypto.subtle.importKey("raw", key, "AES-GCM", false, ["encrypt"]);
	return new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce }, cryptoKey, plaintext));
}

async function shared(target: PushTarget, options: EncryptOptions) {
	const receiverPublic = base64UrlToBytes(target.p256dh);
	const auth = base64UrlToBytes(target.auth);
	const sender = options.senderKeys ?? (await generateSenderKeys());
	const secret = await ecdhSecret(sender.privateKey, await importReceiverKey(receiverPublic));
	const salt = options.salt ?? crypto.getRandomValues(new Uint8Array(16));
	return { receiverPublic, auth, sender, secret, salt };
}

/** RFC 8291 §3.4 / RFC 8188: one aes128gcm record with its header (salt, rs, keyid = sender key). */
export async function encryptAes128gcm(plaintext: Bytes, target: PushTarget, options: EncryptOptions = {}) {
	const { receiverPublic, auth, sender, secret, salt } = await shared(target, options);
	const keyInfo = concat(encoder.encode("WebPush: info\0"), receiverPublic, sender.publicKey);
	const ikm = await hkdf(auth, secret, keyInfo, 32);
	const cek = await hkdf(salt, ikm, utf8("Content-Encoding: aes128gcm\0"), 16);
	const nonce = await hkdf(salt, ikm, utf8("Content-Encoding: nonce\0"), 12);
	// 0x02 marks the last (and only) record; no further padding.
	const ciphertext = await aesGcm(cek, nonce, concat(plaintext, new Uint8Array([2])));
	const header = concat(
		salt,
		new Uint8Array([0, 0, RECORD_SIZE >> 8, RECORD_SIZE & 0xff]),
		new Uint8Array([sender.publicKey.length]),
		sender.publicKey,
	);
	return concat(header, ciphertext);
}

/** The draft-04 `aesgcm` encoding: two bytes of padding length (zero), then the message. */
export async function encryptAesgcm(
	plaintext: Bytes,
	target: PushTarget,
	options: EncryptOptions = {},
): Promise<LegacyEncrypted> {
	const { receiverPublic, auth, sender, secret, salt } = await shared(target, options);
	const prk = await hkdf(auth, secret, utf8("Content-Encoding: auth\0"), 32);
	const context = concat(
		encoder.encode("P-256\0"),
		uint16(receiverPublic.length),
		receiverPublic,
		uint16(sender.publicKey.length),
		sender.publicKey,
	);
	const cek = await hkdf(salt, prk, concat(encoder.encode("Content-Encoding: aesgcm\0"), context), 16);
	const nonce = await hkdf(salt, prk, concat(encoder.encode("Content-Encoding: nonce\0"), context), 12);
	const body = await aesGcm(cek, nonce, concat(new Uint8Array(2), plaintext));
	return { body, salt, senderPublicKey: sender.publicKey };
}
