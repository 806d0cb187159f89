import { escapeHtml } from "./html";

/**
 * Plain text of a post → HTML as Mastodon renders it: paragraphs and <br />,
 * linkified http(s) URLs, @mentions of known accounts and #hashtags. Mentions
 * of accounts the caller could not resolve stay plain text.
 */

export interface MentionRef {
	username: string;
	/** Null when written without a domain. */
	domain: string | null;
}

export interface ResolvedMention {
	url: string;
	username: string;
}

export interface RenderOptions {
	origin: string;
	/** Keyed by mentionKey(); only these become links. */
	mentions: ReadonlyMap<string, ResolvedMention>;
}

const URL_PART = String.raw`https?:\/\/[^\s<>"'\u00A0]+`;
const MENTION_PART = String.raw`@([a-zA-Z0-9_]+(?:[a-zA-Z0-9_.-]*[a-zA-Z0-9_])?)(?:@([a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+(?::\d{1,5})?))?`;
const HASHTAG_PART = String.raw`#([\p{L}\p{M}\p{N}_]*[\p{L}\p{M}_][\p{L}\p{M}\p{N}_]*)`;

/** One pass finds all three; the lookbehind keeps `a@b` (e-mails) and `x#y` (anchors) out. */
const TOKEN = new RegExp(`(${URL_PART})|(?<![\\w/@])${MENTION_PART}|(?<![\\w/&#])${HASHTAG_PART}`, "gu");

const TRAILING_PUNCTUATION = /[.,;:!?'")\]]+$/;
const MAX_TAG_LENGTH = 100;

function trimUrl(url: string): string {
	let trimmed = url.replace(TRAILING_PUNCTUATION, "");
	// Keep a closing parenthesis that balances one in the URL (Wikipedia links).
	const opens = (url.match(/\(/g) ?? []).length;
	if (opens > 0 && url.endsWith(")") && !trimmed.endsWith(")")) {
		const closes = (trimmed.match(/\)/g) ?? []).length;
		if (closes < opens) trimmed = url.slice(0, trimmed.length + 1);
	}
	return trimmed;
}

/** Lowercased `username@domain` (empty domain for local), the key mentions are resolved by. */
export function mentionKey(ref: MentionRef, localDomain: string): string {
	const domain = ref.domain?.toLowerCase();
	return `${ref.username.toLowerCase()}@${domain === localDomain.toLowerCase() ? "" : (domain ?? "")}`;
}

/** The normalized identity of a hashtag, as stored in `tags.name`. */
export function normalizeTag(name: string): string {
	return name.normalize("NFKC").toLowerCase();
}

export interface ExtractedEntities {
	mentions: MentionRef[];
	/** Display names as written, first occurrence of each normalized name. */
	tags: string[];
	urls: string[];
}

export function extractEntities(text: string): ExtractedEntities {
	const mentions: MentionRef[] = [];
	const seenMentions = new Set<string>();
	const tags: string[] = [];
	const seenTags = new Set<string>();
	const urls: string[] = [];
	for (const match of text.matchAll(TOKEN)) {
		if (match[1]) {
			urls.push(trimUrl(match[1]));
		} else if (match[2]) {
			const ref = { username: match[2], domain: match[3] ?? null };
			const key = `${ref.username.toLowerCase()}@${ref.domain?.toLowerCase() ?? ""}`;
			if (!seenMentions.has(key)) {
				seenMentions.add(key);
				mentions.push(ref);
			}
		} else if (match[4] && match[4].length <= MAX_TAG_LENGTH) {
			const key = normalizeTag(match[4]);
			if (!seenTags.has(key)) {
				seenTags.add(key);
				tags.push(match[4]);
			}
		}
	}
	return { mentions, tags, urls };
}

function linkHtml(url: string): string {
	const scheme = /^https?:\/\//.exec(url)?.[0] ?? "";
	const rest = url.slice(scheme.length);
	const visible = rest.length > 30 ? rest.slice(0, 30) : rest;
	const hidden = rest.slice(visible.length);
	return (
		`<a href="${escapeHtml(url)}" rel="nofollow noopener" translate="no" target="_blank">` +
		`<span class="invisible">${escapeHtml(scheme)}</span>` +
		`<span class="${hidden ? "ellipsis" : ""}">${escapeHtml(visible)}</span>` +
		`<span class="invisible">${escapeHtml(hidden)}</span></a>`
	);
}

function renderLine(line: string, options: RenderOptions, localDomain: string): string {
	let html = "";
	let last = 0;
	for (const match of line.matchAll(TOKEN)) {
		const start = match.index ?? 0;
		let token = match[0];
		let replacement: string | undefined;
		if (match[1]) {
			token = trimUrl(match[1]);
			replacement = linkHtml(token);
		} else if (match[2]) {
			const resolved = options.mentions.get(mentionKey({ username: match[2], domain: match[3] ?? null }, localDomain));
			if (resolved) {
				replacement =
					`<span class="h-card" translate="no"><a href="${escapeHtml(resolved.url)}" class="u-url mention">` +
					`@<span>${escapeHtml(resolved.username)}</span></a></span>`;
			}
		} else if (match[4] && match[4].length <= MAX_TAG_LENGTH) {
			const href = `${options.origin}/tags/${encodeURIComponent(normalizeTag(match[4]))}`;
			replacement = `<a href="${escapeHtml(href)}" class="mention hashtag" rel="tag">#<span>${escapeHtml(match[4])}</span></a>`;
		}
		if (replacement === undefined) continue;
		html += escapeHtml(line.slice(last, start)) + replacement;
		last = start + token.length;
	}
	return html + escapeHtml(line.slice(last));
}

export function renderStatusHtml(text: string, options: RenderOptions): string {
	const localDomain = new URL(options.origin).host;
	const paragraphs = text
		.replace(/\r\n?/g, "\n")
		.trim()
		.split(/\n{2,}/)
		.filter((p) => p.trim().length > 0);
	return paragraphs
		.map(
			(p) =>
				`<p>${p
					.split("\n")
					.map((line) => renderLine(line, options, localDomain))
					.join("<br />")}</p>`,
		)
		.join("");
}
