import type { AppContext } from "../../http/context";
import { ApiError } from "../../http/errors";
import { type SignedBy, verifyRequestSignature } from "../actors";
import type { ParsedActivity } from "../parse";
import { SignatureError } from "../signatures";

/**
 * Checks the request's HTTP signature (draft-cavage or RFC 9421) over the
 * exact bytes received and returns who signed it. A Delete of an actor whose
 * key can no longer be found (the profile is gone) is accepted and ignored,
 * as Mastodon does: there is nothing it could prove or change.
 */
export async function verifyInboxSignature(
	ctx: AppContext,
	request: Request,
	body: Uint8Array,
	activity: ParsedActivity,
): Promise<SignedBy | "ignore"> {
	try {
		return await verifyRequestSignature(ctx, {
			method: request.method,
			url: request.url,
			headers: request.headers,
			body,
		});
	} catch (error) {
		if (!(error instanceof SignatureError)) throw error;
		if (activity.type === "Delete" && activity.objectId === activity.actor) return "ignore";
		throw new ApiError(401, error.message);
	}
}
