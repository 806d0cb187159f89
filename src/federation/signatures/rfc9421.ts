import { bytesToBase64 } from "../../lib/base64";
import { contentDigestHeader, contentDigestMatches } from "./digest";
import { type SigningKey, signingAlgorithm, type VerificationKey } from "./keys";
import { checkTimeWindow, isBodyMethod, type SignableRequest, SignatureError } from "./request";
import {
	type InnerList,
	isInnerList,
	type Parameters,
	parseDictionary,
	StructuredFieldError,
	serializeInnerList,
} from "./structured-fields";

/**
 * RFC 9421 HTTP Message Signatures (Signature-Input + Signature), with
 * Content-Digest (RFC 9530) over the body. Algorithms: rsa-v1_5-sha256 and
 * ed25519. Derived components: @method, @target-uri, @authority, @scheme,
 * @request-target, @path, @query; plus any header field without parameters.
 */
const ALGORITHMS: Record<string, VerificationKey["type"]> = { "rsa-v1_5-sha256": "rsa", ed25519: "ed25519" };
const encoder = new TextEncoder();

function componentValue(request: SignableRequest, name: string): string {
	const url = new URL(request.url);
	switch (name) {
		case "@method":
			return request.method.toUpperCase();
		case "@target-uri":
			return url.href;
		case "@authority":
			return url.host.toLowerCase();
		case "@scheme":
			return url.protocol.slice(0, -1).toLowerCase();
		case "@request-target":
			return `${url.pathname}${url.search}`;
		case "@path":
			return url.pathname;
		case "@query":
			return url.search || "?";
		default: {
			if (name.startsWith("@")) throw new SignatureError(`Unsupported derived component ${name}`);
			const value = request.headers.get(name);
			if (value === null) throw new SignatureError(`Signed header ${name} is missing`);
			return value.trim().replace(/\s*\r?\n\s*/g, " ");
		}
	}
}

/** The RFC 9421 signature base of `list` (exported for the RFC test vectors). */
export function signatureBase(request: SignableRequest, list: InnerList): string {
	const lines: string[] = [];
	for (const item of list.items) {
		if (typeof item.value !== "string") throw new SignatureError("Component identifiers must be strings");
		if (item.params.size > 0) throw new SignatureError("Component parameters are not supported");
		lines.push(`"${item.value}": ${componentValue(request, item.value)}`);
	}
	lines.push(`"@signature-params": ${serializeInnerList(list)}`);
	return lines.join("\n");
}

/** Signs a request in place with label `sig1`, covering method, target URI and (with a body) Content-Digest. */
export async function signRfc9421(request: SignableRequest, key: SigningKey, now = new Date()): Promise<void> {
	const components = ["@method", "@target-uri"];
	if (isBodyMethod(request.method) || request.body !== undefined) {
		request.headers.set("Content-Digest", await contentDigestHeader(request.body));
		components.push("content-digest");
	}
	const params: Parameters = new Map();
	params.set("created", Math.floor(now.getTime() / 1000));
	params.set("keyid", key.keyId);
	params.set("alg", key.type === "rsa" ? "rsa-v1_5-sha256" : "ed25519");
	const list: InnerList = { items: components.map((value) => ({ value, params: new Map() })), params };
	const base = signatureBase(request, list);
	const signature = new Uint8Array(
		await crypto.subtle.sign(signingAlgorithm(key.type), key.privateKey, encoder.encode(base)),
	);
	request.headers.set("Signature-Input", `sig1=${serializeInnerList(list)}`);
	request.headers.set("Signature", `sig1=:${bytesToBase64(signature)}:`);
}

export interface Rfc9421Check {
	keyId: string;
	verify(key: VerificationKey): Promise<boolean>;
}

/** Picks the first signature that carries a keyid and has its bytes in the Signature header. */
function pickSignature(request: SignableRequest): { list: InnerList; signature: Uint8Array<ArrayBuffer> } {
	const inputHeader = request.headers.get("signature-input");
	const signatureHeader = request.headers.get("signature");
	if (!inputHeader || !signatureHeader) throw new SignatureError("Request is not signed");
	try {
		const inputs = parseDictionary(inputHeader);
		const signatures = parseDictionary(signatureHeader);
		for (const [label, member] of inputs) {
			if (!isInnerList(member) || typeof member.params.get("keyid") !== "string") continue;
			const bytes = signatures.get(label);
			if (bytes && !isInnerList(bytes) && bytes.value instanceof Uint8Array) {
				return { list: member, signature: new Uint8Array(bytes.value) };
			}
		}
	} catch (error) {
		if (error instanceof StructuredFieldError)
			throw new SignatureError(`Malformed signature headers: ${error.message}`);
		throw error;
	}
	throw new SignatureError("Incompatible request signature. keyid and created are required");
}

/** Checks everything that does not need the key; throws SignatureError. */
export async function checkRfc9421(request: SignableRequest, now = new Date()): Promise<Rfc9421Check> {
	const { list, signature } = pickSignature(request);
	const keyId = list.params.get("keyid") as string;
	const created = list.params.get("created");
	if (typeof created !== "number") throw new SignatureError("The created parameter must be signed");
	const expires = list.params.get("expires");
	if (expires !== undefined && typeof expires !== "number") throw new SignatureError("Invalid expires parameter");
	checkTimeWindow(created * 1000, expires === undefined ? undefined : expires * 1000, now);

	const alg = list.params.get("alg");
	if (alg !== undefined && (typeof alg !== "string" || !ALGORITHMS[alg])) {
		throw new SignatureError(`Unsupported signature algorithm ${String(alg)}`);
	}
	const components = list.items.map((item) => item.value);
	const hasTarget =
		components.includes("@target-uri") || (components.includes("@authority") && components.includes("@path"));
	if (!components.includes("@method") || !hasTarget) {
		throw new SignatureError("The @method and @target-uri derived components must be signed");
	}
	if (isBodyMethod(request.method) && !components.includes("content-digest")) {
		throw new SignatureError("The Content-Digest header must be signed on requests with a body");
	}
	if (components.includes("content-digest")) {
		const digest = request.headers.get("content-digest");
		if (!digest) throw new SignatureError("Content-Digest header missing");
		if (!(await contentDigestMatches(digest, request.body))) {
			throw new SignatureError("Content-Digest does not match the body");
		}
	}
	const base = encoder.encode(signatureBase(request, list));
	return {
		keyId,
		async verify(key) {
			if (typeof alg === "string" && ALGORITHMS[alg] !== key.type) return false;
			try {
				return await crypto.subtle.verify(signingAlgorithm(key.type), key.publicKey, signature, base);
			} catch {
				return false;
			}
		},
	};
}
