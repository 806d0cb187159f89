import type { Account } from "../../db/schema";
import { escapeHtml } from "../../lib/text/html";
import type { MastodonStatus } from "../../serializers/mastodon/entities";
import { PROFILE_PAGE_SIZE } from "../../services/accounts/public-profile";
import { loadStatusViews } from "../../services/statuses/views";
import { accountStatuses } from "../../services/timelines/account-statuses";
import type { FreshContext } from "./cache";
import { summaryText } from "./layout";

const RSS_TYPE = "application/rss+xml; charset=utf-8";

function xml(text: string): string {
	return escapeHtml(text);
}

/** Content as a feed reader shows it: the content warning first, media as links with their descriptions. */
function itemDescription(status: MastodonStatus): string {
	const warning = status.spoiler_text ? `<p><strong>${xml(status.spoiler_text)}</strong></p>` : "";
	const media = status.media_attachments
		.filter((m) => m.url)
		.map((m) => `<p><a href="${xml(m.url as string)}">${xml(m.description || "Attachment")}</a></p>`)
		.join("");
	const poll = status.poll
		? `<ul>${status.poll.options.map((o) => `<li>${xml(o.title)}${o.votes_count === null ? "" : ` (${o.votes_count})`}</li>`).join("")}</ul>`
		: "";
	return `${warning}${status.content}${media}${poll}`;
}

function item(status: MastodonStatus): string {
	const link = status.url ?? status.uri;
	const media = status.media_attachments
		.filter((m) => m.url)
		.map(
			(m) =>
				`<media:content url="${xml(m.url as string)}" medium="${m.type === "image" ? "image" : m.type === "audio" ? "audio" : "video"}">${
					m.description ? `<media:description type="plain">${xml(m.description)}</media:description>` : ""
				}</media:content>`,
		)
		.join("");
	return `<item>
<guid isPermaLink="true">${xml(link)}</guid>
<link>${xml(link)}</link>
<title>${xml(summaryText(status.spoiler_text || status.content, 80) || "Post")}</title>
<pubDate>${new Date(status.created_at).toUTCString()}</pubDate>
<description>${xml(itemDescription(status))}</description>
${status.tags.map((tag) => `<category>${xml(tag.name)}</category>`).join("")}${media}
</item>`;
}

/** An RSS 2.0 document, as Mastodon's feeds are (with Media RSS for attachments). */
export function rssResponse(
	channel: { title: string; link: string; self: string; description: string; image?: string },
	posts: MastodonStatus[],
): Response {
	const body = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:webfeeds="http://webfeeds.org/rss/1.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${xml(channel.title)}</title>
<link>${xml(channel.link)}</link>
<atom:link href="${xml(channel.self)}" rel="self" type="application/rss+xml"/>
<description>${xml(channel.description)}</description>
${channel.image ? `<image><url>${xml(channel.image)}</url><title>${xml(channel.title)}</title><link>${xml(channel.link)}</link></image>` : ""}
<generator>Tern</generator>
${posts.map(item).join("\n")}
</channel>
</rss>
`;
	return new Response(body, {
		headers: { "Content-Type": RSS_TYPE, "Cache-Control": "public, max-age=0, must-revalidate" },
	});
}

/** `/@name.rss`: the account's public posts (boosts and replies to others left out), newest first. */
export async function accountFeed(ctx: FreshContext, account: Account): Promise<Response> {
	const page = await accountStatuses(
		ctx.db,
		account.id,
		null,
		{ excludeReplies: true, excludeReblogs: true },
		{ limit: PROFILE_PAGE_SIZE },
	);
	// Unlisted posts stay out of feeds, as they stay out of public timelines.
	const posts = (await loadStatusViews(ctx.db, ctx.config, null, page.statusIds)).filter(
		(post) => post.visibility === "public",
	);
	const name = account.displayName || account.username;
	const link = `${ctx.config.origin}/@${account.username}`;
	return rssResponse(
		{
			title: `${name} (@${account.username}@${ctx.config.domain})`,
			link,
			self: `${link}.rss`,
			description: `Public posts from @${account.username}@${ctx.config.domain}`,
			image: account.avatarUrl ?? undefined,
		},
		posts,
	);
}
