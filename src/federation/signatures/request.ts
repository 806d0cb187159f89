import type { Body } from "./digest";

/** The parts of an HTTP request that signatures cover; `body` is the exact bytes sent or received. */
export interface SignableRequest {
	method: string;
	url: string;
	headers: Headers;
	body?: Body;
}

/** Why a signature was refused; the message is safe to return to the peer. */
export class SignatureError extends Error {}

/**
 * Mastodon's acceptance window (app/lib/signed_request.rb): a signature
 * without an explicit expiry lasts five minutes, none lasts more than twelve
 * hours, and an hour of clock skew is tolerated in both directions.
 */
export const DEFAULT_VALIDITY_MS = 5 * 60 * 1000;
export const MAX_VALIDITY_MS = 12 * 60 * 60 * 1000;
export const CLOCK_SKEW_MS = 60 * 60 * 1000;

export function checkTimeWindow(createdMs: number | undefined, expiresMs: number | undefined, now: Date): void {
	if (createdMs !== undefined && Number.isNaN(createdMs)) throw new SignatureError("Invalid signature creation time");
	if (expiresMs !== undefined && Number.isNaN(expiresMs)) throw new SignatureError("Invalid signature expiry time");
	let expires = expiresMs;
	if (createdMs !== undefined) {
		expires = Math.min(expires ?? createdMs + DEFAULT_VALIDITY_MS, createdMs + MAX_VALIDITY_MS);
		if (createdMs > now.getTime() + CLOCK_SKEW_MS) {
			throw new SignatureError("Signed request date outside acceptable time window");
		}
	}
	if (expires !== undefined && now.getTime() > expires + CLOCK_SKEW_MS) {
		throw new SignatureError("Signed request date outside acceptable time window");
	}
}

/** The Host a request was sent to: the header when present, else the URL's authority. */
export function requestHost(request: SignableRequest): string {
	return request.headers.get("host") ?? new URL(request.url).host;
}

export function isBodyMethod(method: string): boolean {
	const upper = method.toUpperCase();
	return upper === "POST" || upper === "PUT" || upper === "PATCH";
}
