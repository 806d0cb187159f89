import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, mutes } from "../../db/schema";
import { NotPermittedError } from "../../lib/errors";
import { newId } from "../../lib/ids";

export interface MuteOptions {
	/** Also hide the target's notifications (default true, as in Mastodon). */
	notifications?: boolean;
	/** Seconds until the mute lifts; 0 or absent for indefinitely. */
	duration?: number;
}

/** Mutes `target` for `muter`; muting again replaces the options. */
export async function mute(db: Db, muter: Account, target: Account, options: MuteOptions = {}): Promise<void> {
	if (muter.id === target.id) throw new NotPermittedError();
	const now = new Date();
	const hideNotifications = options.notifications ?? true;
	const expiresAt = options.duration ? new Date(now.getTime() + options.duration * 1000) : null;
	await db
		.insert(mutes)
		.values({
			id: newId(now),
			accountId: muter.id,
			targetAccountId: target.id,
			hideNotifications,
			expiresAt,
			createdAt: now,
		})
		.onConflictDoUpdate({ target: [mutes.accountId, mutes.targetAccountId], set: { hideNotifications, expiresAt } });
}

export async function unmute(db: Db, muter: Account, target: Account): Promise<void> {
	await db.delete(mutes).where(and(eq(mutes.accountId, muter.id), eq(mutes.targetAccountId, target.id)));
}
