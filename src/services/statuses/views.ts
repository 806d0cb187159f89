import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { selectFilterRows, splitFilterRows } from "../../db/queries/filter-rows";
import { loadStatusViewRows, type StatusViewRow } from "../../db/queries/status-view-rows";
import type { FilterContext } from "../../db/schema";
import type { MastodonStatus } from "../../serializers/mastodon/entities";
import { type StatusParts, serializeStatus, type ViewerFlags } from "../../serializers/mastodon/status";
import { compileFilters, isHiddenByFilters, matchFilters } from "../filters/match";
import { parseAttached } from "./view-parts";
import { isShownTo, isVisibleTo, type ViewerRelations } from "./visibility";

export interface LoadStatusViewsOptions {
	/**
	 * Apply the viewer's filters of this context: `filtered` is set on matches
	 * and statuses matched by a `hide` filter are dropped.
	 */
	filterContext?: FilterContext;
	/** Also drop statuses by authors the viewer blocks or mutes (timelines and threads). */
	hideMutedAuthors?: boolean;
	/**
	 * Render without asking whether the viewer may see them: for the streaming
	 * publisher, which renders a new post once (anonymously) for an audience
	 * the fan-out already chose. Never for an answer to a request.
	 */
	unchecked?: boolean;
	/**
	 * For moderators reviewing reports: every status as it is, whoever may
	 * see it, deleted ones and those of suspended accounts included.
	 */
	moderator?: boolean;
}

/**
 * Serializes statuses for a viewer (null: anonymous) with at most two
 * statements, sent together, whatever their number: one row per status with
 * everything attached (db/queries/status-view-rows.ts), and the viewer's
 * filters when a filter context is given.
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
	const wantsFilters = viewerAccountId !== null && options.filterContext !== undefined;
	// Sent side by side rather than in one db.batch: Drizzle reads batch results by
	// column name, and the joined tables share column names (id, uri, …).
	const [rows, filterRows] = await Promise.all([
		loadStatusViewRows(db, viewerAccountId, ids, Date.now(), { includeDeleted: options.moderator }),
		wantsFilters ? selectFilterRows(db, viewerAccountId) : [],
	]);
	if (rows.length === 0) return [];
	const split = splitFilterRows(filterRows);
	const compiledFilters =
		wantsFilters && options.filterContext
			? compileFilters(split.list, split.keywords, split.statuses, options.filterContext)
			: [];
	const byId = new Map(rows.map((row) => [row.status.id, row]));
	const relations = relationsFromRows(viewerAccountId, rows);

	const partsOf = (row: StatusViewRow, reblog: StatusParts | null): StatusParts => {
		const s = row.status;
		const attached = parseAttached(row);
		const viewerFlags: ViewerFlags | null = viewerAccountId
			? {
					favourited: row.favourited === 1,
					reblogged: row.reblogged === 1,
					bookmarked: row.bookmarked === 1,
					muted: row.muted === 1,
					pinned: row.pinned === 1,
				}
			: null;
		const filtered = wantsFilters
			? matchFilters(compiledFilters, {
					id: s.id,
					content: s.content,
					spoilerText: s.spoilerText,
					mediaDescriptions: attached.media.flatMap((m) => (m.description ? [m.description] : [])),
				})
			: null;
		return {
			status: s,
			account: row.account,
			media: attached.media,
			mentions: attached.mentions,
			tags: attached.tags,
			poll: attached.poll
				? {
						poll: attached.poll,
						viewer: {
							ownVotes: viewerAccountId ? attached.ownVotes : null,
							isAuthor: viewerAccountId === attached.poll.accountId,
						},
					}
				: null,
			application: attached.application,
			viewer: viewerFlags,
			filtered,
			reblog,
		};
	};

	const shown = options.hideMutedAuthors ? isShownTo : isVisibleTo;
	const visible = options.unchecked || options.moderator ? () => true : shown;
	const hiddenAuthor = (account: { suspendedAt: Date | null }) => !options.moderator && account.suspendedAt !== null;
	const result: MastodonStatus[] = [];
	for (const id of ids) {
		const row = byId.get(id);
		// Posts of suspended accounts are hidden everywhere, as on Mastodon.
		if (!row || hiddenAuthor(row.account) || !visible(row.status, relations)) continue;
		let reblog: StatusParts | null = null;
		if (row.status.reblogOfId) {
			const original = byId.get(row.status.reblogOfId);
			if (!original || hiddenAuthor(original.account) || !visible(original.status, relations)) continue;
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

/**
 * The relations visibility needs, from the per-row columns. Each column is
 * only looked up where it can change the answer (see status-view-rows.ts), so
 * the sets are partial but exact for every status on the page.
 */
function relationsFromRows(viewerId: string | null, rows: StatusViewRow[]): ViewerRelations {
	const following = new Set<string>();
	const mentioning = new Set<string>();
	const blockedBy = new Set<string>();
	const hiddenAuthors = new Set<string>();
	for (const row of rows) {
		const author = row.status.accountId;
		if (row.followsAuthor === 1) following.add(author);
		if (row.mentionsViewer === 1) mentioning.add(row.status.id);
		if (row.authorBlocksViewer === 1) blockedBy.add(author);
		if (row.viewerHidesAuthor === 1) hiddenAuthors.add(author);
	}
	return { viewerId, following, mentioning, blockedBy, hiddenAuthors };
}
