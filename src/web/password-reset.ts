import type { AppContext } from "../http/context";
import { readParams } from "../http/params";
import type { AppRouter } from "../http/router";
import { ValidationError } from "../lib/errors";
import { findResetLink, useResetLink } from "../services/auth/password-reset";
import { type EmailEnv, emailBinding, sendResetEmail } from "../services/auth/reset-email";
import { recordSignInFailure, signInThrottled } from "../services/auth/sign-in-throttle";
import { instanceFacts } from "../services/instance/facts";
import { forgotPasswordPage, resetPasswordPage } from "./auth-pages";
import { messagePage } from "./pages";
import { continuePasswordStep, type PasswordStepHandlers, startPasswordStep } from "./password-steps";
import { csrfTokenFor, csrfValid, FORM_COOKIE, formSecret, readCookies } from "./session";

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

function expiredLink(ctx: AppContext, headers?: HeadersInit): Response {
	return messagePage("Link expired", "This link has expired or was already used. Ask for a new one.", {
		instanceTitle: ctx.config.title,
		status: 404,
		headers,
	});
}

/** The reset form again with what went wrong, or the link used once the new password is hashed. */
function resetHandlers(
	ctx: AppContext,
	token: string,
	formCookie: string | undefined,
	username: string,
): PasswordStepHandlers<Record<string, never>> {
	const refused = async (status: number, error: string) =>
		resetPasswordPage(
			{ instanceTitle: ctx.config.title, status },
			{ csrf: formCookie ? await csrfTokenFor(formCookie) : "", token, username, error },
		);
	return {
		refused,
		async done(_action, passwordHash) {
			if (!passwordHash) return refused(422, "No new password was given.");
			try {
				await useResetLink(ctx.db, token, passwordHash);
			} catch (error) {
				if (error instanceof ValidationError) return refused(422, error.message);
				throw error;
			}
			return messagePage(
				"Password changed",
				"Your new password is set, and every app and browser was signed out. Sign in again with it.",
				{ instanceTitle: ctx.config.title },
			);
		},
	};
}

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
		if (!found) return expiredLink(ctx, headers);
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
		if (!found) return expiredLink(ctx);
		const handlers = resetHandlers(ctx, token, secret, found.account.username);
		if (!secret || !(await csrfValid(secret, params.string("authenticity_token")))) {
			return handlers.refused(403, "The form expired. Please try again.");
		}
		// The new password is hashed a chain link per request (docs/performance.md, "Sign-in"), bound to this browser and link.
		return startPasswordStep(
			ctx,
			{ boundTo: `${secret}:${token}`, newPassword: params.string("password", { maxLength: 256 }) ?? "", action: {} },
			`/auth/password/reset/${token}/continue`,
			handlers,
		);
	});

	router.get("/auth/password/reset/:token/continue", async (request, ctx) => {
		const token = String(request.params.token);
		const secret = readCookies(request).get(FORM_COOKIE);
		const found = TOKEN.test(token) ? await findResetLink(ctx.db, token) : undefined;
		if (!found || !secret) return expiredLink(ctx);
		return continuePasswordStep(
			request,
			ctx,
			`${secret}:${token}`,
			`/auth/password/reset/${token}/continue`,
			resetHandlers(ctx, token, secret, found.account.username),
		);
	});
}
