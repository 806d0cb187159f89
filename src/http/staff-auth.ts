import { type Permission, roleCan } from "../services/accounts/roles";
import type { Moderator } from "../services/moderation/audit-log";
import { requireUser, type UserAuth } from "./auth";
import type { AppContext, AppRequest } from "./context";
import { forbidden } from "./errors";

export interface StaffAuth extends UserAuth {
	moderator: Moderator;
}

/**
 * The admin API's check, as Mastodon's: the token must carry one of the
 * admin scopes asked for (`admin:read`, `admin:write` or their granular
 * forms), and the user's role the permission; otherwise 403.
 */
export async function requireStaff(
	request: AppRequest,
	ctx: AppContext,
	permission: Permission,
	...scopes: string[]
): Promise<StaffAuth> {
	const auth = await requireUser(request, ctx, ...scopes);
	if (!roleCan(auth.user.role, permission)) throw forbidden("This action is not allowed");
	return { ...auth, moderator: { accountId: auth.account.id } };
}

/** The scopes of an admin resource: reading takes `admin:read` or `admin:read:<resource>`, writing likewise. */
export function adminScopes(resource: string) {
	return {
		read: ["admin:read", `admin:read:${resource}`],
		write: ["admin:write", `admin:write:${resource}`],
	} as const;
}
