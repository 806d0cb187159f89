import { anyScopeCovers } from "../lib/scopes";
import { authenticate, requireUser, type UserAuth } from "./auth";
import type { AppContext, AppRequest } from "./context";
import { forbidden } from "./errors";

/**
 * For endpoints anyone may read: null without a token, otherwise the user,
 * whose token must then carry one of `scopes` (Mastodon's authorize_if_got_token).
 */
export async function optionalUser(
	request: AppRequest,
	ctx: AppContext,
	...scopes: string[]
): Promise<UserAuth | null> {
	const auth = await authenticate(request, ctx);
	if (!auth) return null;
	if (!auth.user) {
		if (scopes.length > 0 && !anyScopeCovers(auth.scopes, scopes)) throw forbidden();
		return null;
	}
	return requireUser(request, ctx, ...scopes);
}
