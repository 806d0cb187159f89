import { readParams } from "../http/params";
import type { AppRouter } from "../http/router";
import { ValidationError } from "../lib/errors";
import { RegistrationClosedError, registerUser } from "../services/auth/registration";
import { startWebSession } from "../services/auth/web-sessions";
import { listRules } from "../services/instance/facts";
import { SignUpThrottledError } from "../services/moderation/sign-ups";
import { messagePage, signUpPage } from "./pages";
import { csrfTokenFor, csrfValid, FORM_COOKIE, formSecret, readCookies, sessionCookie } from "./session";

const CLOSED = "Sign-ups are closed on this server.";

export function signUpRoutes(router: AppRouter): void {
	router.get("/auth/sign_up", async (request, ctx) => {
		if (ctx.config.registrationMode === "closed") {
			return messagePage("Sign-ups closed", CLOSED, { instanceTitle: ctx.config.title });
		}
		const form = formSecret(request, ctx);
		return signUpPage(
			{ instanceTitle: ctx.config.title, headers: form.setCookie ? { "Set-Cookie": form.setCookie } : undefined },
			{
				csrf: await csrfTokenFor(form.secret),
				approvalRequired: ctx.config.registrationMode === "approval",
				rules: await listRules(ctx.db),
			},
		);
	});

	router.post("/auth/sign_up", async (request, ctx) => {
		if (ctx.config.registrationMode === "closed") {
			return messagePage("Sign-ups closed", CLOSED, { instanceTitle: ctx.config.title, status: 403 });
		}
		const params = await readParams(request);
		const values = {
			username: params.string("username", { maxLength: 64 }) ?? "",
			email: params.string("email", { maxLength: 320 }) ?? "",
			reason: params.string("reason", { maxLength: 1000 }),
		};
		const secret = readCookies(request).get(FORM_COOKIE);
		const again = async (status: number, error: string) =>
			signUpPage(
				{ instanceTitle: ctx.config.title, status },
				{
					csrf: secret ? await csrfTokenFor(secret) : "",
					approvalRequired: ctx.config.registrationMode === "approval",
					rules: await listRules(ctx.db),
					values,
					error,
				},
			);
		if (!(await csrfValid(secret, params.string("authenticity_token")))) {
			return again(403, "The form expired or did not come from this site. Please try again.");
		}
		try {
			const { user, account } = await registerUser(ctx.db, ctx.env, ctx.config, {
				...values,
				password: params.string("password", { maxLength: 256 }) ?? "",
				agreement: params.boolean("agreement") === true,
				locale: undefined,
				address: request.headers.get("CF-Connecting-IP"),
			});
			const session = await startWebSession(ctx.db, user.id, request.headers.get("User-Agent"));
			const message = user.approved
				? `Welcome, @${account.username}! Your account is ready: sign in from any Mastodon app.`
				: `Thanks, @${account.username}. A moderator will review your sign-up; you can sign in once it is approved.`;
			return messagePage("Signed up", message, {
				instanceTitle: ctx.config.title,
				headers: { "Set-Cookie": sessionCookie(ctx, session.secret) },
			});
		} catch (error) {
			if (error instanceof ValidationError) return again(422, error.message);
			if (error instanceof RegistrationClosedError) return again(403, CLOSED);
			if (error instanceof SignUpThrottledError) return again(429, error.message);
			throw error;
		}
	});
}
