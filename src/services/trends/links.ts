import { eq } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import type { Db } from "../../db/client";
import { type LinkCard, linkCards } from "../../db/schema";
import { outboundFetch } from "../../federation/federator";
import { decodeHtmlEntities } from "../../lib/text/html-entities";

/**
 * The link a post shares, as Mastodon picks the one its preview card shows:
 * the first http(s) link of the content that is not a mention or hashtag and
 * not an address of this server. Null when there is none.
 */
export function sharedLink(contentHtml: string, localHost: string): string | null {
	for (const match of contentHtml.matchAll(/<a\s([^>]*)>/gi)) {
		const attributes = match[1] ?? "";
		const href = /\bhref="([^"]*)"/i.exec(attributes)?.[1];
		if (!href) continue;
		const classes = /\bclass="([^"]*)"/i.exec(attributes)?.[1] ?? "";
		const rel = /\brel="([^"]*)"/i.exec(attributes)?.[1] ?? "";
		if (/\b(mention|hashtag)\b/.test(classes) || /\btag\b/.test(rel)) continue;
		let url: URL;
		try {
			url = new URL(decodeHtmlEntities(href));
		} catch {
			continue;
		}
		if (url.protocol !== "https:" && url.protocol !== "http:") continue;
		if (url.host.toLowerCase() === localHost.toLowerCase()) continue;
		url.hash = "";
		return url.href;
	}
	return null;
}

const MAX_PAGE_BYTES = 1024 * 1024;
const MAX_FIELD = 1000;

interface PageFacts {
	title: string;
	description: string;
	type: LinkCard["type"];
	providerName: string;
	authorName: string;
	authorUrl: string | null;
	language: string | null;
	publishedAt: Date | null;
}

/** What a page says of itself: OpenGraph first, then HTML's own title and meta tags, as Mastodon reads them. */
export async function readPageFacts(html: string): Promise<PageFacts> {
	const meta = new Map<string, string>();
	let title = "";
	let inTitle = false;
	let lang: string | null = null;
	const rewriter = new HTMLRewriter()
		.on("html", {
			element(element) {
				lang = element.getAttribute("lang");
			},
		})
		.on("meta", {
			element(element) {
				const name = (element.getAttribute("property") ?? element.getAttribute("name") ?? "").toLowerCase();
				const content = element.getAttribute("content");
				if (name && content && !meta.has(name)) meta.set(name, content);
			},
		})
		.on("title", {
			element(element) {
				inTitle = true;
				element.onEndTag(() => {
					inTitle = false;
				});
			},
			text(text) {
				if (inTitle) title += text.text;
			},
		});
	await rewriter.transform(new Response(html)).text();
	const field = (...names: string[]) => {
		for (const name of names) {
			const value = meta.get(name)?.trim();
			if (value) return decodeHtmlEntities(value).slice(0, MAX_FIELD);
		}
		return "";
	};
	const ogType = field("og:type");
	const published = field("article:published_time");
	const authorUrl = field("article:author", "author:url");
	return {
		title: field("og:title", "twitter:title") || decodeHtmlEntities(title.trim()).slice(0, MAX_FIELD),
		description: field("og:description", "twitter:description", "description"),
		type: ogType.startsWith("video") ? "video" : "link",
		providerName: field("og:site_name"),
		authorName: field("author", "article:author_name", "twitter:creator"),
		authorUrl: /^https?:\/\//.test(authorUrl) ? authorUrl : null,
		language:
			field("og:locale").slice(0, 2).toLowerCase() || (lang as string | null)?.slice(0, 2).toLowerCase() || null,
		publishedAt: published && !Number.isNaN(Date.parse(published)) ? new Date(published) : null,
	};
}

/**
 * Reads a trending link's page (through federation's guarded fetch: no
 * private addresses, capped size and time, unsigned) and stores its card;
 * a page that cannot be read is remembered as failed, to be tried a day later.
 */
export async function fetchLinkCard(ctx: ServiceContext, url: string, now = new Date()): Promise<LinkCard> {
	let facts: PageFacts | null = null;
	try {
		const response = await outboundFetch(ctx, url, {
			signAs: false,
			maxBytes: MAX_PAGE_BYTES,
			headers: { Accept: "text/html,application/xhtml+xml" },
		});
		const type = response.headers.get("content-type") ?? "";
		if (response.status >= 200 && response.status < 300 && /html/i.test(type)) {
			facts = await readPageFacts(response.text());
		}
	} catch (error) {
		console.warn(`Link card for ${url} not read`, error);
	}
	const row: LinkCard = {
		url,
		title: facts?.title ?? "",
		description: facts?.description ?? "",
		type: facts?.type ?? "link",
		providerName: facts?.providerName ?? "",
		authorName: facts?.authorName ?? "",
		authorUrl: facts?.authorUrl ?? null,
		language: facts?.language ?? null,
		publishedAt: facts?.publishedAt ?? null,
		fetchedAt: now,
		failed: facts === null,
	};
	await ctx.db.insert(linkCards).values(row).onConflictDoUpdate({ target: linkCards.url, set: row });
	return row;
}

export async function findLinkCard(db: Db, url: string): Promise<LinkCard | undefined> {
	const [row] = await db.select().from(linkCards).where(eq(linkCards.url, url)).limit(1);
	return row;
}
