import { hidden, html, page } from "./html";

interface PageContext {
	instanceTitle: string;
	headers?: HeadersInit;
	status?: number;
}

/** The second step of signing in for members with two-factor sign-in on. */
export function twoFactorPage(ctx: PageContext, form: { csrf: string; returnTo: string | undefined; error?: string }) {
	return page(
		"Two-factor sign-in",
		html`<h1>Enter your code</h1>
${form.error ? html`<p class="error" role="alert">${form.error}</p>` : ""}
<form method="post" action="/auth/sign_in/two_factor">
${hidden({ authenticity_token: form.csrf, return_to: form.returnTo })}
<label for="code">Code from your authenticator app</label>
<input id="code" type="text" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus maxlength="20">
<p class="notice">Lost your phone? Enter one of your recovery codes instead.</p>
<button type="submit">Sign in</button>
</form>`,
		ctx,
	);
}

/**
 * Forgotten password: with email the member asks for a link; without, the
 * page says whom to ask (staff make reset links).
 */
export function forgotPasswordPage(
	ctx: PageContext,
	form: { csrf: string; canEmail: boolean; contactEmail: string; admin?: string; sent?: boolean; error?: string },
) {
	if (!form.canEmail) {
		return page(
			"Forgot your password?",
			html`<h1>Forgot your password?</h1>
<p>This server cannot send email, so an admin or moderator makes you a reset link instead.</p>
<p>${form.contactEmail ? html`Write to <a href="mailto:${form.contactEmail}">${form.contactEmail}</a>` : "Contact the server's staff"}${
				form.admin ? html` or ask <a href="/@${form.admin}">@${form.admin}</a>` : ""
			} from the email address of your account, and they will send you a link that works for an hour.</p>
<p><a href="/auth/sign_in">Back to sign in</a></p>`,
			ctx,
		);
	}
	return page(
		"Forgot your password?",
		html`<h1>Forgot your password?</h1>
${form.error ? html`<p class="error" role="alert">${form.error}</p>` : ""}
${
	form.sent
		? html`<p class="ok" role="status">If an account uses that address, a link to choose a new password is on its way. It works for an hour.</p>`
		: html`<form method="post" action="/auth/password/forgot">
${hidden({ authenticity_token: form.csrf })}
<label for="email">Your account's email</label><input id="email" type="email" name="email" autocomplete="email" required>
<button type="submit">Send me a link</button>
</form>`
}
<p><a href="/auth/sign_in">Back to sign in</a></p>`,
		ctx,
	);
}

export function resetPasswordPage(
	ctx: PageContext,
	form: { csrf: string; token: string; username: string; error?: string },
) {
	return page(
		"Choose a new password",
		html`<h1>Choose a new password</h1>
<p>For <strong>@${form.username}</strong>. Every app and browser signed in to this account will be signed out.</p>
${form.error ? html`<p class="error" role="alert">${form.error}</p>` : ""}
<form method="post" action="/auth/password/reset/${form.token}">
${hidden({ authenticity_token: form.csrf })}
<label for="password">New password</label><input id="password" type="password" name="password" autocomplete="new-password" required minlength="8">
<button type="submit">Save the new password</button>
</form>`,
		ctx,
	);
}
