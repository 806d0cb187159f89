/**
 * The receiving side of Web Push, as a browser or a push distributor does it,
 * written apart from the server's code so round trips check one against the
 * other.
 */
import { base64UrlToBytes, bytesToBase64Url } from "../../src/lib/base64";

type Bytes = Uint8Array<ArrayBuffer>;
const P256 = { name: "ECDH", namedCurve: "P-256" } as const;
const utf8 = (text: string) => new TextEncoder().encode(text) as Bytes;

export interface PushReceiver {
	p256dh: string;
	auth: string;
	privateKey: CryptoKey;
}

export async function createPushReceiver(): Promise<PushReceiver> {
	const pair = (await crypto.subtle.generateKey(P256, true, ["deriveBits"])) as CryptoKeyPair;
	const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
	return {
		p256dh: bytesToBase64Url(raw),
		auth: bytesToBase64Url(crypto.getRandomValues(new Uint8Array(16))),
		privateKey: pair.privateKey,
	};
}

/** Imports a raw private scalar `d` with its public point, as published test vectors give them. */
export async function importEcdhPrivateKey(d: string, publicKey: string): Promise<CryptoKey> {
	const point = base64UrlToBytes(publicKey);
	const jwk = {
		kty: "EC",
		crv: "P-256",
		d,
		x: bytesToBase64Url(point.slice(1, 33)),
		y: bytesToBase64Url(point.slice(33, 65)),
	};
	return crypto.subtle.importKey("jwk", jwk, P256, false, ["deriveBits"]);
}

function join(...parts: Uint8Array[]): Bytes {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

async function derive(salt: Bytes, ikm: Bytes, info: Bytes, bytes: number): Promise<Bytes> {
	const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
	return new Uint8Array(await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, key, bytes * 8));
}

async function sharedSecret(receiver: PushReceiver, senderPublic: Bytes): Promise<Bytes> {
	const peer = await crypto.subtle.importKey("raw", senderPublic, P256, false, []);
	const algorithm = { name: "ECDH", public: peer } as unknown as SubtleCryptoDeriveKeyAlgorithm;
	return new Uint8Array(await crypto.subtle.deriveBits(algorithm, receiver.privateKey, 256));
}

async function openGcm(key: Bytes, iv: Bytes, data: Bytes): Promise<Bytes> {
	const cryptoKey = await crypto.subtle.importKey("raw", key, "AES-GCM", false, ["decrypt"]);
	return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, cryptoKey, data));
}

/** RFC 8291: the header carries salt and sender key; the record ends in a 0x02 delimiter. */
export async function decryptAes128gcm(receiver: PushReceiver, body: Bytes): Promise<string> {
	const salt = body.slice(0, 16);
	const idlen = body[20] ?? 0;
	const senderPublic = body.slice(21, 21 + idlen);
	const ciphertext = body.slice(21 + idlen);
	const receiverPublic = base64UrlToBytes(receiver.p256dh);
	const ikm = await derive(
		base64UrlToBytes(receiver.auth),
		await sharedSecret(receiver, senderPublic),
		join(utf8("WebPush: info\0"), receiverPublic, senderPublic),
		32,
	);
	const key = await derive(salt, ikm, utf8("Content-Encoding: aes128gcm\0"), 16);
	const nonce = await derive(salt, ikm, utf8("Content-Encoding: nonce\0"), 12);
	const padded = await openGcm(key, nonce, ciphertext);
	let end = padded.length - 1;
	while (end >= 0 && padded[end] === 0) end--;
	if (padded[end] !== 2) throw new Error("Missing last-record delimiter");
	return new TextDecoder().decode(padded.slice(0, end));
}

/** The draft "aesgcm" encoding: salt and sender key come from the Encryption and Crypto-Key headers. */
export async function decryptAesgcm(
	receiver: PushReceiver,
	body: Bytes,
	headers: { encryption: string; cryptoKey: string },
): Promise<string> {
	const salt = base64UrlToBytes(/salt=([^;,\s]+)/.exec(headers.encryption)?.[1] ?? "");
	const senderPublic = base64UrlToBytes(/dh=([^;,\s]+)/.exec(headers.cryptoKey)?.[1] ?? "");
	const receiverPublic = base64UrlToBytes(receiver.p256dh);
	const prk = await derive(
		base64UrlToBytes(receiver.auth),
		await sharedSecret(receiver, senderPublic),
		utf8("Content-Encoding: auth\0"),
		32,
	);
	const context = join(
		utf8("P-256\0"),
		new Uint8Array([0, receiverPublic.length]),
		receiverPublic,
		new Uint8Array([0, senderPublic.length]),
		senderPublic,
	);
	const key = await derive(salt, prk, join(utf8("Content-Encoding: aesgcm\0"), context), 16);
	const nonce = await derive(salt, prk, join(utf8("Content-Encoding: nonce\0"), context), 12);
	const padded = await openGcm(key, nonce, body);
	const padding = ((padded[0] ?? 0) << 8) | (padded[1] ?? 0);
	return new TextDecoder().decode(padded.slice(2 + padding));
}

/** Checks an ES256 JWT against a raw (base64url) P-256 public key and returns its claims. */
export async function verifyVapidJwt(jwt: string, publicKey: string): Promise<Record<string, unknown>> {
	const [header, claims, signature] = jwt.split(".");
	if (!header || !claims || !signature) throw new Error("Malformed JWT");
	const key = await crypto.subtle.importKey(
		"raw",
		base64UrlToBytes(publicKey),
		{ name: "ECDSA", namedCurve: "P-256" },
		false,
		["verify"],
	);
	const valid = await crypto.subtle.verify(
		{ name: "ECDSA", hash: "SHA-256" },
		key,
		base64UrlToBytes(signature),
		utf8(`${header}.${claims}`),
	);
	if (!valid) throw new Error("Bad JWT signature");
	const parsedHeader = JSON.parse(new TextDecoder().decode(base64UrlToBytes(header)));
	if (parsedHeader.alg !== "ES256") throw new Error("Not ES256");
	return JSON.parse(new TextDecoder().decode(base64UrlToBytes(claims)));
}
