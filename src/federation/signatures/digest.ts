import { bytesToBase64 } from "../../lib/base64";
import { parseDictionary } from "./structured-fields";

export type Body = Uint8Array | string | undefined;

function toBytes(body: Body): Uint8Array<ArrayBuffer> {
	if (body === undefined) return new Uint8Array(0);
	if (typeof body === "string") return new TextEncoder().encode(body) as Uint8Array<ArrayBuffer>;
	return new Uint8Array(body);
}

export async function sha256Base64(body: Body): Promise<string> {
	return bytesToBase64(new Uint8Array(await crypto.subtle.digest("SHA-256", toBytes(body))));
}

/** `Digest: SHA-256=…` (RFC 3230), as draft-cavage signers send it. */
export async function digestHeader(body: Body): Promise<string> {
	return `SHA-256=${await sha256Base64(body)}`;
}

/** `Content-Digest: sha-256=:…:` (RFC 9530), as RFC 9421 signers send it. */
export async function contentDigestHeader(body: Body): Promise<string> {
	return `sha-256=:${await sha256Base64(body)}:`;
}

/**
 * Checks a `Digest` header against the body. Only SHA-256 is accepted (as on
 * Mastodon); the algorithm name is case-insensitive and other algorithms
 * offered beside it are ignored.
 */
export async function digestMatches(header: string, body: Body): Promise<boolean> {
	for (const part of header.split(",")) {
		const eq = part.indexOf("=");
		if (eq < 0) continue;
		if (part.slice(0, eq).trim().toLowerCase() !== "sha-256") continue;
		return part.slice(eq + 1).trim() === (await sha256Base64(body));
	}
	return false;
}

/** Checks a `Content-Digest` header's sha-256 member against the body. */
export async function contentDigestMatches(header: string, body: Body): Promise<boolean> {
	let member: unknown;
	try {
		member = parseDictionary(header).get("sha-256");
	} catch {
		return false;
	}
	const value = (member as { value?: unknown } | undefined)?.value;
	if (!(value instanceof Uint8Array)) return false;
	return bytesToBase64(value) === (await sha256Base64(body));
}
