import type { Account, User } from "../../db/schema";
import type { AppContext, AppRequest } from "../../http/context";
import type { Params } from "../../http/params";
import { readParams } from "../../http/params";
import type { AppRouter } from "../../http/router";
import { issueAuthorizationCode } from "../../services/auth/oauth";
import { mustSetUpTwoFactor } from "../../services/auth/two-factor";
import { cachedInstanceSettings } from "../../services/instance/settings";
import { consentPage, messagePage, oobCodePage, signInPage } from "../../web/pages";
import { csrfTokenFor, csrfValid, currentSession, formSecret } from "../../web/session";
import { type AuthorizeRequest, isOob, parseAuthorizeRequest, redirectWith } from "./authorize-request";

function redirect(location: string): Response {
	return new Response(null, { status: 302, headers: { Location: location, "Cache-Control": "no-store" } });
}

/** Why a signed-in user may not authorize apps, if they may not. */
async function unusableReason(ctx: AppContext, user: User, account: Account): Promise<string | undefined> {
	if (user.disabled) return "Your account is disabled.";
	if (account.suspendedAt) return "Your account is suspended.";
	if (user.rejectedAt) return "Your sign-up was not approved.";
	if (!user.approved) return "Your account is waiting for a moderator's approval.";
	if (!user.confirmedAt) return "Your account's email address is not confirmed yet.";
	if (mustSetUpTwoFactor(user, await cachedInstanceSettings(ctx.env, ctx.db))) {
		return "This server requires staff to turn on two-factor sign-in first: open Settings, then Two-factor sign-in.";
	}
	return undefined;
}

/** The authorize URL to come back to after signing in, without force_login (or it would ask again forever). */
function returnTo(request: Request): string {
	const url = new URL(request.url);
	url.searchParams.delete("force_login");
	return `${url.pathname}${url.search}`;
}

async function checked(ctx: AppContext, params: Params): Promise<AuthorizeRequest | Response> {
	const parsed = await parseAuthorizeRequest(ctx.db, params);
	if ("ok" in parsed) return parsed.ok;
	const { problem } = parsed;
	if (problem.kind === "page") {
		return messagePage("Authorization failed", problem.message, { instanceTitle: ctx.config.title, status: 400 });
	}
	if (isOob(problem.redirectUri)) {
		return messagePage("Authorization failed", problem.description, { instanceTitle: ctx.config.title, status: 400 });
	}
	return redirect(
		redirectWith(problem.redirectUri, {
			error: problem.error,
			error_description: problem.description,
			state: problem.state,
		}),
	);
}

export async function showSignIn(
	request: AppRequest,
	ctx: AppContext,
	options: { returnTo?: string; error?: string; email?: string; status?: number } = {},
): Promise<Response> {
	const form = formSecret(request, ctx);
	return signInPage(
		{
			instanceTitle: ctx.config.title,
			status: options.status,
			headers: form.setCookie ? { "Set-Cookie": form.setCookie } : undefined,
		},
		{
			csrf: await csrfTokenFor(form.secret),
			returnTo: options.returnTo,
			error: options.error,
			email: options.email,
			signUpOpen: ctx.config.registrationMode !== "closed",
		},
	);
}

export function authorizeRoutes(router: AppRouter): void {
	router.get("/oauth/authorize", async (request, ctx) => {
		const params = await readParams(request);
		const outcome = await checked(ctx, params);
		if (outcome instanceof Response) return outcome;
		const session = await currentSession(request, ctx);
		if (!session || params.boolean("force_login") === true) {
			return showSignIn(request, ctx, { returnTo: returnTo(request) });
		}
		const reason = await unusableReason(ctx, session.user, session.account);
		if (reason) return messagePage("Cannot authorize", reason, { instanceTitle: ctx.config.title, status: 403 });
		return consentPage(
			{ instanceTitle: ctx.config.title },
			{
				csrf: await csrfTokenFor(session.secret),
				app: outcome.app,
				username: session.account.username,
				redirectUri: outcome.redirectUri,
				scopes: outcome.scopes,
				state: outcome.state,
				codeChallenge: outcome.codeChallenge,
				codeChallengeMethod: outcome.codeChallengeMethod,
			},
		);
	});

	router.post("/oauth/authorize", async (request, ctx) => {
		const params = await readParams(request);
		const session = await currentSession(request, ctx);
		if (!session) {
			return messagePage("Not signed in", "Your session has ended. Start the sign-in again from the app.", {
				instanceTitle: ctx.config.title,
				status: 401,
			});
		}
		if (!(await csrfValid(session.secret, params.string("authenticity_token")))) {
			return messagePage("Request refused", "The form expired or did not come from this site. Try again.", {
				instanceTitle: ctx.config.title,
				status: 403,
			});
		}
		const outcome = await checked(ctx, params);
		if (outcome instanceof Response) return outcome;
		const reason = await unusableReason(ctx, session.user, session.account);
		if (reason) return messagePage("Cannot authorize", reason, { instanceTitle: ctx.config.title, status: 403 });
		const decision = params.string("decision");
		if (decision !== "approve") {
			if (isOob(outcome.redirectUri)) {
				return messagePage("Access denied", "You denied the application access.", { instanceTitle: ctx.config.title });
			}
			return redirect(
				redirectWith(outcome.redirectUri, {
					error: "access_denied",
					error_description: "The resource owner or authorization server denied the request.",
					state: outcome.state,
				}),
			);
		}
		const code = await issueAuthorizationCode(ctx.db, {
			app: outcome.app,
			userId: session.user.id,
			redirectUri: outcome.redirectUri,
			scopes: outcome.scopes,
			codeChallenge: outcome.codeChallenge,
			codeChallengeMethod: outcome.codeChallengeMethod,
		});
		if (isOob(outcome.redirectUri)) return oobCodePage({ instanceTitle: ctx.config.title }, code);
		return redirect(redirectWith(outcome.redirectUri, { code, state: outcome.state }));
	});
}
