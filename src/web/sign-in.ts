import { showSignIn } from "../api/oauth/authorize";
import type { Account, User } from "../db/schema";
import type { AppContext, AppRequest } from "../http/context";
import { readParams } from "../http/params";
import type { AppRouter } from "../http/router";
import { continueSignIn, type SignInStep, startSignIn } from "../services/auth/sign-in";
import { clearSignInFailures, recordSignInFailure, signInThrottled } from "../services/auth/sign-in-throttle";
import { checkSecondFactor, mustSetUpTwoFactor } from "../services/auth/two-factor";
import { endWebSession, findPendingSignIn, startWebSession } from "../services/auth/web-sessions";
import { cachedInstanceSettings } from "../services/instance/settings";
import { twoFactorPage } from "./auth-pages";
import { messagePage } from "./pages";
import {
	clearedSessionCookie,
	cookieHeader,
	csrfTokenFor,
	csrfValid,
	currentSession,
	FORM_COOKIE,
	readCookies,
	sessionCookie,
} from "./session";

/** Holds a sign-in between the password and the second factor. */
const PENDING_COOKIE = "tern_pending";
const TOO_MANY = "Too many failed attempts. Wait a few minutes and try again.";
const EXPIRED_FORM = "The form expired or did not come from this site. Please try again.";

/**
 * Only this server's authorize endpoint, settings pages and admin console are
 * places to come back to: anything else would be an open redirect.
 */
export function safeReturnTo(value: string | undefined | null): string | undefined {
	if (!value) return undefined;
	if (/^\/oauth\/authorize(\?[^#\\]*)?$/.test(value)) return value;
	if (/^\/admin(\/[A-Za-z0-9_/-]*)?(\?[^#\\]*)?$/.test(value)) return value;
	return /^\/settings(\/[a-z_/]*)?$/.test(value) ? value : undefined;
}

/** After every factor passed: a session, then back where the member was going (the settings otherwise). */
async function finishSignIn(
	request: AppRequest,
	ctx: AppContext,
	signedIn: { user: User; account: Account },
	returnTo: string | undefined,
	extraCookies: string[] = [],
): Promise<Response> {
	const session = await startWebSession(ctx.db, signedIn.user.id, request.headers.get("User-Agent"));
	const headers = new Headers({ "Cache-Control": "no-store" });
	headers.append("Set-Cookie", sessionCookie(ctx, session.secret));
	for (const cookie of extraCookies) headers.append("Set-Cookie", cookie);
	const settings = await cachedInstanceSettings(ctx.env, ctx.db);
	const target = mustSetUpTwoFactor(signedIn.user, settings) ? "/settings/two_factor" : (returnTo ?? "/settings");
	headers.set("Location", target);
	return new Response(null, { status: 303, headers });
}

/** What a sign-in's request is bound to, so its continuation works only in the same browser. */
async function formBinding(request: Request): Promise<string> {
	const cookie = readCookies(request).get(FORM_COOKIE) ?? "";
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`tern-sign-in:${cookie}`));
	return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

const CONTINUE_PATH = "/auth/sign_in/continue";

/**
 * Where a sign-in goes after each request's share of the password work: on
 * to the next request (a 303 the browser follows at once, carrying the sealed
 * work), or to the result.
 */
async function afterStep(request: AppRequest, ctx: AppContext, step: SignInStep): Promise<Response> {
	const { email, returnTo } = step;
	if (step.status === "continue") {
		const headers = new Headers({ Location: `${CONTINUE_PATH}?${new URLSearchParams({ work: step.token })}` });
		headers.set("Cache-Control", "no-store");
		return new Response(null, { status: 303, headers });
	}
	const address = request.headers.get("CF-Connecting-IP");
	if (step.status === "failed") {
		await recordSignInFailure(ctx.db, email, address);
		return showSignIn(request, ctx, { returnTo, email, status: 401, error: "Invalid email or password." });
	}
	const { result } = step;
	await clearSignInFailures(ctx.db, email);
	if (result.user.rejectedAt) {
		// Tern sends no email, so this is where a turned-down applicant hears of it.
		const notice = result.user.rejectionNotice ? ` The moderators wrote: ${result.user.rejectionNotice}` : "";
		return messagePage("Sign-up not approved", `Your sign-up was not approved.${notice}`, {
			instanceTitle: ctx.config.title,
			status: 403,
		});
	}
	if (!result.user.otpEnabledAt) return finishSignIn(request, ctx, result, returnTo);
	// The password was right; the session starts only once the second factor is too.
	const pending = await startWebSession(ctx.db, result.user.id, request.headers.get("User-Agent"), { pending: true });
	return twoFactorPage(
		{
			instanceTitle: ctx.config.title,
			headers: { "Set-Cookie": cookieHeader(ctx, PENDING_COOKIE, pending.secret, 600), "Cache-Control": "no-store" },
		},
		{ csrf: await csrfTokenFor(pending.secret), returnTo },
	);
}

export function signInRoutes(router: AppRouter): void {
	router.get("/auth/sign_in", (request, ctx) =>
		showSignIn(request, ctx, { returnTo: safeReturnTo(new URL(request.url).searchParams.get("return_to")) }),
	);

	router.post("/auth/sign_in", async (request, ctx) => {
		const params = await readParams(request);
		const returnTo = safeReturnTo(params.string("return_to"));
		const email = params.string("email", { maxLength: 320 }) ?? "";
		if (!(await csrfValid(readCookies(request).get(FORM_COOKIE), params.string("authenticity_token")))) {
			return showSignIn(request, ctx, { returnTo, email, status: 403, error: EXPIRED_FORM });
		}
		const password = params.string("password", { maxLength: 256 }) ?? "";
		const address = request.headers.get("CF-Connecting-IP");
		if (await signInThrottled(ctx.db, email, address)) {
			return showSignIn(request, ctx, { returnTo, email, status: 429, error: TOO_MANY });
		}
		if (!email || !password) {
			await recordSignInFailure(ctx.db, email, address);
			return showSignIn(request, ctx, { returnTo, email, status: 401, error: "Invalid email or password." });
		}
		const step = await startSignIn(ctx.db, ctx.env.KEY_ENCRYPTION_SECRET, {
			email,
			password,
			returnTo,
			binding: await formBinding(request),
		});
		return afterStep(request, ctx, step);
	});

	// The following requests of a sign-in whose password work did not fit in one (see startSignIn).
	router.get(CONTINUE_PATH, async (request, ctx) => {
		const token = new URL(request.url).searchParams.get("work") ?? "";
		const step = await continueSignIn(ctx.db, ctx.env.KEY_ENCRYPTION_SECRET, token, await formBinding(request));
		return afterStep(request, ctx, { ...step, returnTo: safeReturnTo(step.returnTo) });
	});

	router.post("/auth/sign_in/two_factor", async (request, ctx) => {
		const params = await readParams(request);
		const returnTo = safeReturnTo(params.string("return_to"));
		const secret = readCookies(request).get(PENDING_COOKIE);
		const pending = secret ? await findPendingSignIn(ctx.db, secret) : undefined;
		if (!secret || !pending) {
			return showSignIn(request, ctx, { returnTo, status: 401, error: "That took too long. Sign in again." });
		}
		const again = async (status: number, error: string) =>
			twoFactorPage({ instanceTitle: ctx.config.title, status }, { csrf: await csrfTokenFor(secret), returnTo, error });
		if (!(await csrfValid(secret, params.string("authenticity_token")))) return again(403, EXPIRED_FORM);
		const address = request.headers.get("CF-Connecting-IP");
		// Codes are guessed like passwords: the same throttle, by the account's email and the address.
		if (await signInThrottled(ctx.db, pending.user.email, address)) return again(429, TOO_MANY);
		const code = params.string("code", { maxLength: 40 }) ?? "";
		if (!(await checkSecondFactor(ctx.db, ctx.env.KEY_ENCRYPTION_SECRET, pending.user, code))) {
			await recordSignInFailure(ctx.db, pending.user.email, address);
			return again(401, "That code is not right.");
		}
		await clearSignInFailures(ctx.db, pending.user.email);
		await endWebSession(ctx.db, secret);
		return finishSignIn(request, ctx, pending, returnTo, [cookieHeader(ctx, PENDING_COOKIE, "", 0)]);
	});

	router.post("/auth/sign_out", async (request, ctx) => {
		const params = await readParams(request);
		const session = await currentSession(request, ctx);
		if (session && (await csrfValid(session.secret, params.string("authenticity_token")))) {
			await endWebSession(ctx.db, session.secret);
		} else if (session) {
			return messagePage("Request refused", "The form expired or did not come from this site.", {
				instanceTitle: ctx.config.title,
				status: 403,
			});
		}
		return messagePage("Signed out", "You are signed out.", {
			instanceTitle: ctx.config.title,
			headers: { "Set-Cookie": clearedSessionCookie(ctx) },
		});
	});
}
