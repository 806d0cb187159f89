import { type SQL, sql } from "drizzle-orm";

/**
 * Who may be suggested to `viewerId` or listed in the directory, as
 * Mastodon's `discoverable` scope and `not_excluded_by_account` choose: a
 * discoverable, unsuspended, unmoved account of a person (not the instance
 * actor), local ones only once approved and confirmed, and nobody the viewer
 * blocks or mutes or who blocks the viewer. `a` is the candidate's alias.
 */
export function discoverableAccount(viewerId: string | null, now = Date.now()): SQL {
	const base = sql`a.discoverable = 1 and a.suspended_at is null and a.moved_to_account_id is null
		and a.memorial = 0 and a.actor_type <> 'Application'
		and (a.domain is not null or exists (select 1 from users u where u.account_id = a.id
			and u.approved = 1 and u.confirmed_at is not null and u.disabled = 0))`;
	if (!viewerId) return base;
	return sql`${base} and a.id <> ${viewerId}
		and not exists (select 1 from blocks b where (b.account_id = ${viewerId} and b.target_account_id = a.id)
			or (b.account_id = a.id and b.target_account_id = ${viewerId}))
		and not exists (select 1 from mutes m where m.account_id = ${viewerId} and m.target_account_id = a.id
			and (m.expires_at is null or m.expires_at > ${now}))`;
}

/** Not followed or asked for by the viewer, nor dismissed from suggestions. */
export function notFollowedOrDismissed(viewerId: string): SQL {
	return sql`not exists (select 1 from follows f where f.account_id = ${viewerId} and f.target_account_id = a.id)
		and not exists (select 1 from follow_requests r where r.account_id = ${viewerId} and r.target_account_id = a.id)
		and not exists (select 1 from suggestion_dismissals d where d.account_id = ${viewerId} and d.target_account_id = a.id)`;
}
