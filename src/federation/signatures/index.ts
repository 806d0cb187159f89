/**
 * HTTP request signatures, both schemes the fediverse uses.
 *
 * Signing: `signRequest(request, key, spec)` sets the signature headers (and
 * Date/Digest or Content-Digest) on `request.headers`; `request.body` must be
 * the exact bytes that will be sent.
 *
 * Verifying is two steps so the caller can find the key in between:
 *   const check = await checkSignature(request);   // throws SignatureError
 *   const key = await lookUp(check.keyId);          // e.g. federation/actors/keys.ts
 *   if (!(await check.verify(key))) …               // false on a forged signature
 * `checkSignature` already enforced the time window, the required covered
 * components and the body digest.
 */
import { type CavageCheck, checkCavage, signCavage } from "./cavage";
import type { SigningKey, VerificationKey } from "./keys";
import type { SignableRequest } from "./request";
import { checkRfc9421, signRfc9421 } from "./rfc9421";

export type { KeyType, SigningKey, VerificationKey } from "./keys";
export { importPublicKeyPem, importVerificationKey, KeyFormatError } from "./keys";
export type { SignableRequest } from "./request";
export { SignatureError } from "./request";

export type SignatureSpec = "cavage" | "rfc9421";
export const SIGNATURE_SPECS: readonly SignatureSpec[] = ["cavage", "rfc9421"];

export interface SignatureCheck extends CavageCheck {
	spec: SignatureSpec;
}

export function otherSpec(spec: SignatureSpec): SignatureSpec {
	return spec === "cavage" ? "rfc9421" : "cavage";
}

/** Which scheme signed a request, or null when it carries no signature. */
export function signatureSpecOf(headers: Headers): SignatureSpec | null {
	if (headers.has("signature-input")) return "rfc9421";
	if (headers.has("signature")) return "cavage";
	return null;
}

export async function signRequest(
	request: SignableRequest,
	key: SigningKey,
	spec: SignatureSpec = "cavage",
	now = new Date(),
): Promise<void> {
	if (spec === "rfc9421") await signRfc9421(request, key, now);
	else await signCavage(request, key, now);
}

/** Parses and pre-checks the request's signature; throws SignatureError when it is absent or unacceptable. */
export async function checkSignature(request: SignableRequest, now = new Date()): Promise<SignatureCheck> {
	const spec = signatureSpecOf(request.headers);
	if (spec === "rfc9421") return { spec, ...(await checkRfc9421(request, now)) };
	return { spec: "cavage", ...(await checkCavage(request, now)) };
}

/** Convenience for tests and one-key callers: the whole check with a known key. */
export async function verifyWithKey(request: SignableRequest, key: VerificationKey, now = new Date()) {
	const check = await checkSignature(request, now);
	return check.keyId === key.keyId && (await check.verify(key));
}
