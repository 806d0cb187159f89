import { and, eq, inArray, isNull } from "drizzle-orm";
import { accounts, statuses } from "../../../db/schema";
import { fileRemoteReports } from "../../../services/moderation/reports";
import { refIds } from "../../parse/values";
import type { InboxHandler } from "../context";

/**
 * Flag (report) from another server about local accounts or posts: one
 * report per local account named (directly or as the author of a named
 * post), from the sending actor, for moderators. Flags about nothing local,
 * about suspended accounts, or from a domain whose reports are rejected,
 * are ignored.
 */
export const handleFlag: InboxHandler = async (ctx, { activity, actor }) => {
	const ids = refIds(activity.raw.object).slice(0, 100);
	if (ids.length === 0) return;
	const [localAccounts, localStatuses] = await ctx.db.batch([
		ctx.db
			.select({ id: accounts.id, suspendedAt: accounts.suspendedAt })
			.from(accounts)
			.where(and(inArray(accounts.uri, ids), isNull(accounts.domain))),
		ctx.db
			.select({ id: statuses.id, accountId: statuses.accountId })
			.from(statuses)
			.where(and(inArray(statuses.uri, ids), eq(statuses.local, true))),
	]);
	const targets = new Set(localAccounts.filter((a) => !a.suspendedAt).map((a) => a.id));
	if (targets.size === 0) for (const status of localStatuses) targets.add(status.accountId);
	if (targets.size === 0) return;
	const statusIdsByAccount = new Map<string, string[]>();
	for (const status of localStatuses) {
		statusIdsByAccount.set(status.accountId, [...(statusIdsByAccount.get(status.accountId) ?? []), status.id]);
	}
	await fileRemoteReports(ctx, actor, {
		targetAccountIds: [...targets],
		statusIdsByAccount,
		comment: activity.content ?? "",
		uri: activity.id,
	});
};
