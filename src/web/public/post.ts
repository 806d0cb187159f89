import type { AppContext, AppRequest } from "../../http/context";
import { searchEnginesAllowed } from "../../services/accounts/public-profile";
import { lookupEmojis } from "../../services/instance/emoji-lookup";
import { accountScope } from "../../services/instance/page-versions";
import { findPublicLocalPost, publicThreadIds } from "../../services/statuses/public-thread";
import { loadStatusViews } from "../../services/statuses/views";
import { html } from "../html";
import { cachedPage } from "./cache";
import { followBox } from "./follow-box";
import { notFoundPage, publicPage, shareMeta, summaryText } from "./layout";
import { emojiTexts, postHtml } from "./status-html";

/**
 * What a browser gets at a local post's address (`/@name/:id`, also what
 * apps open with "open in browser"): the post with its media, poll and
 * content warning, the public thread around it, and the meta other sites
 * read to show a preview. Public and unlisted posts only.
 */
export async function publicPost(
	request: AppRequest,
	ctx: AppContext,
	username: string,
	id: string,
): Promise<Response> {
	if (!/^[A-Za-z0-9_.-]+$/.test(username)) return notFoundPage(ctx);
	return cachedPage(request, ctx, [accountScope(username, null)], async (fresh) => {
		const found = await findPublicLocalPost(fresh.db, username, id);
		if (!found) return notFoundPage(fresh);
		const thread = await publicThreadIds(fresh.db, found.status);
		const views = await loadStatusViews(fresh.db, fresh.config, null, [
			...thread.ancestors,
			found.status.id,
			...thread.descendants,
		]);
		const post = views.find((view) => view.id === found.status.id);
		if (!post) return notFoundPage(fresh);
		const ancestors = views.filter((view) => thread.ancestors.includes(view.id));
		const replies = views.filter((view) => thread.descendants.includes(view.id));
		const emojis = await lookupEmojis(fresh.db, fresh.config.origin, emojiTexts(views));
		const origin = fresh.config.origin;
		const { author } = found;
		const name = author.displayName || author.username;
		const handle = `@${author.username}@${fresh.config.domain}`;
		// A content warning is all a preview may show: the text stays behind it, as in apps.
		const description = post.spoiler_text
			? `Content warning: ${post.spoiler_text}`
			: summaryText(post.content, 300) ||
				(post.poll ? `Poll: ${post.poll.options.map((o) => o.title).join(", ")}` : "");
		const image =
			post.spoiler_text || post.sensitive
				? null
				: (post.media_attachments.find((m) => m.type === "image")?.url ?? post.account.avatar);
		const url = post.url ?? `${origin}/@${author.username}/${post.id}`;
		return publicPage(
			fresh,
			`${name}: "${summaryText(post.spoiler_text || post.content, 60) || "Post"}"`,
			html`${ancestors.length > 0 ? html`<section aria-label="Earlier in the thread">${ancestors.map((view) => postHtml(view, { emojis, origin }))}</section>` : ""}
${postHtml(post, { emojis, origin, focus: true })}
${followBox(post.uri, "post", fresh.config.domain)}
${replies.length > 0 ? html`<section aria-label="Replies"><h2>Replies</h2>${replies.map((view) => postHtml(view, { emojis, origin }))}</section>` : ""}`,
			{
				lang: post.language ?? undefined,
				description,
				noindex: !searchEnginesAllowed(author),
				head: html`<link rel="alternate" type="application/activity+json" href="${post.uri}">
${shareMeta(
	{
		title: `${name} (${handle})`,
		description,
		url,
		image,
		type: "article",
		creator: handle,
		publishedAt: post.created_at,
	},
	fresh.config.title,
)}`,
			},
		);
	});
}
