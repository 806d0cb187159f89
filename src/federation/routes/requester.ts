import type { AppContext, AppRequest } from "../../http/context";
import { ApiError } from "../../http/errors";
import { type SignedBy, verifyRequestSignature } from "../actors";
import { SignatureError, signatureSpecOf } from "../signatures";

export const ACTIVITY_JSON = "application/activity+json; charset=utf-8";

/**
 * Whether the client asked for ActivityPub JSON rather than a web page.
 * Plain `application/json` counts too when HTML is not acceptable, as on Mastodon.
 */
export function wantsActivityJson(request: Request): boolean {
	const accept = request.headers.get("accept")?.toLowerCase() ?? "";
	if (accept.includes("application/activity+json") || accept.includes("application/ld+json")) return true;
	return accept.includes("application/json") && !accept.includes("text/html");
}

export function activityJson(body: unknown, init: ResponseInit = {}): Response {
	const headers = new Headers(init.headers);
	headers.set("Content-Type", ACTIVITY_JSON);
	headers.append("Vary", "Accept, Signature");
	return new Response(JSON.stringify(body), { ...init, headers });
}

/**
 * Who signed a GET, or null when it is unsigned or its signature does not
 * hold (an unverifiable signature is treated as none, as Mastodon does).
 */
export async function fetchSigner(request: AppRequest, ctx: AppContext): Promise<SignedBy | null> {
	if (!signatureSpecOf(request.headers)) return null;
	try {
		return await verifyRequestSignature(ctx, { method: request.method, url: request.url, headers: request.headers });
	} catch (error) {
		if (error instanceof SignatureError) return null;
		throw error;
	}
}

/**
 * The signer of a document fetch. With AUTHORIZED_FETCH on, an unsigned or
 * badly signed fetch is refused with 401 (any actor's valid signature,
 * instance actors included, is enough).
 */
export async function documentRequester(request: AppRequest, ctx: AppContext): Promise<SignedBy | null> {
	const signer = await fetchSigner(request, ctx);
	if (!signer && ctx.config.authorizedFetch) throw new ApiError(401, "Request not signed");
	return signer;
}
