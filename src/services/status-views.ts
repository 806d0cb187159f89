import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { InstanceConfig } from "../config";
import type { Db } from "../db/client";
import { inIdList } from "../db/queries/id-list";
import { sqlAll } from "../db/queries/raw";
import {
	type Account,
	accounts,
	type FilterContext,
	filterKeywords,
	filterStatuses,
	filters,
	type MediaAttachment,
	mediaAttachments,
	mentions,
	oauthApplications,
	type Poll,
	polls,
	type Status,
	statuses,
	statusTags,
	tags,
} from "../db/schema";
import type { MastodonStatus } from "../serializers/mastodon/entities";
import { type StatusParts, serializeStatus, type ViewerFlags } from "../serializers/mastodon/status";
import { type CompiledFilter, compileFilters, isHiddenByFilters, matchFilters } from "./filter-match";
import { isShownTo, isVisibleTo, loadViewerRelations } from "./status-visibility";

export interface LoadStatusViewsOptions {
	/**
	 * Apply the viewer's filters of this context: `filtered` is set on matches
	 * and statuses matched by a `hide` filter are dropped.
	 */
	filterContext?: FilterContext;
	/** Also drop statuses by authors the viewer blocks or mutes (timelines and threads). */
	hideMutedAuthors?: boolean;
}

interface Loaded {
	status: Status;
	account: Account;
}

const FLAG_KINDS = ["favourited", "reblogged", "bookmarked", "pinned", "muted"] as const;

/**
 * Serializes statuses for a viewer (null: anonymous) with a constant number of
 * queries whatever their number: one for the statuses, their boosted
 * originals and authors, then one batch for everything attached to them.
 * Statuses that are missing, deleted or not visible to the viewer are left
 * out; the rest keep the order of `statusIds`.
 */
export async function loadStatusViews(
	db: Db,
	config: InstanceConfig,
	viewerAccountId: string | null,
	statusIds: readonly string[],
	options: LoadStatusViewsOptions = {},
): Promise<MastodonStatus[]> {
	if (statusIds.length === 0) return [];
	const ids = [...new Set(statusIds)];
	const rows: Loaded[] = await db
		.select({ status: statuses, account: accounts })
		.from(statuses)
		.innerJoin(accounts, eq(accounts.id, statuses.accountId))
		.where(
			and(
				isNull(statuses.deletedAt),
				or(
					inIdList(statuses.id, ids),
					sql`${statuses.id} in (select reblog_of_id from statuses where ${inIdList(sql`id`, ids)})`,
				),
			),
		);
	if (rows.length === 0) return [];
	const byId = new Map(rows.map((row) => [row.status.id, row]));
	const all = rows.map((r) => r.status);
	const allIds = all.map((s) => s.id);
	const pollIds = all.flatMap((s) => (s.pollId ? [s.pollId] : []));
	const appIds = [...new Set(all.flatMap((s) => (s.applicationId ? [s.applicationId] : [])))];
	const conversationIds = [...new Set(all.map((s) => s.conversationId ?? s.id))];
	const viewer = viewerAccountId ?? "";

	const [[mentionRows, mediaRows, pollRows, tagRows, appRows, flagRowsA, flagRowsB], relations, compiledFilters] =
		await Promise.all([
			db.batch([
				db
					.select({ statusId: mentions.statusId, account: accounts })
					.from(mentions)
					.innerJoin(accounts, eq(accounts.id, mentions.accountId))
					.where(and(inIdList(mentions.statusId, allIds), eq(mentions.silent, false))),
				db
					.select()
					.from(mediaAttachments)
					.where(inIdList(mediaAttachments.statusId, allIds))
					.orderBy(asc(mediaAttachments.id)),
				db.select().from(polls).where(inIdList(polls.id, pollIds)),
				db
					.select({ statusId: statusTags.statusId, name: tags.name })
					.from(statusTags)
					.innerJoin(tags, eq(tags.id, statusTags.tagId))
					.where(inIdList(statusTags.statusId, allIds)),
				db
					.select({ id: oauthApplications.id, name: oauthApplications.name, website: oauthApplications.website })
					.from(oauthApplications)
					.where(inIdList(oauthApplications.id, appIds)),
				// The viewer's own marks on these statuses, in two statements (D1 bounds compound selects).
				sqlAll<{ kind: string; ref: string }>(
					db,
					sql`
					select 'favourited' as kind, status_id as ref from favourites
						where account_id = ${viewer} and ${inIdList(sql`status_id`, allIds)}
					union all select 'reblogged', reblog_of_id from statuses
						where account_id = ${viewer} and deleted_at is null and ${inIdList(sql`reblog_of_id`, allIds)}
					union all select 'bookmarked', status_id from bookmarks
						where account_id = ${viewer} and ${inIdList(sql`status_id`, allIds)}`,
				),
				sqlAll<{ kind: string; ref: string }>(
					db,
					sql`
					select 'pinned' as kind, status_id as ref from status_pins
						where account_id = ${viewer} and ${inIdList(sql`status_id`, allIds)}
					union all select 'muted', conversation_id from conversation_mutes
						where account_id = ${viewer} and ${inIdList(sql`conversation_id`, conversationIds)}
					union all select 'vote', poll_id || ':' || choice from poll_votes
						where account_id = ${viewer} and ${inIdList(sql`poll_id`, pollIds)}`,
				),
			]),
			loadViewerRelations(db, viewerAccountId, all),
			viewerAccountId && options.filterContext
				? loadCompiledFilters(db, viewerAccountId, options.filterContext)
				: Promise.resolve([] as CompiledFilter[]),
		]);

	const group = <T>(list: T[], key: (item: T) => string | null) => {
		const map = new Map<string, T[]>();
		for (const item of list) {
			const k = key(item);
			if (k === null) continue;
			const bucket = map.get(k);
			if (bucket) bucket.push(item);
			else map.set(k, [item]);
		}
		return map;
	};
	const mentionsByStatus = group(mentionRows, (r) => r.statusId);
	const mediaByStatus = group(mediaRows as MediaAttachment[], (m) => m.statusId);
	const tagsByStatus = group(tagRows, (r) => r.statusId);
	const pollsById = new Map((pollRows as Poll[]).map((p) => [p.id, p]));
	const appsById = new Map(appRows.map((a) => [a.id, { name: a.name, website: a.website }]));
	const flags = new Map<string, Set<string>>();
	const votes = new Map<string, number[]>();
	for (const row of [...flagRowsA, ...flagRowsB]) {
		if (row.kind === "vote") {
			const [pollId, choice] = row.ref.split(":");
			if (!pollId) continue;
			votes.set(
				pollId,
				[...(votes.get(pollId) ?? []), Number(choice)].sort((a, b) => a - b),
			);
			continue;
		}
		const set = flags.get(row.kind) ?? new Set<string>();
		set.add(row.ref);
		flags.set(row.kind, set);
	}
	const has = (kind: (typeof FLAG_KINDS)[number], ref: string | null) => ref !== null && !!flags.get(kind)?.has(ref);

	const partsOf = (row: Loaded, reblog: StatusParts | null): StatusParts => {
		const s = row.status;
		const poll = s.pollId ? pollsById.get(s.pollId) : undefined;
		const media = mediaByStatus.get(s.id) ?? [];
		const viewerFlags: ViewerFlags | null = viewerAccountId
			? {
					favourited: has("favourited", s.id),
					reblogged: has("reblogged", s.id),
					bookmarked: has("bookmarked", s.id),
					muted: has("muted", s.conversationId ?? s.id),
					pinned: has("pinned", s.id),
				}
			: null;
		const filtered =
			viewerAccountId && options.filterContext
				? matchFilters(compiledFilters, {
						id: s.id,
						content: s.content,
						spoilerText: s.spoilerText,
						mediaDescriptions: media.flatMap((m) => (m.description ? [m.description] : [])),
					})
				: null;
		return {
			status: s,
			account: row.account,
			media,
			mentions: (mentionsByStatus.get(s.id) ?? []).map((m) => m.account),
			tags: tagsByStatus.get(s.id) ?? [],
			poll: poll
				? {
						poll,
						viewer: {
							ownVotes: viewerAccountId ? (votes.get(poll.id) ?? []) : null,
							isAuthor: viewerAccountId === poll.accountId,
						},
					}
				: null,
			application: s.applicationId ? (appsById.get(s.applicationId) ?? null) : null,
			viewer: viewerFlags,
			filtered,
			reblog,
		};
	};

	const visible = options.hideMutedAuthors ? isShownTo : isVisibleTo;
	const result: MastodonStatus[] = [];
	for (const id of ids) {
		const row = byId.get(id);
		// Posts of suspended accounts are hidden everywhere, as on Mastodon.
		if (!row || row.account.suspendedAt || !visible(row.status, relations)) continue;
		let reblog: StatusParts | null = null;
		if (row.status.reblogOfId) {
			const original = byId.get(row.status.reblogOfId);
			if (!original || original.account.suspendedAt || !visible(original.status, relations)) continue;
			reblog = partsOf(original, null);
			if (reblog.filtered && isHiddenByFilters(reblog.filtered)) continue;
		}
		const parts = partsOf(row, reblog);
		if (parts.filtered && isHiddenByFilters(parts.filtered)) continue;
		// Clients read the boosted post's filter results from the wrapper too.
		if (reblog?.filtered && reblog.filtered.length > 0) parts.filtered = reblog.filtered;
		result.push(serializeStatus(parts, config));
	}
	return result;
}

async function loadCompiledFilters(db: Db, accountId: string, context: FilterContext): Promise<CompiledFilter[]> {
	const list = await db.select().from(filters).where(eq(filters.accountId, accountId));
	if (list.length === 0) return [];
	const filterIds = list.map((f) => f.id);
	const [keywordRows, statusRows] = await db.batch([
		db.select().from(filterKeywords).where(inArray(filterKeywords.filterId, filterIds)),
		db.select().from(filterStatuses).where(inArray(filterStatuses.filterId, filterIds)),
	]);
	return compileFilters(list, keywordRows, statusRows, context);
}
