import { eq, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { reports } from "../../db/schema";
import type { Audience } from "../delivery/recipients";
import { ensureInstanceActor } from "../instance-actor";
import { ACTIVITYSTREAMS_CONTEXT, type ActivityDocument } from "./simple-activities";

/**
 * A forwarded report, in Mastodon's shape: a Flag from the instance actor
 * (never the member who reported), its object the reported account followed
 * by the reported posts, its content the reporter's comment. It goes to the
 * reported account's own inbox, and to the servers of the accounts the
 * posts replied to when the reporter asked for those too.
 */
export function flagActivity(input: {
	id: string;
	instanceActor: string;
	targetUri: string;
	statusUris: string[];
	comment: string;
}): ActivityDocument {
	return {
		"@context": ACTIVITYSTREAMS_CONTEXT,
		id: input.id,
		type: "Flag",
		actor: input.instanceActor,
		content: input.comment,
		object: [input.targetUri, ...input.statusUris],
	};
}

export async function planReportForward(
	ctx: ServiceContext,
	reportId: string,
	domains: string[],
): Promise<{ accountId: string; activity: ActivityDocument; audience: Audience }[]> {
	const [report] = await ctx.db.select().from(reports).where(eq(reports.id, reportId)).limit(1);
	if (!report?.uri) return [];
	const [target] = await ctx.db.all<{ id: string; uri: string; domain: string | null }>(
		sql`select id, uri, domain from accounts where id = ${report.targetAccountId}`,
	);
	if (!target || target.domain === null) return [];
	const statusRows = await ctx.db.all<{ uri: string; replyTo: string | null; replyDomain: string | null }>(
		sql`select s.uri as uri, s.in_reply_to_account_id as replyTo, a.domain as replyDomain from statuses s
		left join accounts a on a.id = s.in_reply_to_account_id
		where s.id in (select value from json_each(${JSON.stringify(report.statusIds)}))`,
	);
	const wanted = new Set(domains.map((d) => d.toLowerCase()));
	const repliedTo = statusRows
		.filter((row) => row.replyTo && row.replyDomain && row.replyDomain !== target.domain && wanted.has(row.replyDomain))
		.map((row) => row.replyTo as string);
	const instanceActor = await ensureInstanceActor(ctx);
	return [
		{
			accountId: instanceActor.id,
			activity: flagActivity({
				id: report.uri,
				instanceActor: instanceActor.uri,
				targetUri: target.uri,
				statusUris: statusRows.map((row) => row.uri),
				comment: report.comment,
			}),
			audience: { personalInboxOf: [target.id], accountIds: [...new Set(repliedTo)] },
		},
	];
}
