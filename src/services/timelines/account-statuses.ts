import { and, eq, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { PageQuery } from "../../db/queries/page";
import { newestFirst, pageWindow } from "../../db/queries/page";
import { statuses } from "../../db/schema";
import { normalizeTag } from "../../lib/text/status-text";
import type { TimelinePage } from "./timelines";

export interface AccountStatusesScope {
	excludeReplies?: boolean;
	excludeReblogs?: boolean;
	onlyMedia?: boolean;
	pinned?: boolean;
	tagged?: string;
}

/**
 * What a viewer may see on a profile, decided in the query so pages stay
 * full: the author sees everything; others see public and unlisted posts,
 * private ones when they follow, and anything that mentions them. Nothing
 * when the author blocks the viewer.
 */
function visibleTo(accountId: string, viewerId: string | null): SQL | undefined {
	if (viewerId === accountId) return undefined;
	const open = sql`${statuses.visibility} in ('public', 'unlisted')`;
	if (!viewerId) return open;
	return sql`not exists (select 1 from blocks where account_id = ${accountId} and target_account_id = ${viewerId})
		and (${open}
			or (${statuses.visibility} = 'private'
				and exists (select 1 from follows where account_id = ${viewerId} and target_account_id = ${accountId}))
			or exists (select 1 from mentions where status_id = ${statuses.id} and account_id = ${viewerId}))`;
}

export async function accountStatuses(
	db: Db,
	accountId: string,
	viewerId: string | null,
	scope: AccountStatusesScope,
	query: PageQuery,
): Promise<TimelinePage> {
	const window = pageWindow(statuses.id, query);
	const where: (SQL | undefined)[] = [
		eq(statuses.accountId, accountId),
		isNull(statuses.deletedAt),
		visibleTo(accountId, viewerId),
		...window.where,
	];
	if (scope.excludeReplies) {
		// Replies to oneself (threads) stay, as in Mastodon.
		where.push(or(isNull(statuses.inReplyToId), eq(statuses.inReplyToAccountId, accountId)));
	}
	if (scope.excludeReblogs || scope.onlyMedia || scope.pinned || scope.tagged) where.push(isNull(statuses.reblogOfId));
	if (scope.onlyMedia) where.push(sql`exists (select 1 from media_attachments where status_id = ${statuses.id})`);
	if (scope.pinned) {
		where.push(sql`exists (select 1 from status_pins where status_id = ${statuses.id} and account_id = ${accountId})`);
	}
	if (scope.tagged) {
		where.push(sql`exists (select 1 from status_tags st join tags t on t.id = st.tag_id
			where st.status_id = ${statuses.id} and t.name = ${normalizeTag(scope.tagged)})`);
	}
	const rows = await db
		.select({ id: statuses.id })
		.from(statuses)
		.where(and(...where))
		.orderBy(window.orderBy)
		.limit(query.limit);
	const ids = newestFirst(rows, query).map((row) => row.id);
	return { statusIds: ids, pageIds: ids };
}
