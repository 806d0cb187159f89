import { base58ToBytes, bytesToBase58, bytesToBase64 } from "../base64";

export interface ExportedKeyPair {
	/** SPKI PEM for RSA; multibase Multikey (`z6Mk…`) for Ed25519. */
	publicKey: string;
	/** PKCS#8 DER bytes. */
	privateKey: Uint8Array<ArrayBuffer>;
}

function toPem(label: string, der: ArrayBuffer): string {
	const lines = bytesToBase64(new Uint8Array(der)).match(/.{1,64}/g) ?? [];
	return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** RSASSA-PKCS1-v1_5 with SHA-256: what Mastodon signs and verifies HTTP Signatures with. */
export const RSA_ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

export async function generateRsaKeyPair(): Promise<ExportedKeyPair> {
	const pair = (await crypto.subtle.generateKey(
		{ ...RSA_ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
		true,
		["sign", "verify"],
	)) as CryptoKeyPair;
	const spki = (await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer;
	const pkcs8 = (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer;
	return { publicKey: toPem("PUBLIC KEY", spki), privateKey: new Uint8Array(pkcs8) };
}

/** The multicodec prefix of an Ed25519 public key (0xed, varint-encoded). */
const ED25519_MULTICODEC = [0xed, 0x01];

export function ed25519ToMultibase(raw: Uint8Array): string {
	const bytes = new Uint8Array(ED25519_MULTICODEC.length + raw.length);
	bytes.set(ED25519_MULTICODEC);
	bytes.set(raw, ED25519_MULTICODEC.length);
	return `z${bytesToBase58(bytes)}`;
}

export function multibaseToEd25519(multibase: string): Uint8Array<ArrayBuffer> {
	if (!multibase.startsWith("z")) throw new Error("Only base58btc multibase keys are supported");
	const bytes = base58ToBytes(multibase.slice(1));
	if (bytes[0] !== ED25519_MULTICODEC[0] || bytes[1] !== ED25519_MULTICODEC[1] || bytes.length !== 34) {
		throw new Error("Not an Ed25519 multikey");
	}
	return bytes.slice(2);
}

export async function generateEd25519KeyPair(): Promise<ExportedKeyPair> {
	const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
	const raw = (await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer;
	const pkcs8 = (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer;
	return { publicKey: ed25519ToMultibase(new Uint8Array(raw)), privateKey: new Uint8Array(pkcs8) };
}

export function importRsaPrivateKey(pkcs8: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
	return crypto.subtle.importKey("pkcs8", pkcs8, RSA_ALGORITHM, false, ["sign"]);
}

export function importEd25519PrivateKey(pkcs8: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
	return crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
}
