import { ValidationError } from "../../lib/errors";
import { normalizeTag } from "../../lib/text/status-text";

/**
 * The status search syntax Mastodon accepts: words (all must match), "quoted
 * phrases", #hashtags, a leading `-` to exclude and `+` to require, and the
 * prefixes from:, has:, is:, language:, before:, after:, during: and in:.
 * An unknown prefix is searched as words, as Mastodon does.
 */

export type SearchClause =
	| { kind: "word"; negated: boolean; text: string }
	| { kind: "phrase"; negated: boolean; text: string }
	| { kind: "hashtag"; negated: boolean; name: string }
	| { kind: "from"; negated: boolean; acct: string }
	| { kind: "property"; negated: boolean; property: string }
	| { kind: "language"; negated: boolean; code: string }
	| { kind: "date"; negated: boolean; op: "before" | "after" | "during"; at: number; wholeDay: boolean };

export interface ParsedSearch {
	clauses: SearchClause[];
	/** `in:library` (only what the viewer wrote or interacted with) or `in:public`. */
	scope: "all" | "library" | "public";
}

const PREFIXES = ["has", "is", "language", "from", "before", "after", "during", "in"] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Curly and CJK quotation marks count as straight quotes, as in Mastodon. */
const QUOTE_LIKE = /[“”„«»「」『』《》]/g;
const TOKEN = /([+-]?)(?:([a-z]+):)?(?:"([^"]*)"|(\S+))/giu;

/** Dates as Mastodon takes them: an ISO 8601 date or date-time, or epoch milliseconds; UTC. */
function parseDate(term: string): { at: number; wholeDay: boolean } {
	if (/^\d+$/.test(term)) return { at: Number(term), wholeDay: false };
	const match = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(term);
	const wholeDay = term.length === 10;
	const iso = term.replace(" ", "T");
	const at = !match ? Number.NaN : Date.parse(wholeDay ? `${iso}T00:00:00Z` : match[1] ? iso : `${iso}Z`);
	if (Number.isNaN(at)) throw new ValidationError("q", "Invalid date supplied");
	return { at, wholeDay };
}

function prefixClause(prefix: string, negated: boolean, term: string): SearchClause | "scope" {
	switch (prefix) {
		case "has":
		case "is":
			return { kind: "property", negated, property: term.toLowerCase() };
		case "language":
			return { kind: "language", negated, code: term.toLowerCase().replace(/_/g, "-") };
		case "from":
			return { kind: "from", negated, acct: term.replace(/^@/, "") };
		case "before":
		case "after":
		case "during":
			return { kind: "date", negated, op: prefix, ...parseDate(term) };
		default:
			return "scope";
	}
}

export function parseSearchQuery(input: string): ParsedSearch {
	const clauses: SearchClause[] = [];
	let scope: ParsedSearch["scope"] = "all";
	for (const match of input.replace(QUOTE_LIKE, '"').matchAll(TOKEN)) {
		const negated = match[1] === "-";
		const prefix = match[2]?.toLowerCase();
		const quoted = match[3];
		const term = quoted ?? match[4] ?? "";
		if (prefix && (PREFIXES as readonly string[]).includes(prefix)) {
			if (term === "") continue;
			const clause = prefixClause(prefix, negated, term);
			if (clause === "scope") {
				if (term === "library" || term === "public") scope = term;
				continue;
			}
			clauses.push(clause);
			continue;
		}
		const text = prefix ? `${match[2]} ${term}` : term;
		if (quoted !== undefined) {
			if (text.trim() !== "") clauses.push({ kind: "phrase", negated, text });
		} else if (!prefix && text.startsWith("#") && text.length > 1) {
			clauses.push({ kind: "hashtag", negated, name: normalizeTag(text.slice(1)) });
		} else {
			clauses.push({ kind: "word", negated, text });
		}
	}
	return { clauses, scope };
}

/** The bounds (epoch ms, start inclusive, end exclusive) a date clause allows. */
export function dateBounds(clause: Extract<SearchClause, { kind: "date" }>): { from?: number; until?: number } {
	switch (clause.op) {
		case "before":
			return { until: clause.at };
		case "after":
			return { from: clause.at + (clause.wholeDay ? DAY_MS : 1) };
		case "during":
			return { from: clause.at, until: clause.at + (clause.wholeDay ? DAY_MS : 1) };
	}
}
