import type { AppContext, AppRequest } from "../../http/context";
import { readParams } from "../../http/params";
import { ValidationError } from "../../lib/errors";
import {
	changeEmail,
	emailProblem,
	listAuthorizedApps,
	revokeApp,
	storePasswordHash,
} from "../../services/auth/account-security";
import { endWebSessionById, listWebSessions } from "../../services/auth/web-sessions";
import { hidden, html } from "../html";
import { continuePasswordStep, type PasswordStepHandlers, startPasswordStep } from "../password-steps";
import { formFromMember, type Member, type Outcome, REFUSED, settingsPage } from "./frame";

const day = (date: Date) => date.toISOString().slice(0, 10);

export function accountForm(ctx: AppContext, member: Member, outcome: Outcome = {}): Response {
	return settingsPage(
		ctx,
		member,
		"account",
		html`<h2>Email</h2>
<form method="post" action="/settings/account/email">${hidden({ authenticity_token: member.csrf })}
<label for="email">Email address</label><input id="email" type="email" name="email" autocomplete="email" required value="${member.user.email}">
<label for="email-password">Current password</label><input id="email-password" type="password" name="current_password" autocomplete="current-password" required>
<button type="submit">Change email</button></form>
<h2>Password</h2>
<p class="notice">Every app and every other browser signed in to your account will be signed out.</p>
<form method="post" action="/settings/account/password">${hidden({ authenticity_token: member.csrf })}
<input type="text" name="username" autocomplete="username" value="${member.user.email}" hidden>
<label for="current-password">Current password</label><input id="current-password" type="password" name="current_password" autocomplete="current-password" required>
<label for="new-password">New password</label><input id="new-password" type="password" name="password" autocomplete="new-password" required minlength="8">
<button type="submit">Change password</button></form>`,
		outcome,
	);
}

/** What the account page does once the member's password is checked. */
type AccountAction = { kind: "email"; email: string } | { kind: "password" };

const ACCOUNT_CHECK_PATH = "/settings/account/check";

function accountCheckHandlers(ctx: AppContext, member: Member): PasswordStepHandlers<AccountAction> {
	return {
		refused: (status, error) => accountForm(ctx, member, { status, error }),
		async done(action, newPasswordHash) {
			if (action.kind === "email") {
				try {
					await changeEmail(ctx.db, member.user, { email: action.email });
				} catch (error) {
					if (error instanceof ValidationError) return accountForm(ctx, member, { status: 422, error: error.message });
					throw error;
				}
				const changed = { ...member, user: { ...member.user, email: action.email.trim() } };
				return accountForm(ctx, changed, { notice: "Email changed." });
			}
			if (!newPasswordHash) return accountForm(ctx, member, { status: 422, error: "No new password was given." });
			await storePasswordHash(ctx.db, member.user.id, newPasswordHash, member.secret);
			return accountForm(ctx, member, {
				notice:
					"Password changed. Every app and other browser was signed out: sign in to them again with the new password.",
			});
		},
	};
}

/** Starts an account change: the password is checked (and a new one hashed) over a few requests, then `action` runs. */
function checkThen(
	ctx: AppContext,
	member: Member,
	password: string,
	action: AccountAction,
	newPassword?: string,
): Promise<Response> {
	return startPasswordStep(
		ctx,
		{ boundTo: member.secret, check: { user: member.user, password }, newPassword, action },
		ACCOUNT_CHECK_PATH,
		accountCheckHandlers(ctx, member),
	);
}

export async function saveEmail(request: AppRequest, ctx: AppContext, member: Member): Promise<Response> {
	const params = await readParams(request);
	if (!(await formFromMember(member, params.string("authenticity_token")))) return accountForm(ctx, member, REFUSED);
	const email = params.string("email", { maxLength: 320 }) ?? "";
	const problem = emailProblem(email);
	if (problem) return accountForm(ctx, member, { status: 422, error: problem });
	return checkThen(ctx, member, params.string("current_password", { maxLength: 256 }) ?? "", { kind: "email", email });
}

export async function savePassword(request: AppRequest, ctx: AppContext, member: Member): Promise<Response> {
	const params = await readParams(request);
	if (!(await formFromMember(member, params.string("authenticity_token")))) return accountForm(ctx, member, REFUSED);
	return checkThen(
		ctx,
		member,
		params.string("current_password", { maxLength: 256 }) ?? "",
		{ kind: "password" },
		params.string("password", { maxLength: 256 }) ?? "",
	);
}

/** The following requests of an account change's password check. */
export function continueAccountCheck(request: AppRequest, ctx: AppContext, member: Member): Promise<Response> {
	return continuePasswordStep(request, ctx, member.secret, ACCOUNT_CHECK_PATH, accountCheckHandlers(ctx, member));
}

export async function appsPage(ctx: AppContext, member: Member, outcome: Outcome = {}): Promise<Response> {
	const apps = await listAuthorizedApps(ctx.db, member.user.id);
	return settingsPage(
		ctx,
		member,
		"apps",
		apps.length === 0
			? html`<p class="muted">No app can use your account.</p>`
			: html`<table class="list"><thead><tr><th>App</th><th>Permissions</th><th>Since</th><th></th></tr></thead><tbody>${apps.map(
					(
						app,
					) => html`<tr><td>${app.website ? html`<a href="${app.website}" rel="nofollow noopener">${app.name}</a>` : app.name}</td>
<td>${app.scopes.join(", ")}</td><td>${day(app.authorizedAt)}</td>
<td><form class="inline" method="post" action="/settings/apps/revoke">${hidden({ authenticity_token: member.csrf, application_id: app.applicationId })}<button type="submit" class="small">Revoke</button></form></td></tr>`,
				)}</tbody></table>`,
		outcome,
	);
}

export async function revokeAppForm(request: AppRequest, ctx: AppContext, member: Member): Promise<Response> {
	const params = await readParams(request);
	if (!(await formFromMember(member, params.string("authenticity_token")))) return appsPage(ctx, member, REFUSED);
	await revokeApp(ctx.db, member.user.id, params.string("application_id", { maxLength: 64 }) ?? "");
	return appsPage(ctx, member, { notice: "Access revoked. The app is signed out." });
}

export async function sessionsPage(ctx: AppContext, member: Member, outcome: Outcome = {}): Promise<Response> {
	const sessions = await listWebSessions(ctx.db, member.user.id, member.secret);
	return settingsPage(
		ctx,
		member,
		"sessions",
		html`<p class="notice">Browsers signed in to this server's pages. Apps are under <a href="/settings/apps">Authorized apps</a>.</p>
<table class="list"><thead><tr><th>Browser</th><th>Signed in</th><th></th></tr></thead><tbody>${sessions.map(
			(session) =>
				html`<tr><td>${session.userAgent ?? "Unknown browser"}</td><td>${day(session.createdAt)}</td><td>${
					session.current
						? html`<strong>This browser</strong>`
						: html`<form class="inline" method="post" action="/settings/sessions/end">${hidden({ authenticity_token: member.csrf, session_id: session.id })}<button type="submit" class="small">Sign out</button></form>`
				}</td></tr>`,
		)}</tbody></table>`,
		outcome,
	);
}

export async function endSessionForm(request: AppRequest, ctx: AppContext, member: Member): Promise<Response> {
	const params = await readParams(request);
	if (!(await formFromMember(member, params.string("authenticity_token")))) return sessionsPage(ctx, member, REFUSED);
	await endWebSessionById(ctx.db, member.user.id, params.string("session_id", { maxLength: 64 }) ?? "");
	return sessionsPage(ctx, member, { notice: "That browser is signed out." });
}
