import type { InstanceRule, OAuthApplication } from "../db/schema";
import { hidden, html, page } from "./html";

interface PageContext {
	instanceTitle: string;
	headers?: HeadersInit;
	status?: number;
}

export function messagePage(title: string, message: string, ctx: PageContext): Response {
	return page(title, html`<h1>${title}</h1><p>${message}</p>`, ctx);
}

export function signInPage(
	ctx: PageContext,
	form: { csrf: string; returnTo: string | undefined; email?: string; error?: string; signUpOpen: boolean },
): Response {
	return page(
		"Sign in",
		html`<h1>Sign in to ${ctx.instanceTitle}</h1>
${form.error ? html`<p class="error" role="alert">${form.error}</p>` : ""}
<form method="post" action="/auth/sign_in">
${hidden({ authenticity_token: form.csrf, return_to: form.returnTo })}
<label for="email">Email</label><input id="email" type="email" name="email" autocomplete="username" required value="${form.email ?? ""}">
<label for="password">Password</label><input id="password" type="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p class="notice"><a href="/auth/password/forgot">Forgot your password?</a></p>
${form.signUpOpen ? html`<p class="notice">No account yet? <a href="/auth/sign_up">Sign up</a></p>` : ""}`,
		ctx,
	);
}

/** Plain-language meaning of the scopes people see most; anything else is listed by name. */
const SCOPE_LABELS: Record<string, string> = {
	read: "Read all your account's data",
	write: "Change all your account's data and post for you",
	follow: "Manage who you follow, block and mute",
	push: "Receive push notifications",
	profile: "Read only your basic profile information",
};

export function consentPage(
	ctx: PageContext,
	form: {
		csrf: string;
		app: OAuthApplication;
		username: string;
		redirectUri: string;
		scopes: string[];
		state: string | undefined;
		codeChallenge: string | undefined;
		codeChallengeMethod: string | undefined;
	},
): Response {
	const fields = hidden({
		authenticity_token: form.csrf,
		client_id: form.app.clientId,
		redirect_uri: form.redirectUri,
		scope: form.scopes.join(" "),
		state: form.state,
		code_challenge: form.codeChallenge,
		code_challenge_method: form.codeChallengeMethod,
		response_type: "code",
	});
	return page(
		"Authorize",
		html`<h1>Authorize ${form.app.name}?</h1>
<p>${form.app.name}${form.app.website ? html` (${form.app.website})` : ""} asks for access to your account <strong>@${form.username}</strong>:</p>
<ul class="scopes">${form.scopes.map((scope) => html`<li><code>${scope}</code> ${SCOPE_LABELS[scope] ?? ""}</li>`)}</ul>
<form method="post" action="/oauth/authorize">${fields}
<button type="submit" name="decision" value="approve">Authorize</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>
<form method="post" action="/auth/sign_out">${hidden({ authenticity_token: form.csrf })}<button type="submit" class="secondary">Not @${form.username}? Sign out</button></form>`,
		ctx,
	);
}

export function oobCodePage(ctx: PageContext, code: string): Response {
	return page(
		"Authorization code",
		html`<h1>Authorization code</h1><p>Copy this code and paste it into the application:</p><code class="grant">${code}</code>`,
		ctx,
	);
}

export function signUpPage(
	ctx: PageContext,
	form: {
		csrf: string;
		approvalRequired: boolean;
		rules: InstanceRule[];
		values?: { username?: string; email?: string; reason?: string };
		error?: string;
	},
): Response {
	return page(
		"Sign up",
		html`<h1>Sign up for ${ctx.instanceTitle}</h1>
${form.error ? html`<p class="error" role="alert">${form.error}</p>` : ""}
${form.approvalRequired ? html`<p class="notice">New accounts are reviewed by a moderator before they can be used.</p>` : ""}
${
	form.rules.length > 0
		? html`<p>Server rules:</p><ol>${form.rules.map((rule) => html`<li>${rule.text}${rule.hint ? html`<br><small>${rule.hint}</small>` : ""}</li>`)}</ol>`
		: ""
}
<form method="post" action="/auth/sign_up">
${hidden({ authenticity_token: form.csrf })}
<label for="username">Username</label><input id="username" type="text" name="username" autocomplete="username" required maxlength="30" value="${form.values?.username ?? ""}">
<label for="email">Email</label><input id="email" type="email" name="email" autocomplete="email" required value="${form.values?.email ?? ""}">
<label for="password">Password</label><input id="password" type="password" name="password" autocomplete="new-password" required minlength="8">
${form.approvalRequired ? html`<label for="reason">Why do you want to join?</label><textarea id="reason" name="reason" maxlength="500">${form.values?.reason ?? ""}</textarea>` : ""}
<label><input type="checkbox" name="agreement" value="1" required> I agree to the server rules</label>
<button type="submit">Sign up</button>
</form>`,
		ctx,
	);
}
