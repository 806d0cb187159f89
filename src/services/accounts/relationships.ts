import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";

/** What holds between a viewer and one other account, before serialization. */
export interface RelationshipState {
	id: string;
	following: { showReblogs: boolean; notify: boolean; languages: string[] | null } | null;
	requested: { showReblogs: boolean; notify: boolean; languages: string[] | null } | null;
	followedBy: boolean;
	requestedBy: boolean;
	blocking: boolean;
	blockedBy: boolean;
	muting: { hideNotifications: boolean; expiresAt: Date | null } | null;
	note: string;
}

interface Row {
	kind: string;
	id: string;
	a: number | null;
	b: number | null;
	c: string | number | null;
}

function emptyState(id: string): RelationshipState {
	return {
		id,
		following: null,
		requested: null,
		followedBy: false,
		requestedBy: false,
		blocking: false,
		blockedBy: false,
		muting: null,
		note: "",
	};
}

function followOptions(row: Row) {
	return {
		showReblogs: Boolean(row.a),
		notify: Boolean(row.b),
		languages: typeof row.c === "string" ? (JSON.parse(row.c) as string[] | null) : null,
	};
}

/**
 * The viewer's relationships with every account in `targetIds`, in the order
 * given, read with one query whatever the number of targets.
 */
export async function loadRelationships(
	db: Db,
	viewerId: string,
	targetIds: string[],
	options: { knownOnly?: boolean } = {},
): Promise<RelationshipState[]> {
	const ids = [...new Set(targetIds)];
	if (ids.length === 0) return [];
	// One JSON parameter per use keeps any number of ids under D1's bound-parameter limit.
	const list = sql`select value from json_each(${JSON.stringify(ids)})`;
	const now = Date.now();

	// D1 caps compound selects at a few terms, so each table answers both directions in one term.
	const both = (outgoing: string, incoming: string, extra = sql`null, null, null`) => sql`
		select case when account_id = ${viewerId} then ${outgoing} else ${incoming} end as kind,
			case when account_id = ${viewerId} then target_account_id else account_id end as id, ${extra}`;
	const rows = await db.all<Row>(sql`
		${both("following", "followed_by", sql`show_reblogs as a, notify as b, languages as c`)} from follows
			where (account_id = ${viewerId} and target_account_id in (${list}))
				or (target_account_id = ${viewerId} and account_id in (${list}))
		union all ${both("requested", "requested_by", sql`show_reblogs, notify, languages`)} from follow_requests
			where (account_id = ${viewerId} and target_account_id in (${list}))
				or (target_account_id = ${viewerId} and account_id in (${list}))
		union all ${both("blocking", "blocked_by")} from blocks
			where (account_id = ${viewerId} and target_account_id in (${list}))
				or (target_account_id = ${viewerId} and account_id in (${list}))
		union all select 'muting', target_account_id, hide_notifications, null, expires_at
			from mutes where account_id = ${viewerId} and target_account_id in (${list})
				and (expires_at is null or expires_at > ${now})
		union all select 'account', a.id, null, null, n.comment from accounts a
			left join account_notes n on n.account_id = ${viewerId} and n.target_account_id = a.id
			where a.id in (${list})`);
	const states = new Map(ids.map((id) => [id, emptyState(id)]));
	const known = new Set<string>();
	for (const row of rows) {
		const state = states.get(row.id);
		if (!state) continue;
		switch (row.kind) {
			case "following":
				state.following = followOptions(row);
				break;
			case "requested":
				state.requested = followOptions(row);
				break;
			case "followed_by":
				state.followedBy = true;
				break;
			case "requested_by":
				state.requestedBy = true;
				break;
			case "blocking":
				state.blocking = true;
				break;
			case "blocked_by":
				state.blockedBy = true;
				break;
			case "muting":
				state.muting = {
					hideNotifications: Boolean(row.a),
					expiresAt: row.c === null ? null : new Date(Number(row.c)),
				};
				break;
			case "account":
				known.add(row.id);
				state.note = String(row.c ?? "");
				break;
		}
	}
	// Unknown ids are left out when asked, as Mastodon does; the check rides in the same statement.
	const wanted = options.knownOnly ? ids.filter((id) => known.has(id)) : ids;
	return wanted.map((id) => states.get(id) ?? emptyState(id));
}

export async function loadRelationship(db: Db, viewerId: string, targetId: string): Promise<RelationshipState> {
	const [state] = await loadRelationships(db, viewerId, [targetId]);
	return state ?? emptyState(targetId);
}
