import type { Account, User } from "../db/schema";
import { anyScopeCovers, parseScopes } from "../lib/scopes";
import { findActiveToken } from "../services/auth/tokens";
import type { AppContext, AppRequest } from "./context";
import { ApiError, forbidden, unauthorized } from "./errors";

export interface Auth {
	tokenId: string;
	applicationId: string | null;
	scopes: string[];
	user: User | null;
	account: Account | null;
}

export interface UserAuth extends Auth {
	user: User;
	account: Account;
}

const authCache = new WeakMap<Request, Auth | null>();

export function bearerToken(request: Request): string | undefined {
	const header = request.headers.get("Authorization");
	if (!header) return undefined;
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
	if (!match?.[1]) throw unauthorized();
	return match[1];
}

/** The request's token owner, null without a token; a bad or revoked token is a 401. */
export async function authenticate(request: AppRequest, ctx: AppContext): Promise<Auth | null> {
	if (authCache.has(request)) return authCache.get(request) ?? null;
	const token = bearerToken(request);
	let auth: Auth | null = null;
	if (token) {
		const owner = await findActiveToken(ctx.db, token);
		if (!owner) throw unauthorized();
		auth = { ...owner, scopes: parseScopes(owner.scopes) };
	}
	authCache.set(request, auth);
	return auth;
}

/** Mastodon refuses a token whose user cannot currently use the service with 403 and a reason. */
function checkUsable(user: User, account: Account): void {
	if (user.disabled || account.suspendedAt) throw new ApiError(403, "Your login is currently disabled");
	if (user.rejectedAt) throw new ApiError(403, "Your sign-up was not approved");
	if (!user.approved) throw new ApiError(403, "Your login is currently pending approval");
	if (!user.confirmedAt) throw new ApiError(403, "Your login is missing a confirmed e-mail address");
}

/** A user's token carrying at least one of `scopes`. */
export async function requireUser(request: AppRequest, ctx: AppContext, ...scopes: string[]): Promise<UserAuth> {
	const auth = await authenticate(request, ctx);
	if (!auth) throw unauthorized("The access token is invalid");
	if (!auth.user || !auth.account) throw unauthorized("This method requires an authenticated user");
	if (scopes.length > 0 && !anyScopeCovers(auth.scopes, scopes)) throw forbidden();
	checkUsable(auth.user, auth.account);
	return auth as UserAuth;
}
