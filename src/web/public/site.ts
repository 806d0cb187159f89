import type { AppContext, AppRequest } from "../../http/context";
import type { AppRouter } from "../../http/router";
import { markdownToHtml } from "../../lib/text/markdown";
import { lookupEmojis } from "../../services/instance/emoji-lookup";
import { instanceFacts } from "../../services/instance/facts";
import { listModeratedServers } from "../../services/instance/moderated-servers";
import { defaultPrivacyPolicy } from "../../services/instance/privacy-policy";
import { loadStatusViews } from "../../services/statuses/views";
import { publicTimeline } from "../../services/timelines/timelines";
import { html, trustedHtml } from "../html";
import { cachedPage } from "./cache";
import { publicPage, shareMeta } from "./layout";
import { emojiTexts, postHtml } from "./status-html";

const RECENT_POSTS = 5;

function joinButton(ctx: AppContext): ReturnType<typeof html> {
	const mode = ctx.config.registrationMode;
	if (mode === "closed") {
		return html`<p class="notice">Sign-ups are closed on this server. <a class="button secondary" href="/auth/sign_in">Sign in</a></p>`;
	}
	return html`<p><a class="button" href="/auth/sign_up">${mode === "approval" ? "Apply to join" : "Create an account"}</a>
<a class="button secondary" href="/auth/sign_in">Sign in</a></p>${
		mode === "approval" ? html`<p class="notice">New accounts are reviewed by a moderator.</p>` : ""
	}`;
}

function contactHtml(ctx: AppContext, admin: { username: string } | undefined) {
	const email = ctx.config.contactEmail;
	if (!email && !admin) return html``;
	return html`<h2>Contact</h2><p>${admin ? html`Administered by <a href="/@${admin.username}">@${admin.username}</a>. ` : ""}${
		email ? html`Email: <a href="mailto:${email}">${email}</a>` : ""
	}</p>`;
}

async function landing(request: AppRequest, ctx: AppContext): Promise<Response> {
	return cachedPage(request, ctx, ["posts"], async (ctx) => {
		const [facts, recent] = await Promise.all([
			instanceFacts(ctx.db),
			publicTimeline(ctx.db, { limit: RECENT_POSTS }, { local: true }),
		]);
		const posts = await loadStatusViews(ctx.db, ctx.config, null, recent.statusIds);
		const emojis = await lookupEmojis(ctx.db, ctx.config.origin, emojiTexts(posts));
		const { title, description, origin } = ctx.config;
		return publicPage(
			ctx,
			title,
			html`<h1>${title}</h1>
${description ? html`<p class="lede">${description}</p>` : ""}
${joinButton(ctx)}
<ul class="stats"><li><strong>${facts.userCount}</strong> ${facts.userCount === 1 ? "member" : "members"}</li>
<li><strong>${facts.activeMonth}</strong> active this month</li><li><strong>${facts.statusCount}</strong> posts</li></ul>
${facts.rules.length > 0 ? html`<h2>Rules</h2><ol>${facts.rules.map((rule) => html`<li>${rule.text}${rule.hint ? html`<br><small class="muted">${rule.hint}</small>` : ""}</li>`)}</ol>` : ""}
${contactHtml(ctx, facts.contactAccount)}
<h2>Recent posts</h2>
${posts.length > 0 ? posts.map((post) => postHtml(post, { emojis, origin })) : html`<p class="muted">Nothing posted publicly yet.</p>`}
<p><a href="/about">More about this server</a></p>`,
			{
				description: description || `${title}, a Tern server in the fediverse`,
				head: shareMeta({ title, description: description || title, url: `${origin}/` }, title),
			},
		);
	});
}

async function about(request: AppRequest, ctx: AppContext): Promise<Response> {
	return cachedPage(request, ctx, [], async (ctx) => {
		const [facts, moderated] = await Promise.all([instanceFacts(ctx.db), listModeratedServers(ctx.db)]);
		const { settings } = ctx;
		const { title, description, origin, domain } = ctx.config;
		const extended = settings.extendedDescription?.trim();
		return publicPage(
			ctx,
			"About",
			html`<h1>About ${title}</h1>
<p class="lede">${description || html`${domain} is a server in the fediverse, run with Tern.`}</p>
${extended ? trustedHtml(markdownToHtml(extended)) : ""}
<ul class="stats"><li><strong>${facts.userCount}</strong> ${facts.userCount === 1 ? "member" : "members"}</li>
<li><strong>${facts.domainCount}</strong> servers seen</li></ul>
${contactHtml(ctx, facts.contactAccount)}
<h2>Rules</h2>
${facts.rules.length > 0 ? html`<ol>${facts.rules.map((rule) => html`<li>${rule.text}${rule.hint ? html`<br><small class="muted">${rule.hint}</small>` : ""}</li>`)}</ol>` : html`<p class="muted">This server has not listed any rules.</p>`}
${
	moderated.length > 0
		? html`<h2>Moderated servers</h2><p>Content from these servers is limited or blocked here.</p>
<table class="list"><thead><tr><th>Server</th><th>Action</th><th>Reason</th></tr></thead><tbody>${moderated.map(
				(server) =>
					html`<tr><td>${server.domain}</td><td>${server.severity === "suspend" ? "Suspended" : "Limited"}</td><td>${server.comment ?? ""}</td></tr>`,
			)}</tbody></table>`
		: ""
}
<h2>Privacy</h2><p>Read the <a href="/privacy-policy">privacy policy</a>.</p>
${joinButton(ctx)}`,
			{
				description: description || `About ${title}`,
				head: shareMeta({ title: `About ${title}`, description: description || title, url: `${origin}/about` }, title),
			},
		);
	});
}

async function privacyPolicy(request: AppRequest, ctx: AppContext): Promise<Response> {
	return cachedPage(request, ctx, [], async (ctx) => {
		const text = ctx.settings.privacyPolicy?.trim() || defaultPrivacyPolicy(ctx.config);
		return publicPage(ctx, "Privacy policy", html`<h1>Privacy policy</h1>${trustedHtml(markdownToHtml(text))}`, {
			description: `How ${ctx.config.title} handles your data`,
		});
	});
}

export function sitePageRoutes(router: AppRouter): void {
	router.get("/", landing);
	router.get("/about", about);
	router.get("/privacy-policy", privacyPolicy);
}
