import { and, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../../db/client";
import { oauthAuthorizationCodes, webSessions } from "../../db/schema";

/**
 * Deletes authorization codes and browser sessions that can no longer be
 * used. Used codes are kept for a day so a replay still revokes its token.
 */
export async function sweepExpiredGrants(db: Db, now = new Date()): Promise<void> {
	const dayAgo = new Date(now.getTime() - 24 * 60 * 60 * 1000);
	await db.batch([
		db
			.delete(oauthAuthorizationCodes)
			.where(
				or(
					and(isNull(oauthAuthorizationCodes.usedAt), lt(oauthAuthorizationCodes.expiresAt, now)),
					and(isNotNull(oauthAuthorizationCodes.usedAt), lt(oauthAuthorizationCodes.createdAt, dayAgo)),
				),
			),
		db.delete(webSessions).where(lt(webSessions.expiresAt, now)),
	]);
}
