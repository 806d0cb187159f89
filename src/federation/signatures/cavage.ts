import { base64ToBytes, bytesToBase64 } from "../../lib/base64";
import { digestHeader, digestMatches } from "./digest";
import { type SigningKey, signingAlgorithm, type VerificationKey } from "./keys";
import { checkTimeWindow, isBodyMethod, requestHost, type SignableRequest, SignatureError } from "./request";

/**
 * draft-cavage-http-signatures (version 12), the scheme the fediverse has
 * used since 2018. Verification follows Mastodon's rules so that what Mastodon
 * accepts is accepted here and little else.
 */
export const CAVAGE_ALGORITHMS = ["rsa-sha256", "hs2019"] as const;

const encoder = new TextEncoder();

/** Parses `keyId="…",algorithm="…",headers="…",signature="…"` (quoted or bare values). */
export function parseCavageHeader(header: string): Map<string, string> {
	const params = new Map<string, string>();
	const pattern = /\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s"]*))\s*(?:,|$)/y;
	let match: RegExpExecArray | null = pattern.exec(header);
	let end = 0;
	while (match && match[0].length > 0) {
		const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : (match[3] ?? "");
		params.set(match[1] as string, value);
		end = pattern.lastIndex;
		match = pattern.exec(header);
	}
	if (end < header.trim().length || params.size === 0) throw new SignatureError("Error parsing signature parameters");
	return params;
}

function requestTarget(request: SignableRequest, withQuery: boolean): string {
	const url = new URL(request.url);
	return `${request.method.toLowerCase()} ${url.pathname}${withQuery ? url.search : ""}`;
}

function signingString(request: SignableRequest, headers: string[], params: Map<string, string>, withQuery = true) {
	return headers
		.map((name) => {
			switch (name) {
				case "(request-target)":
					return `(request-target): ${requestTarget(request, withQuery)}`;
				case "(created)":
				case "(expires)": {
					const value = params.get(name.slice(1, -1));
					if (!value) throw new SignatureError(`Pseudo-header ${name} used but corresponding argument missing`);
					return `${name}: ${value}`;
				}
				case "host":
					return `host: ${requestHost(request)}`;
				default: {
					const value = request.headers.get(name);
					if (value === null) throw new SignatureError(`Signed header ${name} is missing`);
					return `${name}: ${value.trim()}`;
				}
			}
		})
		.join("\n");
}

/**
 * Signs a request in place: sets Date (and Digest when there is a body) and
 * the Signature header over (request-target), host, date and digest.
 */
export async function signCavage(request: SignableRequest, key: SigningKey, now = new Date()): Promise<void> {
	request.headers.set("Date", now.toUTCString());
	const headers = ["(request-target)", "host", "date"];
	if (isBodyMethod(request.method) || request.body !== undefined) {
		request.headers.set("Digest", await digestHeader(request.body));
		headers.push("digest");
	}
	const text = signingString(request, headers, new Map());
	const signature = await crypto.subtle.sign(signingAlgorithm(key.type), key.privateKey, encoder.encode(text));
	const algorithm = key.type === "rsa" ? "rsa-sha256" : "hs2019";
	request.headers.set(
		"Signature",
		`keyId="${key.keyId}",algorithm="${algorithm}",headers="${headers.join(" ")}",signature="${bytesToBase64(new Uint8Array(signature))}"`,
	);
}

export interface CavageCheck {
	keyId: string;
	/** Verifies the signature bytes with a key; false on a mismatch or a key of the wrong kind. */
	verify(key: VerificationKey): Promise<boolean>;
}

/**
 * Everything that does not need the key: parameters, algorithm, time window,
 * which headers are covered, and the body digest. Throws SignatureError.
 */
export async function checkCavage(request: SignableRequest, now = new Date()): Promise<CavageCheck> {
	const header = request.headers.get("signature");
	if (!header) throw new SignatureError("Request is not signed");
	const params = parseCavageHeader(header);
	const keyId = params.get("keyId");
	const signatureText = params.get("signature");
	if (!keyId || !signatureText)
		throw new SignatureError("Incompatible request signature. keyId and signature are required");
	const algorithm = (params.get("algorithm") ?? "hs2019").toLowerCase();
	if (!(CAVAGE_ALGORITHMS as readonly string[]).includes(algorithm)) {
		throw new SignatureError("Unsupported signature algorithm (only rsa-sha256 and hs2019 are supported)");
	}
	const signed = (params.get("headers") ?? (algorithm === "hs2019" ? "(created)" : "date"))
		.toLowerCase()
		.split(/\s+/)
		.filter(Boolean);
	if (algorithm !== "hs2019" && (signed.includes("(created)") || signed.includes("(expires)"))) {
		throw new SignatureError("Pseudo-headers (created) and (expires) are only valid with hs2019");
	}

	let createdMs: number | undefined;
	const created = params.get("created");
	if (algorithm === "hs2019" && created) {
		createdMs = /^\d+$/.test(created) ? Number(created) * 1000 : Number.NaN;
	} else {
		const date = request.headers.get("date");
		if (date) createdMs = Date.parse(date);
	}
	const expires = params.get("expires");
	const expiresMs = expires ? (/^\d+(\.\d+)?$/.test(expires) ? Number(expires) * 1000 : Number.NaN) : undefined;
	checkTimeWindow(createdMs, expiresMs, now);

	if (!signed.includes("date") && !signed.includes("(created)")) {
		throw new SignatureError("The Date header or (created) pseudo-header must be signed");
	}
	if (!signed.includes("(request-target)") && !signed.includes("digest")) {
		throw new SignatureError("The Digest header or (request-target) pseudo-header must be signed");
	}
	const method = request.method.toUpperCase();
	if (method === "GET" && !signed.includes("host")) {
		throw new SignatureError("The Host header must be signed on GET requests");
	}
	if (method === "POST" && !signed.includes("digest")) {
		throw new SignatureError("The Digest header must be signed on POST requests");
	}
	if (signed.includes("digest")) {
		const digest = request.headers.get("digest");
		if (!digest) throw new SignatureError("Digest header missing");
		if (!(await digestMatches(digest, request.body))) throw new SignatureError("Digest does not match the body");
	}

	let signature: Uint8Array<ArrayBuffer>;
	try {
		signature = base64ToBytes(signatureText);
	} catch {
		throw new SignatureError("Signature is not valid base64");
	}
	// Built before any key is fetched so a missing header fails fast.
	const texts = [signingString(request, signed, params, true)];
	if (new URL(request.url).search) texts.push(signingString(request, signed, params, false));

	return {
		keyId,
		async verify(key) {
			if (algorithm === "rsa-sha256" && key.type !== "rsa") return false;
			for (const text of texts) {
				try {
					if (await crypto.subtle.verify(signingAlgorithm(key.type), key.publicKey, signature, encoder.encode(text))) {
						return true;
					}
				} catch {
					return false;
				}
			}
			return false;
		},
	};
}
