import { decodeHtmlEntities } from "./html-entities";

/**
 * Text folding and tokenizing for status search. The same functions build
 * the index (a post's terms) and read a query, so both sides agree:
 * - case-insensitive (Unicode lowercasing after NFKC, which also folds
 *   full-width forms as Elasticsearch's cjk_width does);
 * - accent-insensitive for Latin, Greek and Cyrillic letters (combining
 *   diacritics dropped, plus the letters asciifolding spells out, like ß);
 * - words are runs of Unicode letters, marks and digits; scripts written
 *   without spaces (Han, kana, Hangul) are indexed as overlapping character
 *   pairs, and a run's last character on its own, so any substring of two
 *   or more characters is found through its pairs.
 */

const SPELLED_OUT: Record<string, string> = {
	ß: "ss",
	æ: "ae",
	œ: "oe",
	ø: "o",
	ł: "l",
	đ: "d",
	ð: "d",
	þ: "th",
	ı: "i",
};

const SPACELESS = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;
const WORD_RUN = /[\p{L}\p{M}\p{N}]+/gu;
const SPACELESS_RUNS =
	/([\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]+)|([^\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]+)/gu;

/** Longest word kept as a term; longer runs (hashes, base64) are cut, which still matches their start. */
export const MAX_TERM_LENGTH = 64;
/** A post's distinct terms are capped so one huge Article cannot write thousands of rows. */
export const MAX_TERMS_PER_DOCUMENT = 1500;
const MAX_DOCUMENT_CHARS = 30_000;

export function foldText(text: string): string {
	return text
		.normalize("NFKC")
		.toLowerCase()
		.normalize("NFD")
		.replace(/[\u0300-\u036f]/g, "")
		.normalize("NFC")
		.replace(/[ßæœøłđðþı]/g, (c) => SPELLED_OUT[c] ?? c);
}

export function isSpaceless(text: string): boolean {
	return SPACELESS.test(text);
}

/** A folded text cut into segments: words, and runs of spaceless-script characters. */
export function segments(text: string): string[] {
	const out: string[] = [];
	for (const run of foldText(text).match(WORD_RUN) ?? []) {
		for (const match of run.matchAll(SPACELESS_RUNS)) {
			const piece = match[0];
			if (match[1]) out.push(piece);
			else out.push([...piece].slice(0, MAX_TERM_LENGTH).join(""));
		}
	}
	return out;
}

/** The index terms of one segment. */
export function segmentTerms(segment: string): string[] {
	if (!isSpaceless(segment)) return [segment];
	const chars = [...segment];
	const terms: string[] = [];
	for (let i = 0; i + 1 < chars.length; i++) terms.push(`${chars[i]}${chars[i + 1]}`);
	terms.push(chars[chars.length - 1] as string);
	return terms;
}

export interface SearchDocument {
	/** Folded segments joined by single spaces, padded with one space each side (for phrases). */
	text: string;
	/** Distinct index terms. */
	terms: string[];
}

export function buildSearchDocument(parts: readonly (string | null | undefined)[]): SearchDocument {
	const source = parts
		.filter((p): p is string => typeof p === "string" && p !== "")
		.join("\n")
		.slice(0, MAX_DOCUMENT_CHARS);
	const segs = segments(source);
	const terms = new Set<string>();
	for (const seg of segs) {
		for (const term of segmentTerms(seg)) {
			if (terms.size >= MAX_TERMS_PER_DOCUMENT) break;
			terms.add(term);
		}
	}
	return { text: segs.length > 0 ? ` ${segs.join(" ")} ` : "", terms: [...terms] };
}

/** Plain text of sanitized status HTML: tags dropped, line breaks kept, the common entities decoded. */
export function htmlToSearchText(html: string): string {
	const withoutTags = html.replace(/<br\s*\/?>|<\/p>/gi, "\n").replace(/<[^>]*>/g, " ");
	return decodeHtmlEntities(withoutTags);
}

/** Whether sanitized HTML links somewhere other than a mention or hashtag (Mastodon's `has:link`). */
export function hasOutsideLink(html: string): boolean {
	for (const match of html.matchAll(/<a\b[^>]*>/gi)) {
		const tag = match[0];
		if (!/class="[^"]*\b(mention|hashtag)\b/i.test(tag) && !/rel="[^"]*\btag\b/i.test(tag)) return true;
	}
	return false;
}
