import type { Account } from "../../db/schema";
import type { AppContext, AppRequest } from "../../http/context";
import { serializeAccount } from "../../serializers/mastodon/account";
import type { MastodonAccount } from "../../serializers/mastodon/entities";
import {
	findPublicAccount,
	movedToAddress,
	profilePostIds,
	searchEnginesAllowed,
} from "../../services/accounts/public-profile";
import { lookupEmojis } from "../../services/instance/emoji-lookup";
import { accountScope } from "../../services/instance/page-versions";
import { loadStatusViews } from "../../services/statuses/views";
import { html, type SafeHtml, trustedHtml } from "../html";
import { cachedPage, type FreshContext } from "./cache";
import { emojifyHtml, emojifyText } from "./emoji";
import { accountFeed } from "./feeds";
import { followBox } from "./follow-box";
import { notFoundPage, publicPage, shareMeta, summaryText, unavailableProfilePage } from "./layout";
import { emojiTexts, postHtml } from "./status-html";

/** `name`, `name@domain` (remote) or `name.rss` from the `/@…` path segment. */
export function parseProfileName(
	segment: string,
): { username: string; domain: string | null; feed: boolean } | undefined {
	const feed = segment.endsWith(".rss");
	const name = (feed ? segment.slice(0, -4) : segment).replace(/^@/, "");
	const at = name.indexOf("@");
	const username = at < 0 ? name : name.slice(0, at);
	const domain = at < 0 ? null : name.slice(at + 1).toLowerCase();
	if (!/^[A-Za-z0-9_.-]+$/.test(username) || (domain !== null && !/^[a-z0-9.-]+(:\d{1,5})?$/.test(domain)))
		return undefined;
	return { username, domain, feed };
}

function fieldRows(
	view: MastodonAccount,
	domain: string | null,
	emojis: Awaited<ReturnType<typeof lookupEmojis>>,
): SafeHtml {
	return html`${view.fields.map((field) => {
		// Local values are escaped text, remote ones sanitized HTML.
		const value = emojifyHtml(field.value, domain, emojis);
		return html`<dt${field.verified_at ? html` class="verified"` : ""}>${emojifyText(field.name, domain, emojis)}</dt>
<dd${field.verified_at ? html` class="verified" title="Link verified ${field.verified_at.slice(0, 10)}"` : ""}>${
			field.verified_at ? "✔ " : ""
		}${linkified(value, domain === null)}</dd>`;
	})}`;
}

/** Local field values are plain text: an http(s) URL among them becomes a link (rel="me", as Mastodon renders it). */
function linkified(value: SafeHtml, local: boolean): SafeHtml {
	if (!local) return value;
	return trustedHtml(
		value.value.replace(
			/https?:\/\/[^\s<>"']+/g,
			(url) => `<a href="${url}" rel="me nofollow noopener" target="_blank">${url.replace(/^https?:\/\//, "")}</a>`,
		),
	);
}

async function renderProfile(ctx: FreshContext, account: Account, maxId: string | undefined): Promise<Response> {
	const ids = await profilePostIds(ctx.db, account, maxId);
	const posts = await loadStatusViews(ctx.db, ctx.config, null, [...ids.pinned, ...ids.recent]);
	const view = serializeAccount(account, ctx.config);
	const domain = account.domain;
	const emojis = await lookupEmojis(ctx.db, ctx.config.origin, [
		...emojiTexts(posts),
		{ domain, texts: [view.display_name, view.note, ...view.fields.flatMap((f) => [f.name, f.value])] },
	]);
	const handle = `@${account.username}@${domain ?? ctx.config.domain}`;
	const name = view.display_name || account.username;
	const pinned = new Set(ids.pinned);
	const home = account.url ?? account.uri;
	const path = `/@${view.acct}`;
	const bio = summaryText(view.note);
	const body = html`<section class="profile">
<img class="banner" src="${view.header}" alt="${view.header_description}">
<img class="avatar" src="${view.avatar}" alt="${view.avatar_description || `${name}'s avatar`}" width="96" height="96">
<h1>${emojifyText(name, domain, emojis)}${account.bot ? html` <small class="muted">(automated)</small>` : ""}${
		account.locked ? html` <small class="muted" title="Approves followers">🔒</small>` : ""
	}</h1>
<p class="handle">${handle}</p>
${domain ? html`<p class="notice">This account is on another server. <a href="${home}" rel="nofollow noopener">See the full profile on ${domain}</a>.</p>` : ""}
${account.movedToAccountId ? html`<p class="notice">This account has moved.</p>` : ""}
<div class="bio">${emojifyHtml(view.note, domain, emojis)}</div>
${view.fields.length > 0 ? html`<dl class="fields">${fieldRows(view, domain, emojis)}</dl>` : ""}
<ul class="stats"><li><strong>${view.statuses_count}</strong> posts</li>${
		account.hideCollections
			? ""
			: html`<li><strong>${view.following_count}</strong> following</li><li><strong>${view.followers_count}</strong> followers</li>`
	}</ul>
${domain ? "" : followBox(account.uri, "account", ctx.config.domain)}
</section>
<h2>${domain ? "Posts known to this server" : "Posts"}</h2>
${posts.length > 0 ? posts.map((post) => postHtml(post, { emojis, origin: ctx.config.origin, pinned: pinned.has(post.id) })) : html`<p class="muted">No public posts${maxId ? " before these" : ""}.</p>`}
<nav class="pager" aria-label="Pages">${maxId ? html`<a href="${path}">Newest posts</a>` : html`<span></span>`}${
		ids.nextMaxId ? html`<a href="${path}?max_id=${ids.nextMaxId}">Older posts</a>` : ""
	}</nav>`;
	const alternate = html`<link rel="alternate" type="application/activity+json" href="${account.uri}">
${domain ? "" : html`<link rel="alternate" type="application/rss+xml" title="${name}'s posts" href="${ctx.config.origin}${path}.rss">`}`;
	return publicPage(ctx, `${name} (${handle})`, body, {
		description: bio || `${name}'s profile on ${ctx.config.title}`,
		noindex: !searchEnginesAllowed(account) || domain !== null,
		head: html`${alternate}${shareMeta(
			{
				title: `${name} (${handle})`,
				description: bio || `${handle} on ${ctx.config.title}`,
				url: `${ctx.config.origin}${path}`,
				image: view.avatar,
				type: "profile",
				creator: domain ? undefined : handle,
			},
			ctx.config.title,
		)}`,
	});
}

/**
 * What a browser gets at `/@name`, `/@name@domain` and `/@name.rss`: the
 * profile page or its feed, from the edge cache when nothing changed.
 */
export async function publicProfile(request: AppRequest, ctx: AppContext, segment: string): Promise<Response> {
	const parsed = parseProfileName(segment);
	if (!parsed) return notFoundPage(ctx);
	const domain = parsed.domain === ctx.config.domain ? null : parsed.domain;
	if (parsed.feed && domain) return notFoundPage(ctx);
	const maxIdParam = new URL(request.url).searchParams.get("max_id") ?? undefined;
	const maxId = maxIdParam && /^[A-Za-z0-9_-]{1,64}$/.test(maxIdParam) ? maxIdParam : undefined;
	return cachedPage(request, ctx, [accountScope(parsed.username, domain)], async (fresh) => {
		const found = await findPublicAccount(fresh.db, parsed.username, domain);
		if (!found) return notFoundPage(fresh);
		if ("unavailable" in found) return unavailableProfilePage(fresh, found.unavailable);
		const { account } = found;
		// A local account that moved sends browsers on to the new one (the issue's "redirect on the profile").
		if (!domain && account.movedToAccountId && !parsed.feed) {
			const target = await movedToAddress(fresh.db, account.movedToAccountId);
			if (target) return Response.redirect(target, 302);
		}
		if (parsed.feed) return accountFeed(fresh, account);
		return renderProfile(fresh, account, maxId);
	});
}
