import { readParams } from "../http/params";
import type { AppRouter } from "../http/router";
import { ValidationError } from "../lib/errors";
import { findResetLink, useResetLink } from "../services/auth/password-reset";
import { type EmailEnv, emailBinding, sendResetEmail } from "../services/auth/reset-email";
import { recordSignInFailure, signInThrottled } from "../services/auth/sign-in-throttle";
import { instanceFacts } from "../services/instance/facts";
import { forgotPasswordPage, resetPasswordPage } from "./auth-pages";
import { messagePage } from "./pages";
import { csrfTokenFor, csrfValid, FORM_COOKIE, formSecret, readCookies } from "./session";

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

export function passwordResetRoutes(router: AppRouter): void {
	router.get("/auth/password/forgot", async (request, ctx) => {
		const form = formSecret(request, ctx);
		const canEmail = emailBinding(ctx.env) !== undefined;
		const admin = canEmail ? undefined : (await instanceFacts(ctx.db)).contactAccount?.username;
		return forgotPasswordPage(
			{ instanceTitle: ctx.config.title, headers: form.setCookie ? { "Set-Cookie": form.setCookie } : undefined },
			{ csrf: await csrfTokenFor(form.secret), canEmail, contactEmail: ctx.config.contactEmail, admin },
		);
	});

	router.post("/auth/password/forgot", async (request, ctx) => {
		const params = await readParams(request);
		const secret = readCookies(request).get(FORM_COOKIE);
		const page = { instanceTitle: ctx.config.title };
		const form = {
			csrf: secret ? await csrfTokenFor(secret) : "",
			canEmail: emailBinding(ctx.env) !== undefined,
			contactEmail: ctx.config.contactEmail,
		};
		if (!form.canEmail) return forgotPasswordPage({ ...page, status: 404 }, form);
		if (!(await csrfValid(secret, params.string("authenticity_token")))) {
			return forgotPasswordPage({ ...page, status: 403 }, { ...form, error: "The form expired. Please try again." });
		}
		const email = params.string("email", { maxLength: 320 }) ?? "";
		const address = request.headers.get("CF-Connecting-IP");
		// Each request counts like a failed sign-in, so the form cannot flood an inbox.
		if (await signInThrottled(ctx.db, email, address)) {
			return forgotPasswordPage({ ...page, status: 429 }, { ...form, error: "Too many requests. Wait a few minutes." });
		}
		await recordSignInFailure(ctx.db, email, address);
		await sendResetEmail(ctx.db, ctx.env as EmailEnv, ctx.config, email);
		return forgotPasswordPage(page, { ...form, sent: true });
	});

	router.get("/auth/password/reset/:token", async (request, ctx) => {
		const token = String(request.params.token);
		const found = TOKEN.test(token) ? await findResetLink(ctx.db, token) : undefined;
		const headers = { "Referrer-Policy": "no-referrer" };
		if (!found) {
			return messagePage("Link expired", "This link has expired or was already used. Ask for a new one.", {
				instanceTitle: ctx.config.title,
				status: 404,
				headers,
			});
		}
		const form = formSecret(request, ctx);
		return resetPasswordPage(
			{
				instanceTitle: ctx.config.title,
				headers: form.setCookie ? { ...headers, "Set-Cookie": form.setCookie } : headers,
			},
			{ csrf: await csrfTokenFor(form.secret), token, username: found.account.username },
		);
	});

	router.post("/auth/password/reset/:token", async (request, ctx) => {
		const token = String(request.params.token);
		const params = await readParams(request);
		const secret = readCookies(request).get(FORM_COOKIE);
		const found = TOKEN.test(token) ? await findResetLink(ctx.db, token) : undefined;
		if (!found) {
			return messagePage("Link expired", "This link has expired or was already used. Ask for a new one.", {
				instanceTitle: ctx.config.title,
				status: 404,
			});
		}
		const again = async (status: number, error: string) =>
			resetPasswordPage(
				{ instanceTitle: ctx.config.title, status },
				{ csrf: secret ? await csrfTokenFor(secret) : "", token, username: found.account.username, error },
			);
		if (!(await csrfValid(secret, params.string("authenticity_token"))))
			return again(403, "The form expired. Please try again.");
		try {
			await useResetLink(ctx.db, token, params.string("password", { maxLength: 256 }) ?? "");
		} catch (error) {
			if (error instanceof ValidationError) return again(422, error.message);
			throw error;
		}
		return messagePage(
			"Password changed",
			"Your new password is set, and every app and browser was signed out. Sign in again with it.",
			{
				instanceTitle: ctx.config.title,
			},
		);
	});
}
