import type { Filter, FilterKeyword, FilterStatus } from "../../db/schema";
import type { MastodonFilter, MastodonFilterKeyword, MastodonFilterStatus, MastodonV1Filter } from "./filter-entities";

export function serializeFilterKeyword(keyword: FilterKeyword): MastodonFilterKeyword {
	return { id: keyword.id, keyword: keyword.keyword, whole_word: keyword.wholeWord };
}

export function serializeFilterStatus(row: FilterStatus): MastodonFilterStatus {
	return { id: row.id, status_id: row.statusId };
}

/** The v2 Filter; without keywords and statuses when nested in a FilterResult, as Mastodon does. */
export function serializeFilter(
	filter: Filter,
	children?: { keywords: FilterKeyword[]; statuses: FilterStatus[] },
): MastodonFilter {
	const result: MastodonFilter = {
		id: filter.id,
		title: filter.title,
		context: filter.context,
		expires_at: filter.expiresAt ? filter.expiresAt.toISOString() : null,
		filter_action: filter.action,
	};
	if (children) {
		result.keywords = children.keywords.map(serializeFilterKeyword);
		result.statuses = children.statuses.map(serializeFilterStatus);
	}
	return result;
}

/** A v1 filter is one keyword of a v2 filter, identified by the keyword's id. */
export function serializeV1Filter(filter: Filter, keyword: FilterKeyword): MastodonV1Filter {
	return {
		id: keyword.id,
		phrase: keyword.keyword,
		context: filter.context,
		expires_at: filter.expiresAt ? filter.expiresAt.toISOString() : null,
		irreversible: filter.action === "hide",
		whole_word: keyword.wholeWord,
	};
}
