import { base64ToBytes } from "../../lib/base64";
import { multibaseToEd25519, RSA_ALGORITHM } from "../../lib/crypto/key-pairs";

export type KeyType = "rsa" | "ed25519";

/** A private key ready to sign, with the public key id peers dereference to verify. */
export interface SigningKey {
	keyId: string;
	type: KeyType;
	privateKey: CryptoKey;
}

/** A public key ready to verify, as found in (or fetched for) a keyId. */
export interface VerificationKey {
	keyId: string;
	type: KeyType;
	publicKey: CryptoKey;
}

export class KeyFormatError extends Error {}

function pemBody(pem: string): { label: string; der: Uint8Array<ArrayBuffer> } {
	const match = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(pem);
	if (!match) throw new KeyFormatError("Not a PEM document");
	return { label: match[1] as string, der: base64ToBytes((match[2] as string).replace(/\\n|\s+/g, "")) };
}

/** DER length prefix. */
function derLength(length: number): number[] {
	if (length < 0x80) return [length];
	const bytes: number[] = [];
	for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
	return [0x80 | bytes.length, ...bytes];
}

/**
 * Wraps a PKCS#1 RSAPublicKey (`BEGIN RSA PUBLIC KEY`, which a few older
 * servers publish) in the SPKI structure WebCrypto imports.
 */
function pkcs1ToSpki(pkcs1: Uint8Array): Uint8Array<ArrayBuffer> {
	const algorithm = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
	const bitString = [0x03, ...derLength(pkcs1.length + 1), 0x00];
	const inner = algorithm.length + bitString.length + pkcs1.length;
	const out = new Uint8Array([0x30, ...derLength(inner), ...algorithm, ...bitString, ...pkcs1]);
	return out;
}

/** Imports an actor's `publicKeyPem` (SPKI, or PKCS#1 for RSA). Ed25519 SPKI PEMs are accepted too. */
export async function importPublicKeyPem(pem: string): Promise<{ type: KeyType; key: CryptoKey }> {
	const { label, der } = pemBody(pem);
	const spki = label === "RSA PUBLIC KEY" ? pkcs1ToSpki(der) : der;
	if (label !== "PUBLIC KEY" && label !== "RSA PUBLIC KEY") throw new KeyFormatError(`Unsupported PEM: ${label}`);
	try {
		return { type: "rsa", key: await crypto.subtle.importKey("spki", spki, RSA_ALGORITHM, false, ["verify"]) };
	} catch {
		try {
			return {
				type: "ed25519",
				key: await crypto.subtle.importKey("spki", spki, { name: "Ed25519" }, false, ["verify"]),
			};
		} catch {
			throw new KeyFormatError("Unreadable public key");
		}
	}
}

/** Imports a Multikey `publicKeyMultibase` (Ed25519 only, as FEP-521a uses it). */
export async function importMultibaseKey(multibase: string): Promise<CryptoKey> {
	let raw: Uint8Array<ArrayBuffer>;
	try {
		raw = multibaseToEd25519(multibase);
	} catch (error) {
		throw new KeyFormatError((error as Error).message);
	}
	return crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
}

/** Turns a stored public key (PEM or multibase) into a VerificationKey. */
export async function importVerificationKey(keyId: string, material: string): Promise<VerificationKey> {
	if (material.includes("-----BEGIN")) {
		const { type, key } = await importPublicKeyPem(material);
		return { keyId, type, publicKey: key };
	}
	return { keyId, type: "ed25519", publicKey: await importMultibaseKey(material) };
}

export function signingAlgorithm(type: KeyType): { name: string; hash?: string } {
	return type === "rsa" ? RSA_ALGORITHM : { name: "Ed25519" };
}
