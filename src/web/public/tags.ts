import type { AppContext, AppRequest } from "../../http/context";
import type { AppRouter } from "../../http/router";
import { normalizeTag } from "../../lib/text/status-text";
import { lookupEmojis } from "../../services/instance/emoji-lookup";
import { loadStatusViews } from "../../services/statuses/views";
import { tagTimeline } from "../../services/timelines/timelines";
import { html } from "../html";
import { cachedPage } from "./cache";
import { rssResponse } from "./feeds";
import { notFoundPage, publicPage, shareMeta } from "./layout";
import { emojiTexts, postHtml } from "./status-html";

const TAG_PAGE_SIZE = 20;
const TAG_NAME = /^[\p{L}\p{M}\p{N}_]{1,100}$/u;

/** `/tags/:tag` and `/tags/:tag.rss`: this server's public posts with the tag, newest first. */
async function tagPage(request: AppRequest, ctx: AppContext): Promise<Response> {
	const segment = decodeURIComponent(String(request.params.tag));
	const feed = segment.endsWith(".rss");
	const name = feed ? segment.slice(0, -4) : segment;
	if (!TAG_NAME.test(name)) return notFoundPage(ctx);
	const maxIdParam = new URL(request.url).searchParams.get("max_id") ?? undefined;
	const maxId = maxIdParam && /^[A-Za-z0-9_-]{1,64}$/.test(maxIdParam) ? maxIdParam : undefined;
	return cachedPage(request, ctx, ["posts"], async (fresh) => {
		const page = await tagTimeline(fresh.db, name, { maxId, limit: TAG_PAGE_SIZE }, { local: true });
		const posts = await loadStatusViews(fresh.db, fresh.config, null, page.statusIds);
		const origin = fresh.config.origin;
		const path = `/tags/${encodeURIComponent(normalizeTag(name))}`;
		if (feed) {
			return rssResponse(
				{
					title: `#${name}`,
					link: `${origin}${path}`,
					self: `${origin}${path}.rss`,
					description: `Public posts tagged #${name} on ${fresh.config.title}`,
				},
				posts,
			);
		}
		const emojis = await lookupEmojis(fresh.db, origin, emojiTexts(posts));
		const next = page.statusIds.length === TAG_PAGE_SIZE ? page.statusIds.at(-1) : undefined;
		return publicPage(
			fresh,
			`#${name}`,
			html`<h1>#${name}</h1>
<p class="muted">Public posts from ${fresh.config.title} with this tag. <a href="${path}.rss">RSS feed</a></p>
${posts.length > 0 ? posts.map((post) => postHtml(post, { emojis, origin })) : html`<p class="muted">No public posts with this tag${maxId ? " before these" : ""}.</p>`}
<nav class="pager" aria-label="Pages">${maxId ? html`<a href="${path}">Newest posts</a>` : html`<span></span>`}${
				next ? html`<a href="${path}?max_id=${next}">Older posts</a>` : ""
			}</nav>`,
			{
				description: `Public posts tagged #${name} on ${fresh.config.title}`,
				head: html`<link rel="alternate" type="application/rss+xml" title="#${name}" href="${origin}${path}.rss">
${shareMeta({ title: `#${name}`, description: `Public posts tagged #${name}`, url: `${origin}${path}` }, fresh.config.title)}`,
			},
		);
	});
}

export function tagPageRoutes(router: AppRouter): void {
	router.get("/tags/:tag", tagPage);
}
