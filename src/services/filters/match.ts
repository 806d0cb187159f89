import type { Filter, FilterContext, FilterKeyword, FilterStatus } from "../../db/schema";
import { serializeFilter } from "../../serializers/mastodon/filter";
import type { MastodonFilterResult } from "../../serializers/mastodon/filter-entities";

/** A viewer's active filters for one context, with their keywords compiled once. */
export interface CompiledFilter {
	filter: Filter;
	keywords: { keyword: string; pattern: RegExp }[];
	statusIds: Set<string>;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function keywordPattern(keyword: FilterKeyword): RegExp {
	const body = escapeRegExp(keyword.keyword.trim());
	if (!keyword.wholeWord) return new RegExp(body, "iu");
	// Word boundaries that also work for non-ASCII letters.
	return new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, "iu");
}

export function compileFilters(
	list: Filter[],
	keywords: FilterKeyword[],
	statusRows: FilterStatus[],
	context: FilterContext,
	now = Date.now(),
): CompiledFilter[] {
	return list
		.filter((f) => f.context.includes(context) && (!f.expiresAt || f.expiresAt.getTime() > now))
		.map((filter) => ({
			filter,
			keywords: keywords
				.filter((k) => k.filterId === filter.id && k.keyword.trim() !== "")
				.map((k) => ({ keyword: k.keyword, pattern: keywordPattern(k) })),
			statusIds: new Set(statusRows.filter((s) => s.filterId === filter.id).map((s) => s.statusId)),
		}));
}

function plainText(html: string): string {
	return html
		.replace(/<br\s*\/?>|<\/p>/gi, "\n")
		.replace(/<[^>]*>/g, "")
		.replace(/&lt;/g, "<")
		.replace(/&gt;/g, ">")
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, "&");
}

export interface FilterableStatus {
	id: string;
	content: string;
	spoilerText: string;
	mediaDescriptions: string[];
}

export function matchFilters(filtersList: CompiledFilter[], status: FilterableStatus): MastodonFilterResult[] {
	if (filtersList.length === 0) return [];
	const text = [plainText(status.content), status.spoilerText, ...status.mediaDescriptions].join("\n");
	const results: MastodonFilterResult[] = [];
	for (const compiled of filtersList) {
		const keywordMatches = compiled.keywords.filter((k) => k.pattern.test(text)).map((k) => k.keyword);
		const statusMatches = compiled.statusIds.has(status.id) ? [status.id] : [];
		if (keywordMatches.length === 0 && statusMatches.length === 0) continue;
		results.push({
			filter: serializeFilter(compiled.filter),
			keyword_matches: keywordMatches.length > 0 ? keywordMatches : null,
			status_matches: statusMatches.length > 0 ? statusMatches : null,
		});
	}
	return results;
}

export function isHiddenByFilters(results: MastodonFilterResult[]): boolean {
	return results.some((r) => r.filter.filter_action === "hide");
}
