import type { AppContext } from "../../http/context";
import { html, type PageOptions, page, type SafeHtml } from "../html";

/** OpenGraph and Twitter-card meta for a page others will link to. */
export interface ShareMeta {
	title: string;
	description: string;
	url: string;
	image?: string | null;
	type?: "website" | "article" | "profile";
	/** `@name@domain` of the author, for `fediverse:creator`. */
	creator?: string;
	publishedAt?: string;
}

export function shareMeta(meta: ShareMeta, siteName: string): SafeHtml {
	return html`<link rel="canonical" href="${meta.url}">
<meta property="og:site_name" content="${siteName}">
<meta property="og:type" content="${meta.type ?? "website"}">
<meta property="og:title" content="${meta.title}">
<meta property="og:description" content="${meta.description}">
<meta property="og:url" content="${meta.url}">
${meta.image ? html`<meta property="og:image" content="${meta.image}">` : ""}
${meta.publishedAt ? html`<meta property="og:published_time" content="${meta.publishedAt}">` : ""}
<meta name="twitter:card" content="${meta.image && meta.type === "article" ? "summary_large_image" : "summary"}">
<meta name="twitter:title" content="${meta.title}">
<meta name="twitter:description" content="${meta.description}">
${meta.image ? html`<meta name="twitter:image" content="${meta.image}">` : ""}
${meta.creator ? html`<meta name="fediverse:creator" content="${meta.creator.replace(/^@/, "")}">` : ""}`;
}

/** A public page: wide layout, images from other servers allowed, cacheable. */
export function publicPage(
	ctx: AppContext,
	title: string,
	body: SafeHtml,
	options: Omit<PageOptions, "instanceTitle" | "layout" | "remoteImages"> = {},
): Response {
	return page(title, body, {
		...options,
		instanceTitle: ctx.config.title,
		layout: "wide",
		remoteImages: true,
		cacheControl: options.cacheControl ?? "public, max-age=0, must-revalidate",
	});
}

/** Plain text for a meta description: tags out, whitespace folded, at most `max` characters. */
export function summaryText(htmlText: string, max = 200): string {
	const text = htmlText
		.replace(/<br\s*\/?>|<\/p>/gi, " ")
		.replace(/<[^>]*>/g, "")
		.replace(/&lt;/g, "<")
		.replace(/&gt;/g, ">")
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&nbsp;/g, " ")
		.replace(/&amp;/g, "&")
		.replace(/\s+/g, " ")
		.trim();
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A profile whose account is suspended (403: it may come back) or was deleted by its owner (410: gone for good). */
export function unavailableProfilePage(ctx: AppContext, reason: "suspended" | "deleted"): Response {
	const [title, text] =
		reason === "deleted"
			? ["Account deleted", "This account was deleted by its owner. Its posts are gone from this server."]
			: ["Account suspended", "This account has been suspended by the moderators of this server."];
	return page(title, html`<h1>${title}</h1><p>${text}</p><p><a href="/">Back to ${ctx.config.title}</a></p>`, {
		instanceTitle: ctx.config.title,
		status: reason === "deleted" ? 410 : 403,
		noindex: true,
	});
}

/** The page a browser gets for an account, post or tag that is not here (or not public). */
export function notFoundPage(ctx: AppContext): Response {
	return page(
		"Not found",
		html`<h1>Not found</h1><p>There is nothing public here. It may have been deleted, or it was never shared publicly.</p><p><a href="/">Back to ${ctx.config.title}</a></p>`,
		{
			instanceTitle: ctx.config.title,
			status: 404,
			noindex: true,
		},
	);
}
