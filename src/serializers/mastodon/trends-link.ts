import type { LinkCard } from "../../db/schema";

export interface MastodonTrendsLink {
	url: string;
	title: string;
	description: string;
	type: LinkCard["type"];
	author_name: string;
	author_url: string;
	authors: { name: string; url: string; account: null }[];
	provider_name: string;
	provider_url: string;
	html: string;
	width: number;
	height: number;
	image: string | null;
	embed_url: string;
	blurhash: string | null;
	language: string | null;
	published_at: string | null;
	history: { day: string; uses: string; accounts: string }[];
}

/**
 * A trending link as Mastodon's PreviewCard plus its history. Mastodon sends
 * empty strings for the URLs a page does not give; the documented schema
 * requires URIs there, so the site's own address stands in (it is the
 * provider, and the nearest thing to an author page). No image: Tern does
 * not copy pictures from other sites, and pointing apps at them would let
 * those sites see every reader.
 */
export function serializeTrendsLink(
	card: LinkCard,
	history: { day: number; uses: number; accounts: number }[],
): MastodonTrendsLink {
	const site = new URL(card.url).origin;
	const authorUrl = card.authorUrl ?? site;
	return {
		url: card.url,
		title: card.title,
		description: card.description,
		type: card.type,
		author_name: card.authorName,
		author_url: authorUrl,
		authors: card.authorName ? [{ name: card.authorName, url: authorUrl, account: null }] : [],
		provider_name: card.providerName || new URL(card.url).hostname,
		provider_url: site,
		html: "",
		width: 0,
		height: 0,
		image: null,
		embed_url: card.url,
		blurhash: null,
		language: card.language,
		published_at: card.publishedAt?.toISOString() ?? null,
		history: history.map((h) => ({ day: String(h.day), uses: String(h.uses), accounts: String(h.accounts) })),
	};
}
