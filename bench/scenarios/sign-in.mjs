import { createHash } from "node:crypto";
import { PASSWORD } from "../lib/dataset.mjs";

/** The form cookie and its CSRF token, derived as src/web/session.ts does. */
const FORM_SECRET = "benchformsecret0123456789abcdef";
const csrfToken = createHash("sha256").update(`tern-csrf:${FORM_SECRET}`).digest("base64url");
const COOKIE = `tern_form=${FORM_SECRET}`;

/**
 * Signing in through the web form, one request per iteration: the form's POST,
 * then each continuation the browser follows while the password's 600,000
 * PBKDF2 iterations are computed 50,000 at a time (src/services/auth/sign-in.ts),
 * then the next sign-in. Every one of these requests must fit the Free plan's
 * 10 ms; the last of each sign-in also starts the web session.
 */
export default {
	name: "sign-in",
	title: "Sign-in, each request of it (password check in steps)",
	kind: "write",
	request: (ctx, i) => {
		if (ctx.signInNext) {
			return { path: ctx.signInNext, headers: { Cookie: COOKIE } };
		}
		const user = ctx.data.locals[i % ctx.data.locals.length];
		return {
			method: "POST",
			path: "/auth/sign_in",
			headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: COOKIE },
			body: new URLSearchParams({ email: user.email, password: PASSWORD, authenticity_token: csrfToken }).toString(),
		};
	},
	after(ctx, _i, response) {
		const location = response.headers.location;
		ctx.signInNext = response.status === 303 && location?.startsWith("/auth/sign_in/continue") ? location : undefined;
		if (!ctx.signInNext) ctx.signInsCompleted = (ctx.signInsCompleted ?? 0) + (response.status === 200 ? 1 : 0);
	},
	expect: [200, 303],
	// A PBKDF2 link of 50,000 iterations is ~7 ms by itself: the budget is the Free plan's limit, for every request.
	cpuBudget: { p99: 10, why: "one 50,000-iteration PBKDF2 link per request" },
	summarize: (ctx) => ({ signInsCompleted: ctx.signInsCompleted ?? 0 }),
};
