import { and, eq, inArray, isNull } from "drizzle-orm";
import { accounts, reports, statuses } from "../../../db/schema";
import { newId } from "../../../lib/ids";
import { refIds } from "../../parse/values";
import type { InboxHandler } from "../context";

/**
 * Flag (report) from another server about local accounts or posts: stored
 * as a report from the sending actor, for moderators. Flags about nothing
 * local are ignored.
 */
export const handleFlag: InboxHandler = async (ctx, { activity, actor }) => {
	const ids = refIds(activity.raw.object).slice(0, 100);
	if (ids.length === 0) return;
	const [localAccounts, localStatuses] = await ctx.db.batch([
		ctx.db
			.select({ id: accounts.id })
			.from(accounts)
			.where(and(inArray(accounts.uri, ids), isNull(accounts.domain))),
		ctx.db
			.select({ id: statuses.id, accountId: statuses.accountId })
			.from(statuses)
			.where(and(inArray(statuses.uri, ids), eq(statuses.local, true))),
	]);
	const targetId = localAccounts[0]?.id ?? localStatuses[0]?.accountId;
	if (!targetId) return;
	await ctx.db
		.insert(reports)
		.values({
			id: newId(),
			accountId: actor.id,
			targetAccountId: targetId,
			statusIds: localStatuses.filter((s) => s.accountId === targetId).map((s) => s.id),
			comment: (activity.content ?? "").slice(0, 5000),
			uri: activity.id,
			createdAt: new Date(),
		})
		.onConflictDoNothing();
};
