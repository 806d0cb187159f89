import type {
	MastodonAccount,
	MastodonMediaAttachment,
	MastodonPoll,
	MastodonStatus,
} from "../../serializers/mastodon/entities";
import type { EmojiMap } from "../../services/instance/emoji-lookup";
import { html, type SafeHtml } from "../html";
import { emojifyHtml, emojifyText } from "./emoji";

/** The domain part of an acct (`name@domain`), null for local accounts. */
export function acctDomain(account: MastodonAccount): string | null {
	const at = account.acct.indexOf("@");
	return at < 0 ? null : account.acct.slice(at + 1);
}

/** Where a profile lives on this server's pages: `/@name`, or `/@name@domain` for remote accounts. */
export function profilePath(account: MastodonAccount): string {
	return `/@${account.acct}`;
}

export function displayName(account: MastodonAccount, emojis: EmojiMap): SafeHtml {
	return emojifyText(account.display_name || account.username, acctDomain(account), emojis);
}

function dateTime(iso: string): SafeHtml {
	const date = new Date(iso);
	return html`<time datetime="${iso}">${date.toISOString().slice(0, 16).replace("T", " ")} UTC</time>`;
}

function mediaHtml(media: MastodonMediaAttachment): SafeHtml {
	const description = media.description ?? "";
	if (!media.url) return html``;
	if (media.type === "video" || media.type === "gifv") {
		return html`<figure><video src="${media.url}" controls preload="none"${
			media.preview_url ? html` poster="${media.preview_url}"` : ""
		} title="${description}"></video>${description ? html`<figcaption>${description}</figcaption>` : ""}</figure>`;
	}
	if (media.type === "audio") {
		return html`<figure><audio src="${media.url}" controls preload="none" title="${description}"></audio>${
			description ? html`<figcaption>${description}</figcaption>` : ""
		}</figure>`;
	}
	if (media.type === "image") {
		const size = media.meta?.small ?? media.meta?.original;
		return html`<figure><a href="${media.url}"><img src="${media.preview_url ?? media.url}" alt="${description}"${
			size ? html` width="${size.width}" height="${size.height}"` : ""
		} loading="lazy"></a>${description ? html`<figcaption>${description}</figcaption>` : ""}</figure>`;
	}
	return html`<figure><a href="${media.url}">${description || "Attachment"}</a></figure>`;
}

function pollHtml(poll: MastodonPoll): SafeHtml {
	const total = poll.options.reduce((sum, option) => sum + (option.votes_count ?? 0), 0);
	const people = poll.voters_count ?? poll.votes_count;
	return html`<div class="poll"><ul>${poll.options.map((option) => {
		const votes = option.votes_count;
		const share = votes === null || total === 0 ? 0 : Math.round((votes / total) * 100);
		return html`<li><span>${option.title}</span> <strong>${votes === null ? "" : `${share}%`}</strong>
<span class="bar" style="width:${share}%"></span></li>`;
	})}</ul><p class="muted">${people} ${people === 1 ? "person" : "people"} · ${
		poll.expired ? "Closed" : poll.expires_at ? html`Ends ${dateTime(poll.expires_at)}` : "Open"
	}</p></div>`;
}

/** Where a post is read: its page here for local posts, its home for remote ones. */
export function postLink(status: MastodonStatus, origin: string): string {
	return status.url ?? status.uri ?? `${origin}`;
}

export interface PostOptions {
	emojis: EmojiMap;
	origin: string;
	/** The post a page is about: larger, with its exact counts. */
	focus?: boolean;
	/** Set on pinned posts of a profile. */
	pinned?: boolean;
}

/**
 * One post as an article: author, content (its content warning as a
 * collapsed <details>, which needs no script), media with their
 * descriptions, poll results, counts and its time linking to its page.
 */
export function postHtml(item: MastodonStatus, options: PostOptions): SafeHtml {
	const boostedBy = item.reblog ? item.account : null;
	const status = item.reblog ?? item;
	const domain = acctDomain(status.account);
	const content = emojifyHtml(status.content, domain, options.emojis);
	const media =
		status.media_attachments.length > 0
			? html`<div class="media">${status.media_attachments.map(mediaHtml)}</div>`
			: "";
	const body = html`<div class="content" lang="${status.language ?? ""}">${content}</div>${media}${status.poll ? pollHtml(status.poll) : ""}`;
	const warned = status.spoiler_text
		? html`<details class="cw"><summary>${emojifyText(status.spoiler_text, domain, options.emojis)}<span>Show more</span></summary>${body}</details>`
		: status.sensitive && status.media_attachments.length > 0
			? html`<div class="content" lang="${status.language ?? ""}">${content}</div><details class="cw"><summary>Sensitive media<span>Show</span></summary>${media}</details>${status.poll ? pollHtml(status.poll) : ""}`
			: body;
	return html`<article class="post${options.focus ? " focus" : ""}" id="post-${status.id}">
${boostedBy ? html`<p class="muted">🔁 <a href="${profilePath(boostedBy)}">${displayName(boostedBy, options.emojis)}</a> boosted</p>` : ""}
${options.pinned ? html`<p class="muted">📌 Pinned</p>` : ""}
<header><img src="${status.account.avatar}" alt="" width="44" height="44" loading="lazy">
<span class="who"><a href="${profilePath(status.account)}"><strong>${displayName(status.account, options.emojis)}</strong></a><br><small>@${status.account.acct}</small></span></header>
${warned}
<footer><a href="${postLink(status, options.origin)}">${dateTime(status.created_at)}</a>${status.edited_at ? html`<span>Edited</span>` : ""}
<span>${status.replies_count} ${status.replies_count === 1 ? "reply" : "replies"}</span>
<span>${status.reblogs_count} ${status.reblogs_count === 1 ? "boost" : "boosts"}</span>
<span>${status.favourites_count} ${status.favourites_count === 1 ? "favourite" : "favourites"}</span></footer>
</article>`;
}

/** The texts in a page of posts whose custom emoji need looking up, grouped by their author's server. */
export function emojiTexts(items: readonly MastodonStatus[]): { domain: string | null; texts: string[] }[] {
	return items.map((item) => {
		const status = item.reblog ?? item;
		return {
			domain: acctDomain(status.account),
			texts: [status.content, status.spoiler_text, status.account.display_name, item.account.display_name],
		};
	});
}
