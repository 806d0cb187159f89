import { hidden, html, page, type SafeHtml } from "./html";

interface PageContext {
	instanceTitle: string;
	headers?: HeadersInit;
	status?: number;
}

const WHY_DOMAIN_IS_FIXED = html`Every handle on this server (<code>@name@domain</code>) and every address
other servers keep for its accounts and posts contains the domain. Serving under another one would cut
every follower elsewhere off and break every link to a post, so Tern refuses.`;

function errorLine(error: string | undefined): SafeHtml | "" {
	return error ? html`<p class="error" role="alert">${error}</p>` : "";
}

export function setupSecretPage(ctx: PageContext, form: { csrf: string; error?: string }): Response {
	return page(
		"Set up",
		html`<h1>Set up your server</h1>
<p>This server has no admin yet. To show that the deployment is yours, enter the
<strong>KEY_ENCRYPTION_SECRET</strong> you chose while deploying it (the Deploy to Cloudflare page asked for it;
<code>npm run deploy</code> tells you where it kept one it made).</p>
${errorLine(form.error)}
<form method="post" action="/setup">
${hidden({ authenticity_token: form.csrf })}
<label for="secret">KEY_ENCRYPTION_SECRET</label><input id="secret" type="password" name="secret" autocomplete="off" required>
<button type="submit">Continue</button>
</form>`,
		ctx,
	);
}

export interface SetupValues {
	username?: string;
	email?: string;
	title?: string;
	description?: string;
	rules?: string;
	registrationMode?: string;
}

const MODES = [
	["open", "Open: anyone can sign up and post at once"],
	["approval", "Approval: anyone can ask to join; an admin approves each account"],
	["closed", "Closed: only admins make accounts"],
] as const;

export function setupFormPage(
	ctx: PageContext,
	form: {
		csrf: string;
		proof: string;
		domain: string;
		/** The domain is the address this page was opened at, not INSTANCE_DOMAIN. */
		domainFromAddress: boolean;
		values: SetupValues;
		error?: string;
	},
): Response {
	const v = form.values;
	const mode = v.registrationMode ?? "closed";
	return page(
		"Set up",
		html`<h1>Set up your server</h1>
${errorLine(form.error)}
<p>Its domain will be <strong>${form.domain}</strong>${form.domainFromAddress ? " (the address you opened this page at)" : " (this server's configured domain)"}:
handles will look like <code>@name@${form.domain}</code>. It cannot change once other servers know it.
${form.domainFromAddress ? html`To use your own domain instead, add it to the Worker first (Settings, Domains &amp; Routes) and open this page there.` : ""}</p>
<form method="post" action="/setup/finish">
${hidden({ authenticity_token: form.csrf, proof: form.proof })}
<h2>Your admin account</h2>
<label for="username">Username</label><input id="username" type="text" name="username" autocomplete="username" required maxlength="30" value="${v.username ?? ""}">
<label for="email">Email</label><input id="email" type="email" name="email" autocomplete="email" required value="${v.email ?? ""}">
<label for="password">Password</label><input id="password" type="password" name="password" autocomplete="new-password" required minlength="8">
<h2>Your server</h2>
<label for="title">Name</label><input id="title" type="text" name="title" required maxlength="100" value="${v.title ?? ""}">
<label for="description">Description</label><textarea id="description" name="description" maxlength="500">${v.description ?? ""}</textarea>
<label for="rules">Rules, one per line</label><textarea id="rules" name="rules">${v.rules ?? ""}</textarea>
<fieldset><legend>Who can sign up</legend>
${MODES.map(
	([value, label]) =>
		html`<label class="choice"><input type="radio" name="registration_mode" value="${value}"${mode === value ? html` checked` : ""}> ${label}</label>`,
)}
</fieldset>
<button type="submit">Finish setup</button>
</form>`,
		ctx,
	);
}

export function setupDonePage(ctx: PageContext, done: { username: string; domain: string }): Response {
	return page(
		"Ready",
		html`<h1>Your server is ready</h1>
<p>You are signed in as <strong>@${done.username}@${done.domain}</strong>, its admin.</p>
<p>Sign in from any Mastodon app: choose to sign in to another server and type <strong>${done.domain}</strong>.
Your signing keys are being made in the background; other servers can follow you within a minute.</p>
<p>The settings you chose can be changed later from the command line (<code>npx tern --help</code>).
This page will not open again.</p>`,
		ctx,
	);
}

/** Setup cannot go on until the person who deployed fixes the deployment; says what to change. */
export function setupBlockedPage(ctx: PageContext, reason: "secret" | "placeholder", domain?: string): Response {
	const body =
		reason === "secret"
			? html`<h1>One secret is missing</h1>
<p>This server has no usable <strong>KEY_ENCRYPTION_SECRET</strong>: it is not set, shorter than 32 characters,
or still the example value. It seals every account's private keys, and setup asks for it to know the deployment is yours.</p>
<p>Add it as a secret of the Worker (Cloudflare dashboard: the Worker's Settings, Variables and Secrets; or
<code>npx wrangler secret put KEY_ENCRYPTION_SECRET</code>) with 32 or more random characters, for example
from <code>openssl rand -base64 32</code>. Keep it: it can never change. Then reload this page.</p>`
			: html`<h1>The domain is a placeholder</h1>
<p>INSTANCE_DOMAIN is <strong>${domain ?? ""}</strong>, a name kept for examples. Accounts made under it could never move,
so this server makes none and does not federate.</p>
<p>Set INSTANCE_DOMAIN to your server's real domain, or leave it empty so that setup takes the address you open it at;
deploy again, then reload this page.</p>`;
	return page("Setup blocked", body, { ...ctx, status: ctx.status ?? 503 });
}

export function domainConflictPage(ctx: PageContext, domains: { stored: string; configured: string }): Response {
	return page(
		"Domain cannot change",
		html`<h1>This server's domain cannot change</h1>
<p>This server was set up as <strong>${domains.stored}</strong>, and its configuration now says
INSTANCE_DOMAIN is <strong>${domains.configured}</strong>.</p>
<p>${WHY_DOMAIN_IS_FIXED}</p>
<p>To serve again, set INSTANCE_DOMAIN back to <strong>${domains.stored}</strong> or leave it empty, and deploy.
A server that has not federated yet (no other server has seen it) can still move: its admin runs
<code>npx tern domain set ${domains.configured} --remote</code> first.</p>`,
		{ ...ctx, status: ctx.status ?? 503 },
	);
}

export function notSetUpPage(ctx: PageContext): Response {
	return page(
		"Not set up yet",
		html`<h1>This server is not set up yet</h1><p>Its owner finishes setting it up at <a href="/setup">/setup</a>.</p>`,
		{ ...ctx, status: ctx.status ?? 503 },
	);
}
