import type { Subscription } from "../services/streaming/streams";

/**
 * How the Worker hands an authenticated connection to an account's streaming
 * object: the request goes on to the object with this header, which the
 * Worker always sets itself (a client's own copy never gets through, and the
 * object is reachable only through the Worker's binding).
 */
const HEADER = "X-Tern-Stream-Handshake";

export interface StreamHandshake {
	accountId: string;
	tokenId: string;
	scopes: string[];
	/** Subscriptions from the URL (`?stream=`, or the SSE path), already authorized. */
	subscriptions: Subscription[];
	/** The Sec-WebSocket-Protocol value to echo when the token came that way. */
	protocol: string | null;
}

export function withHandshake(request: Request, handshake: StreamHandshake): Request {
	const headers = new Headers(request.headers);
	headers.set(HEADER, JSON.stringify(handshake));
	return new Request(request.url, { method: "GET", headers });
}

export function readHandshake(request: Request): StreamHandshake | null {
	const value = request.headers.get(HEADER);
	if (!value) return null;
	try {
		return JSON.parse(value) as StreamHandshake;
	} catch {
		return null;
	}
}
